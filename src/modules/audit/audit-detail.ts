/** Bounds of what an audit event keeps of a request, a result or a vendor answer. */
export const AUDIT_LIMITS = {
  depth: 8,
  stringLength: 2_048,
  arrayItems: 100,
  keys: 100,
  textColumn: 512,
} as const;

const UNSTORABLE = /\u0000|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

const escapeUnit = (unit: string) => `\\u${unit.charCodeAt(0).toString(16).padStart(4, '0')}`;

/** NUL and lone surrogates, which Postgres refuses in text and jsonb, written out as `\uXXXX` text. */
export function storableText(text: string, max: number = AUDIT_LIMITS.stringLength): string {
  const clean = text.replace(UNSTORABLE, escapeUnit);
  return clean.length > max ? `${clean.slice(0, max)}…[${clean.length - max} more characters]` : clean;
}

/**
 * A copy of `value` that Postgres stores as jsonb whatever it held: depth, strings, arrays and
 * objects bounded, unstorable characters escaped (in keys too), non-JSON values made JSON.
 * The recursion is bounded by AUDIT_LIMITS.depth.
 */
export function storableJson(value: unknown, depth = 0): unknown {
  if (value === null || value === undefined) return null;
  switch (typeof value) {
    case 'string':
      return storableText(value);
    case 'number':
      return Number.isFinite(value) ? value : String(value);
    case 'boolean':
      return value;
    case 'bigint':
      return value.toString();
    case 'object':
      break;
    default:
      return `[${typeof value}]`;
  }
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? 'Invalid Date' : value.toISOString();
  if (depth >= AUDIT_LIMITS.depth) return '[nested too deep]';
  if (Array.isArray(value)) {
    const items = value
      .slice(0, AUDIT_LIMITS.arrayItems)
      .map((item: unknown) => storableJson(item, depth + 1));
    if (value.length > AUDIT_LIMITS.arrayItems)
      items.push(`[${value.length - AUDIT_LIMITS.arrayItems} more items]`);
    return items;
  }
  const out: Record<string, unknown> = {};
  const keys = Object.keys(value);
  for (const key of keys.slice(0, AUDIT_LIMITS.keys)) {
    Object.defineProperty(out, storableText(key, 128), {
      value: storableJson((value as Record<string, unknown>)[key], depth + 1),
      enumerable: true,
      writable: true,
      configurable: true,
    });
  }
  if (keys.length > AUDIT_LIMITS.keys) out['[more fields]'] = keys.length - AUDIT_LIMITS.keys;
  return out;
}
