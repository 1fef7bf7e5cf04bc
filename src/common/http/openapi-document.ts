import type { INestApplication } from '@nestjs/common';
import { DocumentBuilder, type OpenAPIObject, SwaggerModule } from '@nestjs/swagger';
import type {
  OperationObject,
  ParameterObject,
  ReferenceObject,
  ResponseObject,
  SchemaObject,
} from '@nestjs/swagger/dist/interfaces/open-api-spec.interface';
import { ALL_ADAPTERS } from '../../adapters/all-adapters';
import { ERROR_CODES, type ErrorCode } from '../../domain/errors';
import { SERVICES } from '../../domain/model';
import { problemExample } from './problem-examples';
import { sampleOf } from './openapi-samples';
import { documentPlatformStatuses } from './openapi-statuses';

/** Tags in the order a portal developer reads them, users first; any other tag follows. */
const TAGS: { name: string; description: string }[] = [
  {
    name: 'Users',
    description: "A service's user accounts (mail, archive, secure-mail) and their mailboxes.",
  },
  { name: 'Aliases', description: 'Addresses that forward to recipients.' },
  { name: 'Domains', description: 'Mail domains of a tenant.' },
  { name: 'Archive', description: 'MailStore archive stores, archive users, verification and compaction.' },
  { name: 'Migrations', description: 'Batch imports of users (JSON or streamed CSV) as jobs.' },
  { name: 'Jobs', description: 'Long operations: state, progress, items, cancel, retry and live events.' },
  { name: 'Tenants', description: 'Customers of the gateway.' },
  { name: 'Connections', description: "A tenant's vendor accounts, one per service." },
  { name: 'API keys', description: 'Keys with scopes, bound to a tenant or global.' },
  { name: 'Audit', description: 'The append-only log of every change and vendor call.' },
  { name: 'Providers', description: 'Each vendor, its services, operations and fields.' },
  { name: 'Webhooks', description: 'Signed inbound webhooks from downstream systems.' },
  { name: 'Operations', description: 'Health and metrics for operators.' },
];

const MUTATING = new Set(['post', 'put', 'patch', 'delete']);
const ref = (name: string, kind: 'parameters' | 'headers'): ReferenceObject => ({
  $ref: `#/components/${kind}/${name}`,
});

/** What every path parameter of that name is, and the shape that names anything at all. */
const PATH_PARAMETERS: Record<string, { description: string; pattern: string; example: string }> = {
  tenantId: {
    description: 'The tenant id (3-63 of a-z, 0-9 and -).',
    pattern: '^[a-z0-9-]{3,63}$',
    example: 'acme',
  },
  connectionId: {
    description:
      "The connection's id, unique within its tenant: chosen at creation (3-63 of a-z, 0-9 and -) or a generated uuid.",
    pattern: '^[a-z0-9-]{3,63}$',
    example: 'acme-mail',
  },
  email: {
    description: "The user's email address (the archive user name for `service=archive`).",
    pattern: '^[^@/\\s]+@[^@/\\s]+$',
    example: 'ada.lovelace@example.com',
  },
  address: {
    description: 'The alias address.',
    pattern: '^[^@/\\s]+@[^@/\\s]+$',
    example: 'sales@example.com',
  },
  recipient: {
    description: 'The recipient address to remove.',
    pattern: '^[^@/\\s]+@[^@/\\s]+$',
    example: 'ada.lovelace@example.com',
  },
  name: { description: 'The domain name.', pattern: '^[A-Za-z0-9.-]{1,253}$', example: 'example.com' },
  storeId: {
    description: "The archive store's id (MailStore's numeric store id).",
    pattern: '^[^/]{1,64}$',
    example: '2',
  },
  id: {
    description: 'The resource id (a job id is a UUID).',
    pattern: '^[^/]{1,128}$',
    example: '0d7f5a6e-3c1b-4a8e-9f4d-2b6c8e1a7f30',
  },
  sourceId: { description: "The webhook source's id.", pattern: '^[a-z0-9-]{3,63}$', example: 'crm' },
};

