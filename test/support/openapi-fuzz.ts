import fc from 'fast-check';

/**
 * A property-based fuzzer driven by the service's own OpenAPI document: every operation in it
 * (so new routes are covered without touching this file), requests built from each operation's
 * parameters and body schema and then broken in hostile ways, and properties checked on every
 * answer: no 5xx, every 4xx a problem+json with code and requestId, every status documented for
 * the operation, no stack trace and no known secret in any body.
 */

type Json = Record<string, unknown>;

export interface FuzzParameter {
  name: string;
  in: 'path' | 'query';
  required: boolean;
  schema: Json;
}

export interface FuzzOperation {
  /** `GET /v1/tenants/{tenantId}` */
  id: string;
  method: string;
  template: string;
  segments: string[];
  parameters: FuzzParameter[];
  bodySchema?: Json;
  bodyTypes: string[];
  statuses: Set<string>;
}

/** What the fuzzer knows about the running service, to make some requests get past the guards. */
export interface FuzzTarget {
  url: string;
  adminKey: string;
  /** Tenant-bound keys of seeded tenants (rotate when the target is re-seeded). */
  tenantKeys: { tenantId: string; key: string }[];
  /** Values that exist (tenant ids, emails, connection ids…), used as path parameters now and then. */
  knownValues: string[];
  /** Strings no answer may contain. */
  secrets: string[];
}

export interface FuzzRequest {
  method: string;
  path: string;
  headers: Record<string, string>;
  body?: string | Buffer;
  /** The operation the request was built for (the router may pick another, see matchOperation). */
  builtFor: string;
}

export interface FuzzResponse {
  status: number;
  contentType: string;
  text: string;
}

type Verdict = '5xx' | 'vendor-5xx' | 'non-problem' | 'undocumented' | 'other';

export interface FuzzFailure {
  request: FuzzRequest;
  status: number;
  operation: string | null;
  problems: string[];
  body: string;
}

export interface FuzzReport {
  seed: number;
  sent: number;
  notSent: number;
  byStatus: Record<string, number>;
  serverErrors: number;
  /** Documented 501 unsupported_operation and vendor 502-504 answers: the contract, not failures. */
  vendorAnswers5xx: number;
  nonProblem4xx: number;
  undocumented: number;
  otherViolations: number;
  operationsCovered: number;
  operations: number;
  failures: FuzzFailure[];
}

const HTTP_METHODS = ['get', 'post', 'put', 'patch', 'delete'];
const BODY_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
/** What any request that matches no operation may answer: router, parser and HTTP-level errors. */
const UNMATCHED_STATUSES = new Set(['400', '404', '405', '413', '415', '422', '431']);
const STACK_TRACE = /\bat (?:async )?\S+ \(?[^\s)]+\.(?:ts|js):\d+:\d+\)?|node:internal/;
const MAX_FAILURES_KEPT = 20;
const VENDOR_CODES = /"code":"(unsupported_operation|provider_unavailable|provider_auth_failed)"/;

function resolve(document: Json, node: unknown): Json {
  let current = node as Json | undefined;
  for (let i = 0; current && typeof current.$ref === 'string' && i < 10; i++) {
    const name = (current.$ref as string).replace('#/components/schemas/', '');
    current = ((document.components as Json)?.schemas as Json)?.[name] as Json | undefined;
  }
  return current ?? {};
}

/** Every operation of an OpenAPI 3 document, with its parameters, body schema and documented statuses. */
export function operationsOf(document: Json): FuzzOperation[] {
  const operations: FuzzOperation[] = [];
  for (const [template, rawItem] of Object.entries((document.paths ?? {}) as Json)) {
    const item = rawItem as Json;
    for (const method of HTTP_METHODS) {
      const op = item[method] as Json | undefined;
      if (!op) continue;
      const parameters = [...((item.parameters as Json[]) ?? []), ...((op.parameters as Json[]) ?? [])]
        .filter((p) => p.in === 'path' || p.in === 'query')
        .map((p) => ({
          name: String(p.name),
          in: p.in as 'path' | 'query',
          required: p.required === true,
          schema: resolve(document, p.schema),
        }));
      const content = ((op.requestBody as Json | undefined)?.content ?? {}) as Json;
      const json = content['application/json'] as Json | undefined;
      operations.push({
        id: `${method.toUpperCase()} ${template}`,
        method: method.toUpperCase(),
        template,
        segments: template.split('/').filter(Boolean),
        parameters,
        bodySchema: json?.schema ? (json.schema as Json) : undefined,
        bodyTypes: Object.keys(content),
        statuses: new Set(Object.keys((op.responses ?? {}) as Json)),
      });
    }
  }
  return operations;
}

