/** Keys whose values never leave the process: logs, audit details and vendor-call records. */
const SECRET_KEY =
  /(authorization|password|passwd|credentials|secret|token|^key$|apikey|api_key|subscriptionkey|sessionkey)/i;

export const REDACTED = '[redacted]';

export function isSecretKey(key: string): boolean {
  return SECRET_KEY.test(key);
}

/**
 * `value` with every secret-named field replaced, at any depth; cycles are cut and dates become
 * ISO strings. Copy-on-write: an object with nothing to change is returned as it is, so the
 * common case (a log line without secrets) allocates nothing.
 */
export function redact(value: unknown, seen = new WeakSet<object>()): unknown {
  if (value === null || typeof value !== 'object') return value;
  if (value instanceof Date) return value.toISOString();
  if (seen.has(value)) return '[circular]';
  seen.add(value);
  if (Array.isArray(value)) {
    let copy: unknown[] | null = null;
    value.forEach((item, i) => {
      const next = redact(item, seen);
      if (next !== item && !copy) copy = value.slice(0, i);
      if (copy) copy.push(next);
    });
    return copy ?? value;
  }
  const entries = Object.entries(value);
  let copy: Record<string, unknown> | null = null;
  entries.forEach(([k, v], i) => {
    const next = isSecretKey(k) ? REDACTED : redact(v, seen);
    if (next !== v && !copy) copy = Object.fromEntries(entries.slice(0, i));
    if (copy) copy[k] = next;
  });
  return copy ?? value;
}
