import { readFileSync } from 'node:fs';
import Ajv, { type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import { parse } from 'yaml';

/** A request as a simulator recorded it (`GET /__sim/requests`). */
export interface RequestToValidate {
  method: string;
  /** Path and query, percent-encoded as sent. */
  url: string;
  body?: unknown;
}

export interface RequestValidation {
  ok: boolean;
  /** `METHOD /template` of the matched operation, when the path matched one. */
  operation?: string;
  errors: string[];
}

type Json = Record<string, unknown>;

interface Parameter {
  name: string;
  in: 'path' | 'query' | 'header' | 'cookie';
  required?: boolean;
  schema?: Json;
}

interface Operation {
  parameters?: Parameter[];
  requestBody?: { required?: boolean; content?: Record<string, { schema?: Json }> };
}

interface PathTemplate {
  template: string;
  segments: string[];
  staticCount: number;
  item: Record<string, unknown>;
}

const SCHEMA_BASE = 'https://openapi.local/schemas/';
const schemaId = (name: string): string => SCHEMA_BASE + encodeURIComponent(name.replace(/\s+/g, '_'));

/**
 * Turns OpenAPI 3.0 schema objects into JSON Schema ajv understands: `nullable` becomes a null
 * alternative, component `$ref`s point at registered ids, and objects that list their properties
 * (without composition) reject unknown ones, because a field the vendor does not know is a bug.
 */
function toJsonSchema(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(toJsonSchema);
  if (node === null || typeof node !== 'object') return node;
  const source = node as Json;
  const out: Json = {};
  for (const [key, value] of Object.entries(source)) {
    if (key === 'nullable' || key === 'example' || key === 'deprecated' || key === 'externalDocs') continue;
    if (key === '$ref' && typeof value === 'string' && value.startsWith('#/components/schemas/')) {
      out.$ref = schemaId(value.slice('#/components/schemas/'.length));
      continue;
    }
    if (key === 'properties' && value && typeof value === 'object') {
      out.properties = Object.fromEntries(
        Object.entries(value as Json).map(([k, v]) => [k, toJsonSchema(v)]),
      );
      continue;
    }
    out[key] = toJsonSchema(value);
  }
  if (out.properties && !out.allOf && !out.anyOf && !out.oneOf && out.additionalProperties === undefined) {
    out.additionalProperties = false;
  }
  if (source.nullable === true) {
    if (typeof out.type === 'string') return { ...out, type: [out.type, 'null'] };
    return { anyOf: [{ type: 'null' }, out] };
  }
  return out;
}

/** Coerces a query or path value (always a string on the wire) to the schema's type. */
function coerce(raw: string, schema: Json | undefined): unknown {
  const type = schema?.type;
  if (type === 'integer' || type === 'number') return /^-?\d+(\.\d+)?$/.test(raw) ? Number(raw) : raw;
  if (type === 'boolean') return raw === 'true' ? true : raw === 'false' ? false : raw;
  return raw;
}

/** Validates recorded vendor requests against an OpenAPI 3.0 document: path, method, query, body. */
export class OpenApiRequestValidator {
  private readonly ajv: Ajv;
  private readonly templates: PathTemplate[];
  private readonly compiled = new Map<string, ValidateFunction>();

  constructor(document: Json) {
    this.ajv = new Ajv({ strict: false, allErrors: true });
    addFormats(this.ajv);
    this.ajv.addFormat('int32', {
      type: 'number',
      validate: (n: number) => Number.isInteger(n) && n >= -2147483648 && n <= 2147483647,
    });
    this.ajv.addFormat('int64', { type: 'number', validate: (n: number) => Number.isInteger(n) });
    const schemas = ((document.components as Json | undefined)?.schemas ?? {}) as Json;
    for (const [name, schema] of Object.entries(schemas)) {
      this.ajv.addSchema({ ...(toJsonSchema(schema) as Json), $id: schemaId(name) });
    }
    this.templates = Object.entries((document.paths ?? {}) as Json)
      .map(([template, item]) => {
        const segments = template.split('/').filter(Boolean);
        return {
          template,
          segments,
          staticCount: segments.filter((s) => !s.startsWith('{')).length,
          item: item as Record<string, unknown>,
        };
      })
      .sort((a, b) => b.staticCount - a.staticCount);
  }

  static fromFile(path: string): OpenApiRequestValidator {
    return new OpenApiRequestValidator(parse(readFileSync(path, 'utf8')) as Json);
  }

  validate(request: RequestToValidate): RequestValidation {
    const url = new URL(request.url, 'http://validator.local');
    const segments = url.pathname.split('/').filter(Boolean);
    const matches = this.templates
      .map((t) => ({ t, params: this.match(t, segments) }))
      .filter((m): m is { t: PathTemplate; params: Record<string, string> } => m.params !== undefined);
    if (matches.length === 0) return { ok: false, errors: [`no path in the spec matches ${url.pathname}`] };

    const method = request.method.toLowerCase();
    const found = matches.find((m) => m.t.item[method] !== undefined);
    if (!found) {
      return { ok: false, errors: [`${request.method} is not an operation of ${matches[0].t.template}`] };
    }
    const operation = found.t.item[method] as Operation;
    const name = `${request.method.toUpperCase()} ${found.t.template}`;
    const parameters = [
      ...((found.t.item.parameters as Parameter[] | undefined) ?? []),
      ...(operation.parameters ?? []),
    ];
    const errors = [
      ...this.checkPath(parameters, found.params),
      ...this.checkQuery(parameters, url.searchParams),
      ...this.checkBody(operation, request.body),
    ];
    return { ok: errors.length === 0, operation: name, errors };
  }

  private match(template: PathTemplate, segments: string[]): Record<string, string> | undefined {
    if (template.segments.length !== segments.length) return undefined;
    const params: Record<string, string> = {};
    for (let i = 0; i < segments.length; i++) {
      const expected = template.segments[i];
      const actual = decodeURIComponent(segments[i]);
      if (expected.startsWith('{') && expected.endsWith('}')) params[expected.slice(1, -1)] = actual;
      else if (expected !== actual) return undefined;
    }
    return params;
  }

  private checkPath(parameters: Parameter[], values: Record<string, string>): string[] {
    return parameters
      .filter((p) => p.in === 'path')
      .flatMap((p) =>
        this.checkValue(`path parameter ${p.name}`, coerce(values[p.name] ?? '', p.schema), p.schema),
      );
  }

  private checkQuery(parameters: Parameter[], search: URLSearchParams): string[] {
    const declared = new Map(parameters.filter((p) => p.in === 'query').map((p) => [p.name, p]));
    const errors: string[] = [];
    for (const key of new Set(search.keys())) {
      const parameter = declared.get(key);
      if (!parameter) {
        errors.push(`query parameter ${key} is not declared`);
        continue;
      }
      for (const raw of search.getAll(key)) {
        errors.push(
          ...this.checkValue(`query parameter ${key}`, coerce(raw, parameter.schema), parameter.schema),
        );
      }
    }
    for (const parameter of declared.values()) {
      if (parameter.required && !search.has(parameter.name))
        errors.push(`query parameter ${parameter.name} is required`);
    }
    return errors;
  }

  private checkBody(operation: Operation, body: unknown): string[] {
    const requestBody = operation.requestBody;
    const absent = body === undefined || body === null || body === '';
    if (!requestBody) return absent ? [] : ['the operation takes no request body'];
    if (absent) return requestBody.required ? ['request body is required'] : [];
    const schema = requestBody.content?.['application/json']?.schema;
    if (!schema) return ['the operation takes no JSON body'];
    return this.checkValue('body', body, schema);
  }

  private checkValue(label: string, value: unknown, schema: Json | undefined): string[] {
    if (!schema) return [];
    const key = JSON.stringify(schema);
    let validate = this.compiled.get(key);
    if (!validate) {
      validate = this.ajv.compile(toJsonSchema(schema) as Json);
      this.compiled.set(key, validate);
    }
    if (validate(value)) return [];
    return (validate.errors ?? []).map((e) => {
      const extra = e.keyword === 'additionalProperties' ? `: ${String(e.params.additionalProperty)}` : '';
      return `${label}${e.instancePath} ${e.message ?? 'is invalid'}${extra}`;
    });
  }
}