/**
 * The operation a router would pick for a concrete path: static segments beat parameters, as in
 * Fastify's router, so `/archive/stores/attach` is not `/archive/stores/{storeId}`.
 */
export function matchOperation(
  operations: FuzzOperation[],
  method: string,
  path: string,
): FuzzOperation | null {
  // As the client sends it: dot segments resolved, the query left out.
  const raw = new URL(path, 'http://fuzz.local').pathname.replace(/\/+$/, '');
  const segments = raw.split('/').slice(1);
  const decode = (s: string) => {
    try {
      return decodeURIComponent(s);
    } catch {
      return s;
    }
  };
  let best: { op: FuzzOperation; score: number } | null = null;
  for (const op of operations) {
    if (op.method !== method || op.segments.length !== segments.length) continue;
    let score = 0;
    let ok = true;
    for (let i = 0; i < segments.length && ok; i++) {
      const expected = op.segments[i];
      if (expected.startsWith('{')) ok = segments[i] !== '';
      else if (decode(segments[i]) === expected) score += 2 ** (segments.length - i);
      else ok = false;
    }
    if (ok && (!best || score > best.score)) best = { op, score };
  }
  return best?.op ?? null;
}

// ---------------------------------------------------------------------------------------------
// Hostile material

const DEEP_JSON = `{"id":"deep","name":${'['.repeat(10_000)}${']'.repeat(10_000)}}`;
const HUGE_JSON = JSON.stringify({ id: 'huge', name: 'x'.repeat(1024 * 1024 + 16) });
const HUGE_HEADER = 'h'.repeat(20 * 1024);
const LONG_STRING = 'y'.repeat(20_000);

const hostileStrings = fc.constantFrom(
  '',
  ' ',
  '\u0000',
  'a\u0000b',
  '..',
  '../../etc/passwd',
  '%00',
  '%',
  '%zz',
  '%ED%A0%80',
  'null',
  'undefined',
  'true',
  '-1',
  '0',
  '1e309',
  'NaN',
  '9'.repeat(40),
  '<script>alert(1)</script>',
  "' OR 1=1 --",
  '${jndi:ldap://127.0.0.1/x}',
  '{{7*7}}',
  '😀',
  '\u202e',
  'x@y',
  '@',
  'a@b@c',
  'Ünïcödé@exämple.com',
  'john.doe@demo.example',
  'a'.repeat(300),
  'a'.repeat(600),
  '00000000-0000-0000-0000-000000000000',
  'http://127.0.0.1:9/',
  'file:///etc/passwd',
  'gopher://127.0.0.1:70/_x',
  '2026-W01',
  '20260101',
  '20261231T235959Z',
  '2026-02-30',
  '2026-01-01T10:00',
);

const anyString = fc.oneof(
  { weight: 3, arbitrary: hostileStrings },
  { weight: 2, arbitrary: fc.string({ maxLength: 40 }) },
  { weight: 1, arbitrary: fc.string({ unit: 'grapheme', maxLength: 20 }) },
  { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 20 }) },
  { weight: 1, arbitrary: fc.emailAddress() },
  { weight: 1, arbitrary: fc.uuid() },
);

const hostileJsonValues: fc.Arbitrary<unknown> = fc.oneof(
  fc.constant(null),
  fc.boolean(),
  fc.integer(),
  fc.double(),
  fc.constant(LONG_STRING),
  anyString,
  fc.array(anyString, { maxLength: 3 }),
  fc.dictionary(anyString, anyString, { maxKeys: 3 }),
  fc.jsonValue({ maxDepth: 3 }),
);