const HEADER_DESCRIPTIONS = {
  'X-Request-Id':
    'The request id: the one sent (1-128 of A-Z a-z 0-9 . _ : -) or a generated UUID; also in every audit event.',
  'Idempotent-Replayed':
    '`true` when this is the stored answer to an earlier request with the same Idempotency-Key.',
  'Retry-After': 'Seconds to wait before retrying.',
  ETag: 'The version of the resource (a hash of its neutral view); send it back as If-Match.',
  Location: 'The job to poll: /v1/jobs/{id}.',
  'RateLimit-Limit': 'Requests allowed per window in the tightest bucket (per API key or per tenant).',
  'RateLimit-Remaining': 'Requests left in that bucket in this window.',
  'RateLimit-Reset': 'Seconds until the window of that bucket ends.',
};

/** The OpenAPI document of every route the app serves, built from the controllers' decorators. */
export function buildOpenApiDocument(app: INestApplication): OpenAPIObject {
  const config = new DocumentBuilder()
    .setTitle('Mailroom')
    .setDescription(
      'One provider-neutral API for mail users, mailboxes, aliases, domains, archives and secure mail. ' +
        `Every error is application/problem+json. Services: ${SERVICES.join(', ')}.`,
    )
    .setVersion('1')
    .addServer('http://127.0.0.1:3000', 'A local gateway on the default PORT and HOST')
    .addBearerAuth({
      type: 'http',
      scheme: 'bearer',
      bearerFormat: 'opaque API key',
      description: 'An API key: `mr_live_…` or the admin key. Opaque: not a JWT.',
    })
    .build();
  const document = SwaggerModule.createDocument(app, config, { operationIdFactory: operationId });
  documentPlatformStatuses(document);
  addComponents(document);
  for (const item of Object.values(document.paths)) {
    const versioned = Object.values(item).some((op: OperationObject) => op?.responses?.['412'] !== undefined);
    for (const [method, operation] of Object.entries(item) as [string, OperationObject][]) {
      polishOperation(document, method, operation, versioned);
    }
  }
  declareTags(document);
  dropRequestDefaults(document);
  describeProviderFields(document);
  assertUniqueOperationIds(document);
  return document;
}

/** `UsersController.create` → `createUser`, `list` → `listUsers`, `getMailbox` → `getUserMailbox`. */
function operationId(controllerKey: string, methodKey: string): string {
  const plural =
    { AuditController: 'AuditEvents', ArchiveOperationsController: 'Archive', HealthController: '' }[
      controllerKey
    ] ?? controllerKey.replace(/Controller$/, '');
  const singular = plural
    .replace(/ies$/, 'y')
    .replace(/(ses|xes)$|s$/, (m) => (m.length > 1 ? m.slice(0, -2) : ''));
  const fixed: Record<string, string> = {
    list: `list${plural}`,
    items: `list${singular}Items`,
    follow: `stream${singular}Events`,
    remove: `delete${singular}`,
    put: `set${singular}`,
    live: 'getLiveness',
    ready: 'getReadiness',
    metrics: 'getMetrics',
  };
  if (fixed[methodKey]) return fixed[methodKey];
  const [, verb, rest] = /^([a-z]+)(.*)$/.exec(methodKey) ?? ['', methodKey, ''];
  return rest.startsWith(singular) ? `${verb}${rest}` : `${verb}${singular}${rest}`;
}

