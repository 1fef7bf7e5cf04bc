/** Keys whose values never leave the process: logs, audit details and vendor-call records. */
const SECRET_KEY =
  /(authorization|password|passwd|credentials|secret|token|^key$|apikey|api_key|subscription[-_]?key|session[-_]?key)/i;

export const REDACTED = '[redacted]';

export function isSecretKey(key: string): boolean {
  return SECRET_KEY.test(key);
}

/**
 * `value` with every secret-named field replaced, at any depth; a reference back to an object
 * being walked (a cycle) becomes "[circular]", an object merely referenced twice is walked twice,
 * and dates become ISO strings. Copy-on-write: an object with nothing to change is returned as it
 * is, so the common case (a log line without secrets) allocates nothing.
 */
export function redact(value: unknown): unknown {
  return redactValue(value, undefined);
}

/**
 * `path` holds the objects from the root down to `value` (its ancestors), so only a reference to
 * one of them is a cycle; it is made only once there is a nested object, and depth stays small.
 */
function redactValue(value: unknown, path: object[] | undefined): unknown {
  if (value === null || typeof value !== 'object') return value;
  if (value instanceof Date) return value.toISOString();
  if (path) {
    if (path.includes(value)) return '[circular]';
    path.push(value);
  }
  const result = Array.isArray(value) ? redactArray(value, path) : redactRecord(value, path);
  path?.pop();
  return result;
}

function redactArray(value: unknown[], path: object[] | undefined): unknown[] {
  let copy: unknown[] | null = null;
  for (let i = 0; i < value.length; i++) {
    const item: unknown = value[i];
    const next = isNested(item) ? redactValue(item, (path ??= [value])) : item;
    if (next !== item && !copy) copy = value.slice(0, i);
    if (copy) copy.push(next);
  }
  return copy ?? value;
}

/** Every log line passes here: plain loops, and a copy only once a field has to change. */
function redactRecord(value: object, path: object[] | undefined): object {
  const record = value as Record<string, unknown>;
  let copy: Record<string, unknown> | null = null;
  for (const key in record) {
    if (!Object.prototype.hasOwnProperty.call(record, key)) continue;
    const item = record[key];
    const next = isSecretKey(key) ? REDACTED : isNested(item) ? redactValue(item, (path ??= [value])) : item;
    if (next !== item && !copy) copy = copyBefore(record, key);
    if (copy) setField(copy, key, next);
  }
  return copy ?? value;
}

function isNested(value: unknown): value is object {
  return value !== null && typeof value === 'object';
}

/** The own fields of `record` that come before `key`. */
function copyBefore(record: Record<string, unknown>, key: string): Record<string, unknown> {
  const copy: Record<string, unknown> = {};
  for (const earlier in record) {
    if (earlier === key) break;
    if (Object.prototype.hasOwnProperty.call(record, earlier)) setField(copy, earlier, record[earlier]);
  }
  return copy;
}

/** An own field even for the key `__proto__`, which plain assignment would take as the prototype. */
function setField(target: Record<string, unknown>, key: string, value: unknown): void {
  Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
}