/** Raw bodies no schema would produce; the `\\ud800` escapes are lone surrogates. */
const hostileRawBodies = fc.constantFrom<string | Buffer>(
  DEEP_JSON,
  HUGE_JSON,
  '{',
  '{"id":',
  '[',
  'null',
  '""',
  '0',
  '[1,2]',
  '{"__proto__":{"admin":true}}',
  '{"constructor":{"prototype":{"admin":true}}}',
  '{"a":"\\u0000"}',
  '{"\\u0000":1}',
  '{"email":"\\ud800@r.example"}',
  '{"recipients":["\\udc00@r.example"]}',
  '{"newEmail":"a\\ud800@r.example","name":"\\ud83d"}',
  `{"a":${'{"b":'.repeat(40)}1${'}'.repeat(40)}}`,
  JSON.stringify({ list: Array.from({ length: 10_001 }, () => 1) }),
  JSON.stringify(Object.fromEntries(Array.from({ length: 1_001 }, (_, i) => [`k${i}`, i]))),
  Buffer.from([0x7b, 0x22, 0x61, 0x22, 0x3a, 0x22, 0xff, 0xfe, 0x22, 0x7d]),
  'id=x&name=y',
  'email,firstName\njohn@demo.example,John\n',
);

// ---------------------------------------------------------------------------------------------
// Values from schemas

function valueFor(document: Json, schemaNode: unknown, depth: number): fc.Arbitrary<unknown> {
  const schema = resolve(document, schemaNode);
  if (depth > 4) return fc.constant(null);
  const composite = (schema.allOf ?? schema.oneOf ?? schema.anyOf) as Json[] | undefined;
  if (composite?.length) return fc.oneof(...composite.map((s) => valueFor(document, s, depth + 1)));
  if (Array.isArray(schema.enum)) return fc.constantFrom(...(schema.enum as unknown[]));
  switch (schema.type) {
    case 'string': {
      const examples: fc.Arbitrary<unknown>[] = [];
      if (schema.format === 'email') examples.push(fc.emailAddress());
      if (schema.format === 'uri' || schema.format === 'url') examples.push(fc.webUrl());
      if (schema.format === 'date-time')
        examples.push(fc.date({ noInvalidDate: true }).map((d) => d.toISOString()));
      if (schema.example !== undefined) examples.push(fc.constant(schema.example));
      if (typeof schema.pattern === 'string') {
        try {
          examples.push(fc.stringMatching(new RegExp(schema.pattern)).map((s) => s.slice(0, 64)));
        } catch {
          // A pattern JavaScript cannot compile is not the fuzzer's business.
        }
      }
      return fc.oneof(fc.string({ minLength: 1, maxLength: 30 }), ...examples);
    }
    case 'integer':
      return fc.integer({
        min: typeof schema.minimum === 'number' ? schema.minimum : -10,
        max: typeof schema.maximum === 'number' ? schema.maximum : 100_000,
      });
    case 'number':
      return fc.double({ noNaN: true, min: -1, max: 1e6 });
    case 'boolean':
      return fc.boolean();
    case 'array':
      return fc.array(valueFor(document, schema.items, depth + 1), { maxLength: 3 });
    default:
      break;
  }
  const properties = (schema.properties ?? {}) as Json;
  const names = Object.keys(properties);
  if (names.length === 0) {
    return schema.additionalProperties
      ? fc.dictionary(
          fc.string({ minLength: 1, maxLength: 12 }),
          fc.oneof(fc.string({ maxLength: 12 }), fc.integer()),
          {
            maxKeys: 3,
          },
        )
      : fc.constant({});
  }
  const required = new Set((schema.required as string[] | undefined) ?? []);
  return fc.record(
    Object.fromEntries(names.map((name) => [name, valueFor(document, properties[name], depth + 1)])),
    { requiredKeys: names.filter((n) => required.has(n)) },
  );
}

