import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { GatewayError } from '../../domain/errors';
import type { VendorRequest } from '../../domain/ports/vendor-http.port';
import { VendorCallLog } from '../../domain/vendor-call';
import { basicAuth } from './basic-auth';
import { VendorHttpClients, type VendorCallMetric, type VendorHttpOptions } from './vendor-http.client';

interface Seen {
  method: string;
  url: string;
  headers: IncomingMessage['headers'];
  body: string;
}

type Handler = (req: IncomingMessage, res: ServerResponse, hit: number) => void;

interface TestServer {
  url: string;
  port: number;
  seen: Seen[];
  maxInFlight: () => number;
  close: () => Promise<void>;
}

const servers: TestServer[] = [];
const clientsToClose: VendorHttpClients[] = [];

async function startServer(handler: Handler): Promise<TestServer> {
  const seen: Seen[] = [];
  let inFlight = 0;
  let maxInFlight = 0;
  const server = createServer((req, res) => {
    inFlight++;
    maxInFlight = Math.max(maxInFlight, inFlight);
    res.on('close', () => inFlight--);
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      seen.push({
        method: req.method ?? '',
        url: req.url ?? '',
        headers: req.headers,
        body: Buffer.concat(chunks).toString(),
      });
      handler(req, res, seen.length);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const testServer: TestServer = {
    url: `http://127.0.0.1:${port}`,
    port,
    seen,
    maxInFlight: () => maxInFlight,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
  servers.push(testServer);
  return testServer;
}

function reply(res: ServerResponse, status: number, body = '', headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'content-type': 'application/json', ...headers });
  res.end(body);
}

function makeClients(options: Partial<VendorHttpOptions> = {}): VendorHttpClients {
  const clients = new VendorHttpClients({
    allowPrivateHosts: true,
    retry: { baseDelayMs: 10, maxDelayMs: 50 },
    ...options,
  });
  clientsToClose.push(clients);
  return clients;
}

function connection(baseUrl: string, id = 'conn-1', tenantId = 'acme') {
  return { tenantId, id, baseUrl, provider: 'open-xchange' };
}

async function failure(promise: Promise<unknown>): Promise<GatewayError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof GatewayError) return error;
    throw error;
  }
  throw new Error('expected the call to fail');
}

const get = (path = '/'): VendorRequest => ({ method: 'GET', path });

