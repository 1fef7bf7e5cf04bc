/** Keys whose values never leave the process: logs, audit details and vendor-call records. */
const SECRET_KEY =
  /(authorization|password|passwd|credentials|secret|token|^key$|apikey|api_key|subscriptionkey|sessionkey)/i;

export const REDACTED = '[redacted]';

export function isSecretKey(key: string): boolean {
  return SECRET_KEY.test(key);
}

/** Deep copy of `value` with every secret-named field replaced, at any depth; cycles are cut. */
export function redact(value: unknown, seen = new WeakSet<object>()): unknown {
  if (value === null || typeof value !== 'object') return value;
  if (seen.has(value)) return '[circular]';
  seen.add(value);
  if (Array.isArray(value)) return value.map((v) => redact(v, seen));
  if (value instanceof Date) return value.toISOString();
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) {
    out[k] = isSecretKey(k) ? REDACTED : redact(v, seen);
  }
  return out;
}