/** A valid-looking body, then (usually) broken: a field nulled, retyped, deepened or added. */
function bodyFor(
  document: Json,
  op: FuzzOperation,
  target: FuzzTarget,
): fc.Arbitrary<string | Buffer | undefined> {
  const base = op.bodySchema ? valueFor(document, op.bodySchema, 0) : fc.constant({});
  const mutated = fc
    .tuple(base, fc.nat(), hostileJsonValues, fc.constantFrom('replace', 'add', 'keep', 'secret'))
    .map(([value, pick, hostile, how]) => {
      if (!value || typeof value !== 'object' || Array.isArray(value)) return JSON.stringify(value);
      const record = { ...(value as Json) };
      const keys = Object.keys(record);
      if (how === 'replace' && keys.length) record[keys[pick % keys.length]] = hostile;
      if (how === 'add') record[`extra${pick % 3}`] = hostile;
      if (how === 'secret' && target.secrets.length)
        record.credentials = { username: 'u', password: target.secrets[pick % target.secrets.length] };
      return JSON.stringify(record);
    });
  return fc.oneof(
    { weight: 4, arbitrary: mutated },
    { weight: 2, arbitrary: base.map((v) => JSON.stringify(v)) },
    { weight: 2, arbitrary: hostileRawBodies },
    { weight: 1, arbitrary: hostileJsonValues.map((v) => JSON.stringify(v) ?? 'null') },
    { weight: 1, arbitrary: fc.constant(undefined) },
  );
}

/** `arbitrary` once in `oneIn` draws, else null. */
const rarely = <T>(arbitrary: fc.Arbitrary<T>, oneIn: number): fc.Arbitrary<T | null> =>
  fc.oneof({ weight: oneIn - 1, arbitrary: fc.constant(null) }, { weight: 1, arbitrary });

function paramValue(document: Json, p: FuzzParameter, target: FuzzTarget): fc.Arbitrary<string> {
  const fromSchema = valueFor(document, p.schema, 0).map((v) =>
    typeof v === 'string' ? v : JSON.stringify(v),
  );
  const known = target.knownValues.length ? fc.constantFrom(...target.knownValues) : fc.constant('demo');
  return fc.oneof(
    { weight: 6, arbitrary: known },
    { weight: 2, arbitrary: fromSchema },
    { weight: 3, arbitrary: anyString },
  );
}

/** Encodes a path segment, but now and then sends it raw (bad escapes, dots, slashes). */
const segment = (value: string, raw: boolean): string => {
  if (value === '') return 'x';
  if (!raw) return encodeURIComponent(value);
  return /^[\x21-\x7e]+$/.test(value) && !value.includes('?') && !value.includes('#')
    ? value
    : encodeURIComponent(value);
};