function addComponents(document: OpenAPIObject): void {
  const components = (document.components ??= {});
  components.schemas = {
    ...components.schemas,
    Problem: {
      type: 'object',
      description: 'application/problem+json: every error of the API.',
      required: ['type', 'title', 'status', 'code', 'detail', 'requestId'],
      properties: {
        type: { type: 'string', format: 'uri', example: 'https://mailroom.dev/problems/not-found' },
        title: { type: 'string', example: 'Not found' },
        status: { type: 'integer', example: 404 },
        code: { type: 'string', enum: Object.keys(ERROR_CODES), example: 'not_found' },
        detail: { type: 'string', example: 'User "ada.lovelace@example.com" was not found.' },
        requestId: { type: 'string', example: '7c1e4b9a-2f3d-4e8a-b5c6-0d9f8e7a6b51' },
        errors: {
          type: 'array',
          description: 'Per-field problems of a validation failure.',
          items: {
            type: 'object',
            required: ['field', 'message'],
            properties: {
              field: { type: 'string', example: 'email' },
              message: { type: 'string', example: 'email must be an email address' },
            },
          },
        },
      },
    },
  };
  components.parameters = {
    ...components.parameters,
    XRequestId: {
      name: 'X-Request-Id',
      in: 'header',
      required: false,
      description:
        'Your id for this request (1-128 of A-Z a-z 0-9 . _ : -); generated when absent, echoed back.',
      schema: { type: 'string', pattern: '^[A-Za-z0-9._:-]{1,128}$', example: 'portal-2f9c1e' },
    },
    IdempotencyKey: {
      name: 'Idempotency-Key',
      in: 'header',
      required: false,
      description:
        'Makes a retry safe: the first answer is stored for 24 h and replayed for the same key, method, path and body (`Idempotent-Replayed: true`). A request refused before any side effect (validation, auth, 404, If-Match) does not use up its key.',
      schema: { type: 'string', minLength: 1, maxLength: 255, example: 'create-ada-2026-12-02' },
    },
    IfMatch: {
      name: 'If-Match',
      in: 'header',
      required: false,
      description:
        'Change only if the resource still has this ETag (or `*`: if it exists); otherwise 412 precondition_failed.',
      schema: { type: 'string', example: '"kD3pP0cVtq2mNw8yY1rXbZs5uGa"' },
    },
  };
  components.headers = {
    ...components.headers,
    ...Object.fromEntries(
      Object.entries(HEADER_DESCRIPTIONS).map(([name, description]) => [
        name,
        {
          description,
          schema: { type: name.startsWith('RateLimit') || name === 'Retry-After' ? 'integer' : 'string' },
        },
      ]),
    ),
  };
}

function polishOperation(
  document: OpenAPIObject,
  method: string,
  operation: OperationObject,
  versioned: boolean,
): void {
  const authenticated = (operation.security ?? document.security ?? []).some(
    (s) => Object.keys(s).length > 0,
  );
  const idempotent = authenticated && MUTATING.has(method);
  operation.description ||=
    operation.summary ?? (operation.responses['200'] as ResponseObject | undefined)?.description;
  const parameters = (operation.parameters ??= []) as (ParameterObject | ReferenceObject)[];
  for (const parameter of parameters) {
    if ('$ref' in parameter) continue;
    if (parameter.in === 'path') {
      const known = PATH_PARAMETERS[parameter.name] ?? {
        description: `The ${parameter.name}.`,
        pattern: '^[^/]+$',
        example: 'example',
      };
      parameter.description ??= known.description;
      parameter.example ??= known.example;
      parameter.schema = { type: 'string', pattern: known.pattern };
    }
    if (parameter.in === 'query' && parameter.name === 'limit') {
      parameter.schema = { ...(parameter.schema as SchemaObject), type: 'integer' };
    }
  }
  // A CSV upload is text: the JSON body's schema on it would have clients send an object.
  const csv = (operation.requestBody as { content?: Record<string, { schema?: unknown }> } | undefined)
    ?.content?.['text/csv'];
  if (csv)
    csv.schema = { type: 'string', description: "CSV with a header row naming the JSON body's fields." };
  parameters.push(ref('XRequestId', 'parameters'));
  if (idempotent) parameters.push(ref('IdempotencyKey', 'parameters'));
  if (operation.responses['412']) parameters.push(ref('IfMatch', 'parameters'));

  if (authenticated && !operation.responses['429']) {
    operation.responses['429'] = problemResponse(['rate_limited'], 429);
  }
  for (const [status, answer] of Object.entries(operation.responses) as [string, ResponseObject][]) {
    const code = Number(status);
    answer.description ||= successDescription(code);
    const headers: Record<string, ReferenceObject> = { 'X-Request-Id': ref('X-Request-Id', 'headers') };
    if (authenticated) {
      for (const name of ['RateLimit-Limit', 'RateLimit-Remaining', 'RateLimit-Reset']) {
        headers[name] = ref(name, 'headers');
      }
    }
    if (code === 429 || code === 503 || code === 409) headers['Retry-After'] = ref('Retry-After', 'headers');
    if (code < 300 && idempotent) headers['Idempotent-Replayed'] = ref('Idempotent-Replayed', 'headers');
    if (code < 300 && versioned && method !== 'delete') headers.ETag = ref('ETag', 'headers');
    if (code === 202) headers.Location = ref('Location', 'headers');
    answer.headers = { ...answer.headers, ...headers };
    const problem = answer.content?.['application/problem+json'];
    if (problem && !problem.examples && !problem.example) problem.examples = problemExamples(answer, code);
    const json = answer.content?.['application/json'];
    if (json && json.example === undefined && json.examples === undefined && json.schema) {
      json.example = sampleOf(document, json.schema);
    }
  }
  const stream = operation.responses['200'] as ResponseObject | undefined;
  if (stream?.content?.['text/event-stream']) delete stream.content['application/json'];
}

