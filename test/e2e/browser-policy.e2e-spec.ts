import { startTestApp, type TestApp } from '../support/test-app';

const PORTAL = 'https://portal.example.com';

describe('browser portals: CORS allow-list and security headers (e2e)', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp({ CORS_ORIGINS: `${PORTAL}, http://127.0.0.1:5173` });
  });

  afterAll(async () => {
    await t.close();
  });

  function preflight(origin: string) {
    return fetch(`${t.url}/v1/tenants`, {
      method: 'OPTIONS',
      headers: {
        origin,
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'authorization, content-type, idempotency-key',
      },
    });
  }

  const corsHeaders = (headers: Headers) =>
    [...headers.keys()].filter((name) => name.startsWith('access-control-'));

  it('answers an allowed origin’s preflight with 204 and the CORS headers', async () => {
    const res = await preflight(PORTAL);
    expect(res.status).toBe(204);
    expect(res.headers.get('access-control-allow-origin')).toBe(PORTAL);
    expect(res.headers.get('access-control-allow-methods')).toContain('PATCH');
    expect(res.headers.get('access-control-allow-headers')).toContain('idempotency-key');
    expect(res.headers.get('access-control-allow-headers')).toContain('if-match');
  });

  it('sends no CORS header to another origin, on a preflight or a request', async () => {
    const res = await preflight('https://evil.example.net');
    expect(corsHeaders(res.headers)).toEqual([]);
    const read = await t.request('GET', '/v1/tenants', { headers: { origin: 'https://evil.example.net' } });
    expect(read.status).toBe(200);
    expect(corsHeaders(read.headers)).toEqual([]);
  });

  it('lets an allowed origin read the headers a portal needs', async () => {
    const read = await t.request('GET', '/v1/tenants', { headers: { origin: PORTAL } });
    expect(read.headers.get('access-control-allow-origin')).toBe(PORTAL);
    expect(read.headers.get('access-control-expose-headers')).toContain('ratelimit-remaining');
    expect(read.headers.get('access-control-expose-headers')).toContain('etag');
  });

  it('sends helmet’s security headers, with a CSP under which Swagger UI still loads', async () => {
    const docs = await fetch(`${t.url}/docs`);
    expect(docs.status).toBe(200);
    expect(docs.headers.get('x-content-type-options')).toBe('nosniff');
    expect(docs.headers.get('strict-transport-security')).toMatch(/max-age=/);
    const csp = docs.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("script-src 'self'");
    const html = await docs.text();
    const scripts = [...html.matchAll(/<script src="([^"]+)"/g)].map((m) => m[1]);
    expect(scripts.length).toBeGreaterThan(0);
    expect(html).not.toMatch(/<script>(?!\s*<\/script>)/);
    for (const src of scripts) {
      const asset = await fetch(new URL(src, `${t.url}/docs`));
      // Read to the end: an unread body holds its connection open, and the app's close waits for it.
      await asset.arrayBuffer();
      expect({ src, status: asset.status }).toEqual({ src, status: 200 });
    }
    const json = await t.request('GET', '/v1/tenants');
    expect(json.headers.get('x-frame-options')).toBe('SAMEORIGIN');
  });
});