function requestFor(document: Json, op: FuzzOperation, target: FuzzTarget): fc.Arbitrary<FuzzRequest> {
  const pathParams = op.parameters.filter((p) => p.in === 'path');
  const queryParams = op.parameters.filter((p) => p.in === 'query');
  const pathValues = fc.tuple(
    ...pathParams.map((p) => fc.tuple(paramValue(document, p, target), fc.boolean())),
  );
  const query = fc.array(
    fc.tuple(
      queryParams.length
        ? fc.oneof(
            { weight: 5, arbitrary: fc.constantFrom(...queryParams.map((p) => p.name)) },
            { weight: 1, arbitrary: anyString },
          )
        : anyString,
      anyString,
    ),
    { maxLength: 4 },
  );
  const schemaQuery = fc.tuple(
    ...queryParams.map((p) => fc.option(paramValue(document, p, target), { freq: 2 })),
  );
  const auth = fc.oneof(
    { weight: 6, arbitrary: fc.constant(`Bearer ${target.adminKey}`) },
    {
      weight: 3,
      arbitrary: fc
        .nat()
        .map((i) =>
          target.tenantKeys.length ? `Bearer ${target.tenantKeys[i % target.tenantKeys.length].key}` : '',
        ),
    },
    {
      weight: 1,
      arbitrary: fc.constantFrom(
        '',
        'Bearer',
        'Bearer mr_live_x.y',
        'Basic YTpi',
        `Bearer ${'k'.repeat(5000)}`,
      ),
    },
  );
  const contentType = fc.oneof(
    { weight: 8, arbitrary: fc.constant('application/json') },
    {
      weight: 2,
      arbitrary: fc.constantFrom(
        'application/json; charset=utf-8',
        'text/plain',
        'text/csv',
        'application/x-www-form-urlencoded',
        'multipart/form-data; boundary=x',
        'application/xml',
        'application/json-patch+json',
        '',
      ),
    },
  );
  const extraHeaders = fc.record(
    {
      'idempotency-key': fc.oneof(fc.uuid(), fc.constantFrom('', 'k'.repeat(300), 'same-key', 'with space')),
      'x-request-id': fc.oneof(fc.uuid(), fc.constantFrom('', 'r'.repeat(200), 'bad id!', 'fuzz-request')),
      'if-match': fc.constantFrom('"x"', '*', 'W/"abc"', 'garbage'),
      'if-none-match': fc.constantFrom('"x"', '*'),
      accept: fc.constantFrom('application/xml', '*/*', 'text/event-stream'),
    },
    { requiredKeys: [] },
  );
  /** Rare: headers over Node's 16 KiB limit (a 431 before any route). */
  const padding = rarely(fc.constant({ 'x-pad': HUGE_HEADER }), 40);
  const otherMethod = fc.constantFrom('GET', 'POST', 'PUT', 'PATCH', 'DELETE');
  return fc
    .record({
      values: pathValues,
      query,
      schemaQuery,
      body: bodyFor(document, op, target),
      auth,
      contentType,
      extraHeaders: rarely(extraHeaders, 4),
      padding,
      method: rarely(otherMethod, 15),
    })
    .map(
      ({
        values,
        query: extra,
        schemaQuery: declared,
        body,
        auth: authorization,
        contentType: type,
        extraHeaders: more,
        padding: pad,
        method,
      }) => {
        let i = 0;
        const path = op.segments
          .map((s) => {
            if (!s.startsWith('{')) return s;
            const [value, raw] = values[i++];
            return segment(value, raw);
          })
          .join('/');
        const search = new URLSearchParams();
        declared.forEach((value, index) => value !== null && search.append(queryParams[index].name, value));
        for (const [k, v] of extra) search.append(k, v);
        const qs = search.toString();
        const finalMethod = method ?? op.method;
        const headers: Record<string, string> = { ...(more ?? {}), ...(pad ?? {}) };
        if (authorization) headers.authorization = authorization;
        const sendsBody = BODY_METHODS.has(finalMethod) && body !== undefined;
        if (sendsBody && type) headers['content-type'] = type;
        return {
          method: finalMethod,
          path: `/${path}${qs ? `?${qs}` : ''}`,
          headers,
          body: sendsBody ? body : undefined,
          builtFor: op.id,
        };
      },
    );
}

/** Requests for every operation (weighted equally), plus some for paths no operation has. */
export function requestArbitrary(
  document: Json,
  operations: FuzzOperation[],
  target: FuzzTarget,
): fc.Arbitrary<FuzzRequest> {
  const stray = fc
    .record({
      method: fc.constantFrom('GET', 'POST', 'DELETE'),
      path: fc.oneof(
        fc.constantFrom(
          '/',
          '/v1',
          '/v1/',
          '/v2/tenants',
          '/v1/%',
          '/v1/%zz',
          '/v1/..%2f..%2fetc',
          '//v1//tenants',
          '/v1/tenants/demo/users/%ED%A0%80',
        ),
        fc.webPath().map((p) => `/v1${p}`),
      ),
    })
    .map(({ method, path }) => ({
      method,
      path,
      headers: { authorization: `Bearer ${target.adminKey}` },
      builtFor: '(none)',
    }));
  return fc.oneof(
    { weight: 1, arbitrary: stray },
    { weight: 30, arbitrary: fc.oneof(...operations.map((op) => requestFor(document, op, target))) },
  );
}

// ---------------------------------------------------------------------------------------------
// Sending and judging