afterEach(async () => {
  await Promise.all(clientsToClose.splice(0).map((c) => c.close()));
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

describe('VendorHttpClients against a local server', () => {
  it('sends JSON, returns status, headers and text without BOM, and parses JSON', async () => {
    const server = await startServer((_req, res) =>
      reply(res, 201, '\uFEFF{"id":7}', { 'x-trace-id': 't1' }),
    );
    const log = new VendorCallLog();
    const http = makeClients().forConnection(connection(`${server.url}/base/`), log);

    const response = await http.send({
      method: 'POST',
      path: '/users',
      json: { name: 'jo' },
      headers: { Authorization: basicAuth('brand', 'pw') },
    });

    expect(response.status).toBe(201);
    expect(response.headers['x-trace-id']).toBe('t1');
    expect(response.text).toBe('{"id":7}');
    expect(response.json()).toEqual({ id: 7 });
    expect(server.seen[0]).toMatchObject({ method: 'POST', url: '/base/users', body: '{"name":"jo"}' });
    expect(server.seen[0].headers['content-type']).toBe('application/json');
    expect(server.seen[0].headers.authorization).toBe(`Basic ${Buffer.from('brand:pw').toString('base64')}`);
    expect(log.calls).toEqual([
      { method: 'POST', path: '/base/users', status: 201, durationMs: expect.any(Number) },
    ]);
  });

  it('sends forms urlencoded in order', async () => {
    const server = await startServer((_req, res) => reply(res, 200, '{}'));
    const http = makeClients().forConnection(connection(server.url), new VendorCallLog());

    await http.send({
      method: 'POST',
      path: '/api/invoke/GetUsers',
      form: { instanceID: 'i1', active: 'true' },
    });

    expect(server.seen[0].headers['content-type']).toBe('application/x-www-form-urlencoded');
    expect(server.seen[0].body).toBe('instanceID=i1&active=true');
  });

  it('turns a garbage body into provider_unavailable 502 on json()', async () => {
    const server = await startServer((_req, res) => reply(res, 200, '<html>oops</html>'));
    const response = await makeClients()
      .forConnection(connection(server.url), new VendorCallLog())
      .send(get());

    expect(() => response.json()).toThrow(
      expect.objectContaining({ code: 'provider_unavailable', status: 502 }) as unknown as Error,
    );
  });

  it('fails an oversized answer instead of buffering it', async () => {
    const server = await startServer((_req, res) => reply(res, 200, 'x'.repeat(64 * 1024)));
    const http = makeClients({ maxResponseBytes: 1024 }).forConnection(
      connection(server.url),
      new VendorCallLog(),
    );

    const error = await failure(http.send(get()));

    expect(error).toMatchObject({ code: 'provider_unavailable', status: 502 });
    expect(server.seen).toHaveLength(1);
  });

  it('retries a GET on 503 and returns the later success', async () => {
    const server = await startServer((_req, res, hit) =>
      hit < 3 ? reply(res, 503) : reply(res, 200, '{"ok":1}'),
    );
    const log = new VendorCallLog();

    const response = await makeClients().forConnection(connection(server.url), log).send(get('/users'));

    expect(response.status).toBe(200);
    expect(server.seen).toHaveLength(3);
    expect(log.calls.map((c) => c.status)).toEqual([503, 503, 200]);
  });

  it('returns the last answer when every attempt failed', async () => {
    const server = await startServer((_req, res) => reply(res, 502));
    const response = await makeClients()
      .forConnection(connection(server.url), new VendorCallLog())
      .send(get());

    expect(response.status).toBe(502);
    expect(server.seen).toHaveLength(3);
  });

  it('never repeats a POST', async () => {
    const server = await startServer((_req, res) => reply(res, 503));
    const response = await makeClients()
      .forConnection(connection(server.url), new VendorCallLog())
      .send({ method: 'POST', path: '/users', json: {} });

    expect(response.status).toBe(503);
    expect(server.seen).toHaveLength(1);
  });

  it('repeats a PUT only when the caller marks it idempotent', async () => {
    const server = await startServer((_req, res, hit) => (hit <= 2 ? reply(res, 503) : reply(res, 204)));
    const http = makeClients().forConnection(connection(server.url), new VendorCallLog());

    const plain = await http.send({ method: 'PUT', path: '/a', json: {} });
    expect(plain.status).toBe(503);
    expect(server.seen).toHaveLength(1);

    const idempotent = await http.send({ method: 'PUT', path: '/a', json: {}, idempotent: true });
    expect(idempotent.status).toBe(204);
    expect(server.seen).toHaveLength(3);
  });

  it('waits for Retry-After on 429 and then succeeds', async () => {
    const server = await startServer((_req, res, hit) =>
      hit === 1 ? reply(res, 429, '', { 'retry-after': '1' }) : reply(res, 200, '{}'),
    );
    const started = Date.now();

    const response = await makeClients()
      .forConnection(connection(server.url), new VendorCallLog())
      .send(get());

    expect(response.status).toBe(200);
    expect(server.seen).toHaveLength(2);
    expect(Date.now() - started).toBeGreaterThanOrEqual(900);
  });

  it('returns a 429 at once when the vendor asks for a longer wait than allowed', async () => {
    const server = await startServer((_req, res) => reply(res, 429, '', { 'retry-after': '60' }));
    const response = await makeClients()
      .forConnection(connection(server.url), new VendorCallLog())
      .send(get());

    expect(response.status).toBe(429);
    expect(server.seen).toHaveLength(1);
  });

  it('fails a vendor that never answers with a 504 within the timeout', async () => {
    const server = await startServer(() => undefined);
    const log = new VendorCallLog();
    const started = Date.now();

    const error = await failure(
      makeClients({ requestTimeoutMs: 300 })
        .forConnection(connection(server.url), log)
        .send({ method: 'POST', path: '/slow' }),
    );

    expect(error).toMatchObject({ code: 'provider_unavailable', status: 504 });
    expect(Date.now() - started).toBeLessThan(5000);
    expect(log.calls).toEqual([
      { method: 'POST', path: '/slow', status: null, durationMs: expect.any(Number), error: error.detail },
    ]);
  });

  it('gives a GET to a vendor that never answers one timeout in all, not one per retry', async () => {
    const server = await startServer(() => undefined);
    const log = new VendorCallLog();

    const error = await failure(
      makeClients({ requestTimeoutMs: 300 }).forConnection(connection(server.url), log).send(get('/slow')),
    );

    expect(error).toMatchObject({ code: 'provider_unavailable', status: 504 });
    expect(server.seen).toHaveLength(1);
    expect(log.calls).toHaveLength(1);
  });

  it('fails a refused connection quickly with provider_unavailable 503', async () => {
    const closed = await startServer(() => undefined);
    await closed.close();
    const log = new VendorCallLog();
    const started = Date.now();

    const error = await failure(makeClients().forConnection(connection(closed.url), log).send(get()));

    expect(error).toMatchObject({ code: 'provider_unavailable', status: 503 });
    expect(error.detail).toContain('ECONNREFUSED');
    expect(log.calls).toHaveLength(3);
    expect(log.calls.every((c) => c.status === null && c.error === error.detail)).toBe(true);
    expect(Date.now() - started).toBeLessThan(2000);
  });

  it('opens the circuit after repeated failures, fails fast, and closes when the vendor recovers', async () => {
    let healthy = false;
    const server = await startServer((_req, res) => (healthy ? reply(res, 200, '{}') : reply(res, 500)));
    const log = new VendorCallLog();
    const http = makeClients({
      retry: { maxAttempts: 1 },
      breaker: { failureThreshold: 3, openMs: 300 },
    }).forConnection(connection(server.url), log);

    for (let i = 0; i < 3; i++) expect((await http.send(get())).status).toBe(500);
    const open = await failure(http.send(get()));

    expect(open).toMatchObject({ code: 'provider_unavailable', status: 503, retryAfterSeconds: 1 });
    expect(open.detail).toContain('circuit open');
    expect(server.seen).toHaveLength(3);
    expect(log.calls[3]).toEqual({
      method: 'GET',
      path: '/',
      status: null,
      durationMs: 0,
      error: open.detail,
    });

    healthy = true;
    await new Promise((resolve) => setTimeout(resolve, 400));
    expect((await http.send(get())).status).toBe(200);
    expect((await http.send(get())).status).toBe(200);
    expect(server.seen).toHaveLength(5);
  });

  it('does not count 4xx answers as failures', async () => {
    const server = await startServer((_req, res) => reply(res, 404));
    const http = makeClients({ breaker: { failureThreshold: 2, openMs: 60_000 } }).forConnection(
      connection(server.url),
      new VendorCallLog(),
    );

    for (let i = 0; i < 4; i++) expect((await http.send(get())).status).toBe(404);
    expect(server.seen).toHaveLength(4);
  });

  it('caps requests in flight per connection and queues the rest', async () => {
    const server = await startServer((_req, res) => setTimeout(() => reply(res, 200, '{}'), 50));
    const http = makeClients({ maxConcurrencyPerConnection: 2 }).forConnection(
      connection(server.url),
      new VendorCallLog(),
    );

    const responses = await Promise.all(Array.from({ length: 8 }, () => http.send(get())));

    expect(responses.every((r) => r.status === 200)).toBe(true);
    expect(server.seen).toHaveLength(8);
    expect(server.maxInFlight()).toBeLessThanOrEqual(2);
  });

  it('times out a call still waiting for a free connection without waiting for the call ahead', async () => {
    const held: ServerResponse[] = [];
    const server = await startServer((_req, res) => held.push(res));
    const http = makeClients({ maxConcurrencyPerConnection: 1 }).forConnection(
      connection(server.url),
      new VendorCallLog(),
    );
    let firstSettled = false;
    const first = http.send({ method: 'POST', path: '/held', timeoutMs: 30_000 });
    void first.finally(() => (firstSettled = true));

    const error = await failure(http.send({ method: 'POST', path: '/queued', timeoutMs: 200 }));

    expect(error).toMatchObject({ code: 'provider_unavailable', status: 504 });
    expect(firstSettled).toBe(false);
    held.forEach((res) => reply(res, 200, '{}'));
    expect((await first).status).toBe(200);
    expect(server.seen.map((s) => s.url)).toEqual(['/held']);
  });

  it.each([
    ['an IP literal', (port: number) => `http://127.0.0.1:${port}`],
    ['a name resolving to loopback', (port: number) => `http://localhost:${port}`],
  ])('refuses %s unless private hosts are allowed, without retrying', async (_what, baseUrl) => {
    const server = await startServer((_req, res) => reply(res, 200, '{}'));
    const log = new VendorCallLog();
    const http = new VendorHttpClients({ allowPrivateHosts: false });
    clientsToClose.push(http);

    const error = await failure(http.forConnection(connection(baseUrl(server.port)), log).send(get()));

    expect(error).toMatchObject({ code: 'provider_unavailable', status: 502 });
    expect(error.detail).toMatch(/is not allowed \(private\/loopback\)/);
    expect(server.seen).toHaveLength(0);
    expect(log.calls).toHaveLength(1);
  });

  it('returns redirects instead of following them', async () => {
    const server = await startServer((req, res) =>
      req.url === '/start' ? reply(res, 302, '', { location: '/elsewhere' }) : reply(res, 200, '{}'),
    );
    const response = await makeClients()
      .forConnection(connection(server.url), new VendorCallLog())
      .send(get('/start'));

    expect(response.status).toBe(302);
    expect(response.headers.location).toBe('/elsewhere');
    expect(server.seen.map((s) => s.url)).toEqual(['/start']);
  });

  it('records the path with secret query values redacted and reports the provider to onCall', async () => {
    const server = await startServer((_req, res) => reply(res, 200, '{}'));
    const log = new VendorCallLog();
    const metrics: VendorCallMetric[] = [];
    const http = makeClients({ onCall: (call) => metrics.push(call) }).forConnection(
      connection(server.url),
      log,
    );

    await http.send({
      method: 'GET',
      path: '/cloudapi/v2/users',
      query: { name: 'ctx', password: 'p4ssw0rd', skip: undefined, details: true },
    });

    expect(server.seen[0].url).toBe('/cloudapi/v2/users?name=ctx&password=p4ssw0rd&details=true');
    expect(log.calls[0].path).toBe('/cloudapi/v2/users?name=ctx&password=[redacted]&details=true');
    expect(JSON.stringify(log.calls)).not.toContain('p4ssw0rd');
    expect(metrics).toEqual([
      {
        ...log.calls[0],
        provider: 'open-xchange',
        connectionId: 'conn-1',
        attempt: 1,
        requestId: null,
        tenantId: null,
      },
    ]);
  });

  it('sends the request id to the vendor and reports it, the tenant and each attempt to onCall', async () => {
    const server = await startServer((_req, res, hit) => reply(res, hit === 1 ? 503 : 200, '{}'));
    const metrics: VendorCallMetric[] = [];
    const http = makeClients({ onCall: (call) => metrics.push(call) }).forConnection(
      connection(server.url),
      new VendorCallLog(),
      undefined,
      { requestId: 'req-42', tenantId: 'acme' },
    );

    expect((await http.send(get('/users'))).status).toBe(200);
    expect(server.seen.map((s) => s.headers['x-request-id'])).toEqual(['req-42', 'req-42']);
    expect(metrics.map((m) => [m.attempt, m.status, m.requestId, m.tenantId])).toEqual([
      [1, 503, 'req-42', 'acme'],
      [2, 200, 'req-42', 'acme'],
    ]);
  });

  it('reports every connection’s circuit: closed, open after failures, half-open when its time is up', async () => {
    const server = await startServer((_req, res) => reply(res, 500));
    const clients = makeClients({ retry: { maxAttempts: 1 }, breaker: { failureThreshold: 2, openMs: 200 } });
    const http = clients.forConnection(connection(server.url), new VendorCallLog());
    expect(clients.circuits()).toEqual([]);
    await http.send(get());
    expect(clients.circuits()).toEqual([
      { provider: 'open-xchange', tenantId: 'acme', connectionId: 'conn-1', state: 'closed' },
    ]);
    await http.send(get());
    expect(clients.circuits()[0].state).toBe('open');
    await new Promise((resolve) => setTimeout(resolve, 250));
    expect(clients.circuits()[0].state).toBe('half-open');
  });

  it('keeps a circuit per tenant when two tenants use the same connection id', async () => {
    const failing = await startServer((_req, res) => reply(res, 500));
    const healthy = await startServer((_req, res) => reply(res, 200, '{}'));
    const clients = makeClients({
      retry: { maxAttempts: 1 },
      breaker: { failureThreshold: 1, openMs: 60_000 },
    });
    await clients.forConnection(connection(failing.url, 'shared', 't1'), new VendorCallLog()).send(get());
    const other = await clients
      .forConnection(connection(healthy.url, 'shared', 't2'), new VendorCallLog())
      .send(get());

    expect(other.status).toBe(200);
    expect(healthy.seen).toHaveLength(1);
    expect(clients.circuits()).toEqual([
      { provider: 'open-xchange', tenantId: 't1', connectionId: 'shared', state: 'open' },
      { provider: 'open-xchange', tenantId: 't2', connectionId: 'shared', state: 'closed' },
    ]);
  });

  it('sends requests with their own base URL to that origin', async () => {
    const main = await startServer((_req, res) => reply(res, 200, '{}'));
    const plugins = await startServer((_req, res) => reply(res, 200, '{}'));
    const http = makeClients().forConnection(connection(main.url), new VendorCallLog());

    await http.send({
      method: 'GET',
      path: '/contexts/1/users/2/msisdn',
      baseUrl: `${plugins.url}/oxaas/v1/admin`,
    });

    expect(main.seen).toHaveLength(0);
    expect(plugins.seen[0].url).toBe('/oxaas/v1/admin/contexts/1/users/2/msisdn');
  });

  it('follows a connection whose base URL changed', async () => {
    const before = await startServer((_req, res) => reply(res, 200, '{}'));
    const after = await startServer((_req, res) => reply(res, 200, '{}'));
    const clients = makeClients();

    await clients.forConnection(connection(before.url), new VendorCallLog()).send(get());
    await clients.forConnection(connection(after.url), new VendorCallLog()).send(get());

    expect(before.seen).toHaveLength(1);
    expect(after.seen).toHaveLength(1);
  });

  it('stops when the caller aborts', async () => {
    const server = await startServer(() => undefined);
    const controller = new AbortController();
    const log = new VendorCallLog();
    const http = makeClients().forConnection(connection(server.url), log, controller.signal);
    setTimeout(() => controller.abort(), 100);

    const error = await failure(http.send(get()));

    expect(error).toMatchObject({ code: 'provider_unavailable' });
    expect(error.detail).toContain('cancelled');
    expect(log.calls).toHaveLength(1);
  });

  it('rethrows a GatewayError the caller aborted with', async () => {
    const server = await startServer(() => undefined);
    const reason = new GatewayError('conflict', 'job cancelled');
    const http = makeClients().forConnection(
      connection(server.url),
      new VendorCallLog(),
      AbortSignal.abort(reason),
    );

    await expect(http.send(get())).rejects.toBe(reason);
    expect(server.seen).toHaveLength(0);
  });
});
