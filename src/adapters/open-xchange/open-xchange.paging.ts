import { GatewayError } from '../../domain/errors';
import type { Page } from '../../domain/model';

/** A sort key: compared element by element; the last element is unique (the address). */
export type SortKey = Array<string | number>;

interface CursorBody {
  /** The sort the cursor belongs to, so a cursor is not replayed against another order. */
  s: string;
  k: SortKey;
}

function compareKeys(a: SortKey, b: SortKey): number {
  for (let i = 0; i < Math.min(a.length, b.length); i++) {
    if (a[i] < b[i]) return -1;
    if (a[i] > b[i]) return 1;
  }
  return a.length - b.length;
}

function decodeCursor(cursor: string, sort: string): SortKey {
  try {
    const body = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as CursorBody;
    if (body.s === sort && Array.isArray(body.k)) return body.k;
  } catch {
    // fall through to the validation error
  }
  throw GatewayError.validation([{ field: 'cursor', message: 'is not a cursor of this listing' }]);
}

/**
 * Keyset paging over a list the vendor returns whole: the cursor holds the last item's sort key,
 * so every item appears exactly once even when items are added or removed between pages.
 */
export function pageByKey<T>(
  items: T[],
  key: (item: T) => SortKey,
  options: { sort: string; descending: boolean; limit: number; cursor?: string },
): Page<T> {
  const direction = options.descending ? -1 : 1;
  const keyed = items.map((item) => ({ item, key: key(item) }));
  keyed.sort((a, b) => direction * compareKeys(a.key, b.key));
  const after = options.cursor === undefined ? undefined : decodeCursor(options.cursor, options.sort);
  const rest = after === undefined ? keyed : keyed.filter((k) => direction * compareKeys(k.key, after) > 0);
  const page = rest.slice(0, options.limit);
  const last = page[page.length - 1];
  const nextCursor =
    rest.length > options.limit && last
      ? Buffer.from(JSON.stringify({ s: options.sort, k: last.key } satisfies CursorBody)).toString(
          'base64url',
        )
      : null;
  return { data: page.map((k) => k.item), nextCursor };
}

/** A `*` wildcard pattern on an address, case-insensitive; without `*` it must match exactly. */
export function wildcardMatcher(pattern: string | undefined): (value: string) => boolean {
  if (pattern === undefined || pattern === '' || pattern === '*') return () => true;
  const escaped = pattern.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*');
  const re = new RegExp(`^${escaped}$`, 'i');
  return (value) => re.test(value);
}