export async function send(
  baseUrl: string,
  request: FuzzRequest,
  timeoutMs = 30_000,
): Promise<FuzzResponse | null> {
  let response: Response;
  try {
    response = await fetch(`${baseUrl}${request.path}`, {
      method: request.method,
      headers: request.headers,
      body: request.body,
      redirect: 'manual',
      signal: AbortSignal.timeout(timeoutMs),
    });
  } catch (error) {
    // Requests the client itself refuses to send (an invalid header value or URL) test nothing.
    if (error instanceof TypeError && !/fetch failed/.test(error.message)) return null;
    throw new Error(`${request.method} ${request.path.slice(0, 200)}: ${(error as Error).message}`, {
      cause: error,
    });
  }
  const contentType = response.headers.get('content-type') ?? '';
  // Streams (SSE) would never end: their status and type are what is judged.
  const text = contentType.startsWith('text/event-stream')
    ? (await response.body?.cancel(), '')
    : await response.text();
  return { status: response.status, contentType, text };
}

/** Every property the answer breaks, as words; empty when it keeps them all. */
export function judge(
  operations: FuzzOperation[],
  request: FuzzRequest,
  response: FuzzResponse,
  secrets: string[] = [],
): {
  operation: FuzzOperation | null;
  problems: string[];
  kinds: Set<Verdict>;
} {
  const operation = matchOperation(operations, request.method, request.path);
  const problems: string[] = [];
  const kinds = new Set<Verdict>();
  const status = String(response.status);
  const documented = operation
    ? operation.statuses.has(status) || operation.statuses.has('default')
    : UNMATCHED_STATUSES.has(status);
  if (!documented) {
    problems.push(
      `status ${status} is not documented for ${operation?.id ?? 'a request matching no operation'}`,
    );
    kinds.add('undocumented');
  }
  // A 501 or a vendor's 502-504 is the contract's answer (unsupported operation, vendor down); a
  // 500 is a failure of ours, and so is any 5xx the operation does not document.
  if (
    response.status >= 500 &&
    (response.status === 500 || !documented || !VENDOR_CODES.test(response.text))
  ) {
    problems.push(`answered ${status}`);
    kinds.add('5xx');
  } else if (response.status >= 500) kinds.add('vendor-5xx');
  if (response.status >= 400) {
    let body: Json | undefined;
    try {
      body = JSON.parse(response.text) as Json;
    } catch {
      body = undefined;
    }
    const isProblem =
      response.contentType.startsWith('application/problem+json') &&
      body !== undefined &&
      typeof body.code === 'string' &&
      typeof body.requestId === 'string' &&
      body.status === response.status;
    if (!isProblem) {
      problems.push(`a ${status} that is not a problem+json with code, requestId and status`);
      kinds.add('non-problem');
    }
  }
  if (STACK_TRACE.test(response.text)) {
    problems.push('the body holds a stack trace');
    kinds.add('other');
  }
  for (const secret of secrets) {
    if (secret && response.text.includes(secret)) {
      problems.push(`the body holds a secret (${secret.slice(0, 4)}…)`);
      kinds.add('other');
    }
  }
  return { operation, problems, kinds };
}

/** A request as a reader can replay it (bodies and huge headers shortened). */
export function describeRequest(request: FuzzRequest): string {
  const headers = Object.fromEntries(
    Object.entries(request.headers).map(([k, v]) => [
      k,
      k === 'authorization'
        ? v.replace(/(Bearer ).+/, '$1<key>')
        : v.length > 80
          ? `${v.slice(0, 40)}…(${v.length} chars)`
          : v,
    ]),
  );
  const body =
    request.body === undefined
      ? ''
      : Buffer.isBuffer(request.body)
        ? ` body(hex)=${request.body.toString('hex').slice(0, 200)}`
        : ` body=${request.body.length > 300 ? `${request.body.slice(0, 300)}…(${request.body.length} chars)` : request.body}`;
  return `${request.method} ${request.path} (built for ${request.builtFor}) headers=${JSON.stringify(headers)}${body}`;
}

