/**
 * JSON with object keys sorted at every depth: equal values always give equal text. Written as
 * loops over sorted keys (it runs on every tagged read): about half the time of entries-map-join.
 */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  if (Array.isArray(value)) {
    let out = '[';
    for (let i = 0; i < value.length; i++) out += (i > 0 ? ',' : '') + canonicalJson(value[i]);
    return `${out}]`;
  }
  const record = value as Record<string, unknown>;
  const keys = Object.keys(record).sort();
  let out = '{';
  for (let i = 0; i < keys.length; i++)
    out += `${i > 0 ? ',' : ''}${JSON.stringify(keys[i])}:${canonicalJson(record[keys[i]])}`;
  return `${out}}`;
}
