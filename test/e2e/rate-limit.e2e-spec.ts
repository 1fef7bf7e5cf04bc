import { spawnApi, type ApiProcess } from '../support/api-process';
import { startTestApp, type ApiResponse, type RequestOptions, type TestApp } from '../support/test-app';

const PER_KEY = 5;
const PER_TENANT = 8;

function limitHeaders(res: ApiResponse) {
  return {
    limit: res.headers.get('ratelimit-limit'),
    remaining: res.headers.get('ratelimit-remaining'),
    reset: Number(res.headers.get('ratelimit-reset')),
  };
}

/** Sends requests to a separate process, the way TestApp.request does for the in-test app. */
function clientOf(url: string, adminKey: string) {
  return {
    async request(method: string, path: string, options: RequestOptions = {}): Promise<ApiResponse> {
      const key = options.key === undefined ? adminKey : options.key;
      const response = await fetch(`${url}${path}`, {
        method,
        headers: key ? { authorization: `Bearer ${key}` } : {},
      });
      const text = await response.text();
      return {
        status: response.status,
        headers: response.headers,
        body: response.headers.get('content-type')?.includes('json') ? JSON.parse(text) : {},
        text,
      };
    },
  };
}

describe('inbound rate limits (e2e: two API processes sharing one Redis prefix)', () => {
  let a: TestApp;
  let process2: ApiProcess;
  let b: ReturnType<typeof clientOf>;

  beforeAll(async () => {
    a = await startTestApp({
      ROLE: 'api',
      RATE_LIMIT_PER_KEY: String(PER_KEY),
      RATE_LIMIT_PER_TENANT: String(PER_TENANT),
      RATE_LIMIT_WINDOW_SECONDS: '3600',
    });
    process2 = await spawnApi(a.env);
    b = clientOf(process2.url, a.adminKey);
  });

  afterAll(async () => {
    await process2?.stop();
    await a?.close();
  });

  async function tenantKey(): Promise<string> {
    const res = await a.request<{ key: string }>('POST', '/v1/api-keys', {
      body: { name: 'portal', tenantId: 'limited', scopes: ['tenants:read'] },
    });
    expect(res.status).toBe(201);
    return res.body.key;
  }

  it('shares each key’s and each tenant’s counters across processes, with RateLimit-* and Retry-After', async () => {
    expect((await a.request('POST', '/v1/tenants', { body: { id: 'limited', name: 'L' } })).status).toBe(201);
    const first = await tenantKey();
    const second = await tenantKey();

    const admitted: ApiResponse[] = [];
    for (let i = 0; i < PER_KEY; i++) {
      admitted.push(await (i % 2 === 0 ? a : b).request('GET', '/v1/tenants/limited', { key: first }));
    }
    expect(admitted.map((r) => r.status)).toEqual(Array(PER_KEY).fill(200));
    expect(admitted.map((r) => limitHeaders(r).remaining)).toEqual(['4', '3', '2', '1', '0']);
    expect(admitted.every((r) => limitHeaders(r).limit === String(PER_KEY))).toBe(true);

    for (const app of [a, b]) {
      const refused = await app.request('GET', '/v1/tenants/limited', { key: first });
      expect(refused.status).toBe(429);
      expect(refused.body).toMatchObject({ code: 'rate_limited', status: 429 });
      expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
      expect(limitHeaders(refused)).toMatchObject({ limit: String(PER_KEY), remaining: '0' });
      expect(limitHeaders(refused).reset).toBeGreaterThan(0);
    }

    // The tenant has seen 7 requests (refused ones count): the other key gets one more, then 429.
    const last = await b.request('GET', '/v1/tenants/limited', { key: second });
    expect(last.status).toBe(200);
    expect(limitHeaders(last)).toMatchObject({ limit: String(PER_TENANT), remaining: '0' });
    const over = await a.request('GET', '/v1/tenants/limited', { key: second });
    expect(over.status).toBe(429);
    expect(limitHeaders(over)).toMatchObject({ limit: String(PER_TENANT), remaining: '0' });
    expect(Number(over.headers.get('retry-after'))).toBeGreaterThan(0);
  });

  it('counts requests without a valid key by client address, and leaves health and metrics alone', async () => {
    const answers: ApiResponse[] = [];
    for (let i = 0; i <= PER_KEY; i++)
      answers.push(await (i % 2 ? a : b).request('GET', '/v1/tenants', { key: null }));
    expect(answers.map((r) => r.status)).toEqual([...Array(PER_KEY).fill(401), 429]);
    expect(answers.every((r) => r.headers.get('ratelimit-limit') === String(PER_KEY))).toBe(true);

    for (let i = 0; i <= PER_KEY; i++) {
      const live = await a.request('GET', '/health/live', { key: null });
      expect(live.status).toBe(200);
      expect(live.headers.get('ratelimit-limit')).toBeNull();
    }
    expect((await b.request('GET', '/metrics', { key: null })).status).toBe(200);
  });
});