/** Examples for a problem response declared without them: the codes its description names. */
function problemExamples(answer: ResponseObject, status: number): Record<string, { value: unknown }> {
  const named = Object.keys(ERROR_CODES).filter((code) =>
    new RegExp(`\\b${code}\\b`).test(answer.description),
  );
  const codes = (
    named.length ? named : Object.keys(ERROR_CODES).filter((c) => ERROR_CODES[c as ErrorCode] === status)
  ) as ErrorCode[];
  return Object.fromEntries(codes.map((code) => [code, { value: problemExample(code, status) }]));
}

function problemResponse(codes: (keyof typeof ERROR_CODES)[], status: number): ResponseObject {
  return {
    description: `Problem: ${codes.join(', ')}`,
    content: {
      'application/problem+json': {
        schema: { $ref: '#/components/schemas/Problem' },
        examples: Object.fromEntries(codes.map((code) => [code, { value: problemExample(code, status) }])),
      },
    },
  };
}

function successDescription(status: number): string {
  return (
    {
      200: 'OK',
      201: 'Created',
      202: 'Accepted: the job; poll its Location or stream its events',
      204: 'No content',
    }[status] ?? 'Answer'
  );
}

function declareTags(document: OpenAPIObject): void {
  const used = new Set(
    Object.values(document.paths).flatMap((item) =>
      Object.values(item).flatMap((op: OperationObject) => op?.tags ?? []),
    ),
  );
  const known = TAGS.filter((tag) => used.has(tag.name));
  const others = [...used]
    .filter((name) => !TAGS.some((tag) => tag.name === name))
    .sort()
    .map((name) => ({ name, description: `${name} endpoints.` }));
  document.tags = [...known, ...others];
}

/**
 * A `default` on a request field makes generators type it as always present; the default is
 * applied by the server, so it is said in words instead.
 */
function dropRequestDefaults(document: OpenAPIObject): void {
  for (const schema of Object.values(document.components?.schemas ?? {}) as SchemaObject[]) {
    for (const property of Object.values(schema.properties ?? {}) as SchemaObject[]) {
      if (property.default === undefined) continue;
      const said = `Default: ${JSON.stringify(property.default)}.`;
      if (!property.description?.includes('Default')) {
        property.description = property.description ? `${property.description} ${said}` : said;
      }
      delete property.default;
    }
  }
}

/** Connection credentials and settings differ per provider: each field list, from the adapters' descriptors. */
function describeProviderFields(document: OpenAPIObject): void {
  const schemas = (document.components?.schemas ?? {}) as Record<string, SchemaObject>;
  for (const field of ['credentials', 'settings'] as const) {
    const lines = ALL_ADAPTERS.map(({ descriptor }) => {
      const fields = descriptor[field]
        .map((f) => `\`${f.name}\`${f.required ? ' (required)' : ''}`)
        .join(', ');
      return `- \`${descriptor.name}\`: ${fields || 'none'}`;
    });
    const text = `Per provider (see GET /v1/providers for each field's meaning):\n${lines.join('\n')}`;
    for (const name of ['CreateConnectionDto', 'UpdateConnectionDto']) {
      const property = schemas[name]?.properties?.[field] as SchemaObject | undefined;
      if (property) property.description = [property.description, text].filter(Boolean).join('\n\n');
    }
  }
}

function assertUniqueOperationIds(document: OpenAPIObject): void {
  const seen = new Set<string>();
  for (const item of Object.values(document.paths)) {
    for (const op of Object.values(item) as OperationObject[]) {
      if (!op?.operationId) continue;
      if (seen.has(op.operationId)) throw new Error(`Two OpenAPI operations are named ${op.operationId}`);
      seen.add(op.operationId);
    }
  }
}
