import type { OpenAPIObject } from '@nestjs/swagger';
import type { ReferenceObject, SchemaObject } from '@nestjs/swagger/dist/interfaces/open-api-spec.interface';

/** Values a field of this name plausibly holds, where its schema gives no example. */
const BY_NAME: [RegExp, unknown][] = [
  [/alias/i, 'sales@example.com'],
  [/email|login|address|recipient|^userId$/i, 'ada.lovelace@example.com'],
  [/access/i, 'enabled'],
  [/^tenantId$/, 'acme'],
  [/^connectionId$/, 'acme-mail'],
  [/^(jobId|id)$/, '0d7f5a6e-3c1b-4a8e-9f4d-2b6c8e1a7f30'],
  [/requestId/i, '7c1e4b9a-2f3d-4e8a-b5c6-0d9f8e7a6b51'],
  [/provider/i, 'open-xchange'],
  [/service/i, 'mail'],
  [/firstName/i, 'Ada'],
  [/lastName/i, 'Lovelace'],
  [/displayName/i, 'Ada Lovelace'],
  [/domain/i, 'example.com'],
  [/url/i, 'https://mail.example.com'],
  [/cursor/i, 'eyJrIjoiYWRhQGV4YW1wbGUuY29tIn0'],
  [/key$/i, 'mr_live_4f1c2b9e8d7a6c5b4a3f2e1d0c9b8a7f'],
  [/name$/i, 'Acme Mail'],
  [/plan/i, 'premium'],
  [/status/i, 'active'],
  [/message|detail|text|note/i, 'Verifying archive store "Archive 2025"'],
  [/percent/i, 40],
  [/Mb$/, 2048],
  [/Ms$/, 120],
  [/total|count|done|succeeded|failed|attempts/i, 3],
];

const BY_FORMAT: Record<string, string> = {
  'date-time': '2026-12-02T09:30:00.000Z',
  date: '2026-12-02',
  uuid: '0d7f5a6e-3c1b-4a8e-9f4d-2b6c8e1a7f30',
  email: 'ada.lovelace@example.com',
  uri: 'https://mail.example.com',
};

function resolve(document: OpenAPIObject, schema: SchemaObject | ReferenceObject): SchemaObject {
  if (!('$ref' in schema)) return schema;
  const name = schema.$ref.replace('#/components/schemas/', '');
  return (document.components?.schemas?.[name] ?? {}) as SchemaObject;
}

/**
 * An example for a response schema: each field's own example, else one from its format or
 * its name, so that no example in the document says `"string"`.
 */
export function sampleOf(
  document: OpenAPIObject,
  given: SchemaObject | ReferenceObject,
  name = '',
  depth = 0,
): unknown {
  const schema = resolve(document, given);
  if (schema.example !== undefined) return schema.example;
  if (schema.enum?.length) return schema.enum[0];
  const variant = schema.allOf?.[0] ?? schema.oneOf?.[0] ?? schema.anyOf?.[0];
  if (variant) return sampleOf(document, variant, name, depth);
  if (depth > 6) return null;
  if (schema.type === 'array') return schema.items ? [sampleOf(document, schema.items, name, depth + 1)] : [];
  if (schema.type === 'object' || schema.properties) {
    const value: Record<string, unknown> = {};
    for (const [field, property] of Object.entries(schema.properties ?? {})) {
      value[field] = sampleOf(document, property, field, depth + 1);
    }
    return value;
  }
  if (schema.type === 'boolean') return true;
  const named = BY_NAME.find(([pattern]) => pattern.test(name))?.[1];
  if (schema.type === 'integer' || schema.type === 'number') return typeof named === 'number' ? named : 1;
  if (schema.format && BY_FORMAT[schema.format]) return BY_FORMAT[schema.format];
  if (schema.nullable && named === undefined) return null;
  return typeof named === 'string' ? named : `example ${name || 'value'}`;
}
