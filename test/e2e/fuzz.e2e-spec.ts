import fc from 'fast-check';
import {
  createOpenXchangeSimulator,
  DEFAULT_OX_BRAND,
  DEFAULT_OX_PLUGINS,
  type OpenXchangeSimulator,
} from '../../simulators/open-xchange/open-xchange.simulator';
import { startTestApp, type TestApp } from '../support/test-app';

const PATHS = [
  '/v1/tenants',
  '/v1/tenants/{a}',
  '/v1/tenants/{a}/connections',
  '/v1/tenants/{a}/connections/{b}',
  '/v1/tenants/{a}/connections/{b}/check',
  '/v1/api-keys',
  '/v1/api-keys/{a}',
  '/v1/audit-events',
  '/v1/providers',
  '/v1/tenants/fuzz/users',
  '/v1/tenants/fuzz/users/{a}',
  '/v1/tenants/fuzz/users/{a}/mailbox',
  '/v1/tenants/fuzz/aliases',
  '/v1/tenants/fuzz/aliases/{a}',
  '/v1/tenants/fuzz/aliases/{a}/recipients',
  '/v1/tenants/fuzz/aliases/{a}/recipients/{b}',
  '/v1/tenants/fuzz/domains',
  '/v1/tenants/fuzz/domains/{a}',
  '/v1/jobs',
  '/v1/jobs/{a}',
  '/v1/{a}',
];

const oddId = fc.oneof(
  fc.string({ maxLength: 40 }),
  fc.string({ unit: 'grapheme', maxLength: 20 }),
  fc.constantFrom(
    '%00',
    '..',
    '%2e%2e',
    'a'.repeat(600),
    '00000000-0000-0000-0000-000000000000',
    'x@y',
    '@',
    '-1',
    '0',
    'null',
    'a%c0%af',
  ),
  fc.uuid(),
  fc.emailAddress(),
);

const query = fc.dictionary(
  fc.constantFrom(
    'limit',
    'cursor',
    'q',
    'sort',
    'order',
    'service',
    'domain',
    'include',
    'tenantId',
    'from',
    'to',
    'outcome',
    'state',
    'zzz',
  ),
  fc.oneof(
    fc.string({ maxLength: 30 }),
    fc.integer().map(String),
    fc.constantFrom('-1', '0', '201', 'NaN', '1e9', '%00', '2026-13-45'),
  ),
  { maxKeys: 4 },
);

const body = fc.oneof(
  fc.jsonValue({ maxDepth: 4 }).map((v) => JSON.stringify(v)),
  fc.string({ maxLength: 200 }),
  fc.constantFrom(
    '{',
    '{"id":',
    '[',
    'null',
    '""',
    '{"__proto__":{"x":1}}',
    '{"constructor":{"prototype":{}}}',
    '\u0000',
    '{"a":"\\u0000"}',
  ),
  fc
    .record(
      {
        id: fc.oneof(fc.string(), fc.integer(), fc.constant(null)),
        name: fc.oneof(fc.string(), fc.array(fc.string()), fc.boolean()),
        email: fc.oneof(fc.emailAddress(), fc.string(), fc.integer()),
        provider: fc.oneof(fc.constantFrom('open-xchange', 'hostway', 'mailstore'), fc.string()),
        baseUrl: fc.oneof(fc.webUrl(), fc.string()),
        credentials: fc.oneof(fc.dictionary(fc.string(), fc.string()), fc.string()),
        scopes: fc.oneof(fc.array(fc.string()), fc.string()),
        recipients: fc.oneof(fc.array(fc.emailAddress()), fc.array(fc.integer())),
        mailbox: fc.oneof(
          fc.record({ quotaMb: fc.oneof(fc.integer(), fc.double(), fc.string()) }),
          fc.string(),
        ),
        unknownField: fc.anything(),
      },
      { requiredKeys: [] },
    )
    .map((v) => JSON.stringify(v)),
  fc.constant('x'.repeat(1024 * 1024 + 10)),
);

const contentType = fc.constantFrom(
  'application/json',
  'application/json; charset=utf-8',
  'text/plain',
  'application/x-www-form-urlencoded',
  'multipart/form-data; boundary=x',
  'application/xml',
  undefined,
);

describe('fuzz: malformed requests across the routes', () => {
  let t: TestApp;
  let sim: OpenXchangeSimulator;
  let sent = 0;

  beforeAll(async () => {
    sim = createOpenXchangeSimulator({ seed: { contexts: [{ name: 'fuzz', id: 7 }] } });
    const simUrl = await sim.listen();
    t = await startTestApp();
    await t.request('POST', '/v1/tenants', { body: { id: 'fuzz', name: 'Fuzz' } });
    await t.request('POST', '/v1/tenants/fuzz/connections', {
      body: {
        provider: 'open-xchange',
        baseUrl: simUrl,
        credentials: {
          ...DEFAULT_OX_BRAND,
          pluginsUsername: DEFAULT_OX_PLUGINS.username,
          pluginsPassword: DEFAULT_OX_PLUGINS.password,
        },
        settings: { context: 'fuzz', contextId: 7 },
      },
    });
  });

  afterAll(async () => {
    await t.close();
    await sim.close();
  });

  it('never answers 5xx, and every error is problem+json', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom('GET', 'POST', 'PUT', 'PATCH', 'DELETE'),
        fc.constantFrom(...PATHS),
        oddId,
        oddId,
        query,
        body,
        contentType,
        fc.boolean(),
        async (method, template, a, b, params, payload, type, withIdempotencyKey) => {
          const path = template.replace('{a}', encodeURIComponent(a)).replace('{b}', encodeURIComponent(b));
          const search = new URLSearchParams(params).toString();
          const headers: Record<string, string> = {};
          if (type) headers['content-type'] = type;
          if (withIdempotencyKey) headers['idempotency-key'] = `fuzz-${sent}`;
          const hasBody = method !== 'GET';
          const res = await t.request(method, `${path}${search ? `?${search}` : ''}`, {
            headers,
            rawBody: hasBody ? payload : undefined,
          });
          sent++;
          if (res.status >= 500)
            throw new Error(`${method} ${path}?${search} → ${res.status}: ${res.text.slice(0, 300)}`);
          if (res.status >= 400) {
            expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
            expect(res.body).toMatchObject({
              status: res.status,
              requestId: expect.any(String),
              code: expect.any(String),
            });
            expect(res.text).not.toMatch(/\bat .+\.(ts|js):\d+/);
          }
        },
      ),
      { numRuns: 1200 },
    );
    expect(sent).toBeGreaterThanOrEqual(1000);
  });
});
