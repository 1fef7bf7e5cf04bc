import { GatewayError } from '../../domain/errors';

/** Opaque keyset cursors: base64url JSON of the last row's sort key. */
export function encodeCursor(value: Record<string, string | number>): string {
  return Buffer.from(JSON.stringify(value)).toString('base64url');
}

export function decodeCursor<T extends Record<string, string | number>>(
  cursor: string | undefined,
  keys: (keyof T & string)[],
): T | undefined {
  if (cursor === undefined) return undefined;
  const invalid = () =>
    GatewayError.validation([{ field: 'cursor', message: 'is not a cursor this API returned' }]);
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw invalid();
  }
  if (typeof parsed !== 'object' || parsed === null) throw invalid();
  const record = parsed as Record<string, unknown>;
  for (const key of keys) {
    const v = record[key];
    if ((typeof v !== 'string' && typeof v !== 'number') || (typeof v === 'string' && v.includes('\u0000'))) {
      throw invalid();
    }
  }
  return record as T;
}