export interface RunOptions {
  document: Json;
  target: () => FuzzTarget;
  count: number;
  seed: number;
  concurrency?: number;
  /** Called every `every` requests, e.g. to re-seed what the fuzzer deleted. */
  checkpoint?: { every: number; run: () => Promise<void> };
  onProgress?: (sent: number) => void;
}

const CHUNK = 250;

/**
 * Sends `count` requests generated from `seed` (in chunks, so memory stays flat), judges every
 * answer and reports the counts. The same seed and count give the same requests.
 */
export async function runFuzz(options: RunOptions): Promise<FuzzReport> {
  const operations = operationsOf(options.document);
  const report: FuzzReport = {
    seed: options.seed,
    sent: 0,
    notSent: 0,
    byStatus: {},
    serverErrors: 0,
    vendorAnswers5xx: 0,
    nonProblem4xx: 0,
    undocumented: 0,
    otherViolations: 0,
    operationsCovered: 0,
    operations: operations.length,
    failures: [],
  };
  const covered = new Set<string>();
  const concurrency = options.concurrency ?? 4;
  for (let done = 0, chunk = 0; done < options.count; chunk++) {
    const target = options.target();
    const size = Math.min(CHUNK, options.count - done);
    const requests = fc.sample(requestArbitrary(options.document, operations, target), {
      numRuns: size,
      seed: options.seed + chunk,
    });
    let next = 0;
    const worker = async () => {
      for (let i = next++; i < requests.length; i = next++) {
        const request = requests[i];
        const response = await send(target.url, request);
        if (!response) {
          report.notSent++;
          continue;
        }
        report.sent++;
        report.byStatus[response.status] = (report.byStatus[response.status] ?? 0) + 1;
        const verdict = judge(operations, request, response, target.secrets);
        if (verdict.operation) covered.add(verdict.operation.id);
        if (verdict.kinds.has('5xx')) report.serverErrors++;
        if (verdict.kinds.has('vendor-5xx')) report.vendorAnswers5xx++;
        if (verdict.kinds.has('non-problem')) report.nonProblem4xx++;
        if (verdict.kinds.has('undocumented')) report.undocumented++;
        if (verdict.kinds.has('other')) report.otherViolations++;
        if (verdict.problems.length && report.failures.length < MAX_FAILURES_KEPT) {
          report.failures.push({
            request,
            status: response.status,
            operation: verdict.operation?.id ?? null,
            problems: verdict.problems,
            body: response.text.slice(0, 400),
          });
        }
      }
    };
    await Promise.all(Array.from({ length: concurrency }, worker));
    done += size;
    options.onProgress?.(done);
    if (
      options.checkpoint &&
      done < options.count &&
      Math.floor(done / options.checkpoint.every) > Math.floor((done - size) / options.checkpoint.every)
    )
      await options.checkpoint.run();
  }
  report.operationsCovered = covered.size;
  return report;
}

export function violationCount(report: FuzzReport): number {
  return report.serverErrors + report.nonProblem4xx + report.undocumented + report.otherViolations;
}

/** The report as a reader wants it: figures first, then each kept failure with its request. */
export function formatReport(report: FuzzReport): string {
  const lines = [
    `seed ${report.seed}: ${report.sent} requests sent (${report.notSent} not sendable), ${report.operationsCovered}/${report.operations} operations reached`,
    `5xx: ${report.serverErrors} (besides ${report.vendorAnswers5xx} documented 501/502-504 vendor answers), non-problem 4xx: ${report.nonProblem4xx}, undocumented statuses: ${report.undocumented}, other violations: ${report.otherViolations}`,
    `statuses: ${Object.entries(report.byStatus)
      .sort(([a], [b]) => Number(a) - Number(b))
      .map(([s, n]) => `${s}×${n}`)
      .join(' ')}`,
  ];
  for (const failure of report.failures) {
    lines.push(
      `FAIL (seed ${report.seed}) ${failure.problems.join('; ')}`,
      `  request: ${describeRequest(failure.request)}`,
      `  matched: ${failure.operation ?? '(no operation)'} → ${failure.status} ${failure.body}`,
    );
  }
  return lines.join('\n');
}
