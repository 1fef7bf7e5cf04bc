import { connect } from 'node:net';
import {
  createOpenXchangeSimulator,
  DEFAULT_OX_BRAND,
  DEFAULT_OX_PLUGINS,
  type OpenXchangeSimulator,
} from '../../simulators/open-xchange/open-xchange.simulator';
import { startTestApp, type ApiResponse, type TestApp } from '../support/test-app';

const PROBLEM = /^application\/problem\+json/;

interface AuditEvent {
  action: string;
  outcome: string;
  requestId: string;
  actor: { type: string; id: string };
  detail: { error?: { code: string; status: number } };
}

/** Sends raw bytes and reads the whole answer until the server closes the connection. */
function rawExchange(port: number, request: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    const chunks: Buffer[] = [];
    socket.on('data', (chunk: Buffer) => chunks.push(chunk));
    socket.on('error', reject);
    socket.on('close', () => resolve(Buffer.concat(chunks).toString('utf8')));
    socket.write(request);
  });
}

describe('hardening: hostile input answers a documented 4xx problem, and refusals are audited', () => {
  let t: TestApp;
  let sim: OpenXchangeSimulator;
  let connectionId: string;
  let sequence = 0;
  const T = '/v1/tenants/hard';

  beforeAll(async () => {
    sim = createOpenXchangeSimulator({ seed: { contexts: [{ name: 'hard', id: 9 }] } });
    const simUrl = await sim.listen();
    t = await startTestApp();
    await t.request('POST', '/v1/tenants', { body: { id: 'hard', name: 'Hard' } });
    const conn = await t.request<{ id: string }>('POST', `${T}/connections`, {
      body: {
        provider: 'open-xchange',
        baseUrl: simUrl,
        credentials: {
          ...DEFAULT_OX_BRAND,
          pluginsUsername: DEFAULT_OX_PLUGINS.username,
          pluginsPassword: DEFAULT_OX_PLUGINS.password,
        },
        settings: { context: 'hard', contextId: 9 },
      },
    });
    expect(conn.status).toBe(201);
    connectionId = conn.body.id;
    const user = await t.request('POST', `${T}/users`, {
      body: { email: 'jane@hard.example', firstName: 'Jane', lastName: 'Doe', password: 'Secret-123-abc' },
    });
    expect(user.status).toBe(201);
  });

  afterAll(async () => {
    await t.close();
    await sim.close();
  });

  /** Sends a request under a fresh X-Request-Id and expects a problem with `status` and `code`. */
  async function expectProblem(
    method: string,
    path: string,
    options: { rawBody?: string; body?: unknown; headers?: Record<string, string>; key?: string | null },
    status: number,
    code: string,
  ): Promise<ApiResponse & { requestId: string }> {
    const requestId = `hardening-${++sequence}`;
    const headers: Record<string, string> = {
      'x-request-id': requestId,
      ...(options.rawBody !== undefined ? { 'content-type': 'application/json' } : {}),
      ...(options.headers ?? {}),
    };
    const res = await t.request(method, path, { ...options, headers });
    expect({ status: res.status, code: res.body.code }).toEqual({ status, code });
    expect(res.headers.get('content-type')).toMatch(PROBLEM);
    expect(res.headers.get('x-request-id')).toBe(requestId);
    expect(res.body.requestId).toBe(requestId);
    return { ...res, requestId };
  }

  async function auditOf(requestId: string): Promise<AuditEvent[]> {
    const res = await t.request<{ data: AuditEvent[] }>(
      'GET',
      `/v1/audit-events?requestId=${encodeURIComponent(requestId)}`,
    );
    expect(res.status).toBe(200);
    return res.body.data;
  }

  async function expectAuditedFailure(requestId: string, code: string): Promise<AuditEvent> {
    const events = await auditOf(requestId);
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ outcome: 'failure', requestId, detail: { error: { code } } });
    return events[0];
  }

  describe('input bounds', () => {
    it('refuses JSON nested 10,000 levels before anything walks it, and audits the refusal', async () => {
      const deep = `{"id":"deep-one","name":${'['.repeat(10_000)}${']'.repeat(10_000)}}`;
      const res = await expectProblem('POST', '/v1/tenants', { rawBody: deep }, 422, 'validation_failed');
      expect(res.body.detail).toMatch(/deeper than 32/);
      await expectAuditedFailure(res.requestId, 'validation_failed');
    });

    it('refuses too long strings, too many keys and too long arrays', async () => {
      const longString = JSON.stringify({ id: 'long-one', name: 'x'.repeat(20_000) });
      await expectProblem('POST', '/v1/tenants', { rawBody: longString }, 422, 'validation_failed');
      const manyKeys = JSON.stringify(
        Object.fromEntries(Array.from({ length: 1_001 }, (_, i) => [`k${i}`, i])),
      );
      await expectProblem('POST', '/v1/tenants', { rawBody: manyKeys }, 422, 'validation_failed');
      const longArray = JSON.stringify({ recipients: Array.from({ length: 10_001 }, () => 1) });
      await expectProblem(
        'PUT',
        `${T}/aliases/a@hard.example`,
        { rawBody: longArray },
        422,
        'validation_failed',
      );
    });

    it.each([
      ['user create', 'POST', `${T}/users`, '{"email":"\\ud800@r.example"}'],
      ['alias recipients', 'PUT', `${T}/aliases/a@hard.example`, '{"recipients":["\\ud800@r.example"]}'],
      ['user aliases', 'PATCH', `${T}/users/jane@hard.example`, '{"aliases":["\\udc00x@r.example"]}'],
      [
        'archive rename',
        'POST',
        `${T}/archive/users/jane@hard.example/rename`,
        '{"newEmail":"a\\ud800@r.example"}',
      ],
    ])(
      'refuses a lone surrogate escape in an address (%s) with 400',
      async (_what, method, path, rawBody) => {
        const res = await expectProblem(method, path, { rawBody }, 400, 'bad_request');
        expect(res.body.detail).toMatch(/surrogate/);
        await expectAuditedFailure(res.requestId, 'bad_request');
      },
    );

    it('refuses a `constructor` key in a free-form object with 400 (fuzz seed 761069807), audited', async () => {
      const rawBody = JSON.stringify({
        provider: 'open-xchange',
        baseUrl: 'https://provisioning.example.com',
        credentials: {},
        settings: { constructor: '/' },
        services: ['mail'],
      });
      const res = await expectProblem('POST', `${T}/connections`, { rawBody }, 400, 'bad_request');
      expect(res.body.detail).toMatch(/constructor/);
      await expectAuditedFailure(res.requestId, 'bad_request');
    });

    it('refuses a body that is not UTF-8 with 400', async () => {
      const res = await fetch(`${t.url}/v1/tenants`, {
        method: 'POST',
        headers: { authorization: `Bearer ${t.adminKey}`, 'content-type': 'application/json' },
        body: Buffer.from('{"id":"latin","name":"\xff"}', 'latin1'),
      });
      expect(res.status).toBe(400);
      expect(await res.json()).toMatchObject({ code: 'bad_request', detail: expect.stringMatching(/UTF-8/) });
    });

    it.each([
      ['baseUrl', { baseUrl: null }],
      ['credentials', { credentials: null }],
      ['settings', { settings: null }],
      ['services', { services: null }],
    ])('refuses null %s on PATCH connection with 422 naming the field', async (field, body) => {
      const res = await expectProblem(
        'PATCH',
        `${T}/connections/${connectionId}`,
        { body },
        422,
        'validation_failed',
      );
      expect(res.body.errors).toContainEqual(expect.objectContaining({ field }));
      await expectAuditedFailure(res.requestId, 'validation_failed');
    });

    it('refuses a null password on PATCH user', async () => {
      const res = await expectProblem(
        'PATCH',
        `${T}/users/jane@hard.example`,
        { body: { password: null } },
        422,
        'validation_failed',
      );
      expect(res.body.errors).toContainEqual({ field: 'password', message: 'password must be a string' });
    });

    it.each([
      'from=20260101',
      'to=20261231T235959Z',
      'from=2026-W01',
      'from=2026-02-30',
      'to=2026-01-01T10:00',
    ])('refuses the audit filter %s that it cannot read with 422', async (query) => {
      const res = await expectProblem('GET', `/v1/audit-events?${query}`, {}, 422, 'validation_failed');
      expect(res.body.errors).toEqual([expect.objectContaining({ field: query.split('=')[0] })]);
    });

    it('reads the date filters it documents', async () => {
      for (const query of [
        'from=2026-01-01',
        'to=2999-12-31T23:59:59Z',
        'from=2026-01-01T00:00:00.5%2B02:00',
      ]) {
        const res = await t.request('GET', `/v1/audit-events?${query}&limit=1`);
        expect(res.status).toBe(200);
      }
    });
  });

  describe('framework and client errors', () => {
    it('answers form-urlencoded bodies on JSON routes with 415, audited', async () => {
      const res = await expectProblem(
        'POST',
        '/v1/tenants',
        { rawBody: 'id=form-one&name=x', headers: { 'content-type': 'application/x-www-form-urlencoded' } },
        415,
        'unsupported_media_type',
      );
      await expectAuditedFailure(res.requestId, 'unsupported_media_type');
      expect((await t.request('GET', '/v1/tenants/form-one')).status).toBe(404);
    });

    it('answers an unknown route with 404 and a known path with another method with 405', async () => {
      await expectProblem('GET', '/v1/nothing-here', {}, 404, 'not_found');
      const res = await expectProblem('PUT', '/v1/tenants', { body: {} }, 405, 'not_found');
      expect(res.headers.get('allow')).toBe('GET, POST');
    });

    it('answers a body over 1 MiB with 413', async () => {
      const res = await expectProblem(
        'POST',
        '/v1/tenants',
        { rawBody: JSON.stringify({ id: 'big', name: 'x'.repeat(1024 * 1024) }) },
        413,
        'payload_too_large',
      );
      expect(res.body.detail).toBe('The request body is larger than 1 MiB.');
    });

    it('names the route limit in a 413: a migration JSON body over 16 MiB', async () => {
      const res = await expectProblem(
        'POST',
        `${T}/migrations`,
        { rawBody: JSON.stringify({ service: 'mail', users: [], padding: 'x'.repeat(17 * 1024 * 1024) }) },
        413,
        'payload_too_large',
      );
      expect(res.body.detail).toBe('The request body is larger than 16 MiB.');
    });

    it('answers headers over 16 KiB with a 431 problem, a request id and Connection: close', async () => {
      const port = Number(new URL(t.url).port);
      const answer = await rawExchange(
        port,
        `GET /v1/tenants HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(20_000)}\r\n\r\n`,
      );
      const [head, body] = answer.split('\r\n\r\n');
      expect(head).toMatch(/^HTTP\/1\.1 431 /);
      expect(head).toMatch(/\r\ncontent-type: application\/problem\+json/i);
      expect(head).toMatch(/\r\nconnection: close/i);
      const requestId = /\r\nx-request-id: (\S+)/i.exec(head)?.[1];
      expect(requestId).toBeDefined();
      expect(JSON.parse(body)).toMatchObject({ status: 431, code: 'bad_request', requestId });
    });

    it('answers a malformed request line with a 400 problem and Connection: close', async () => {
      const port = Number(new URL(t.url).port);
      const answer = await rawExchange(port, 'GARBAGE\r\n\r\n');
      const [head, body] = answer.split('\r\n\r\n');
      expect(head).toMatch(/^HTTP\/1\.1 400 /);
      expect(head).toMatch(/\r\nconnection: close/i);
      expect(JSON.parse(body)).toMatchObject({ status: 400, code: 'bad_request' });
    });
  });

  describe('URL-valued settings', () => {
    it.each(['file:///etc/passwd', 'gopher://127.0.0.1:70/x', 'http://user:pw@plugins.example', 'not a url'])(
      'refuses settings.pluginsBaseUrl %s like baseUrl',
      async (url) => {
        const res = await expectProblem(
          'PATCH',
          `${T}/connections/${connectionId}`,
          { body: { settings: { context: 'hard', contextId: 9, pluginsBaseUrl: url } } },
          422,
          'validation_failed',
        );
        expect(res.body.errors).toEqual([expect.objectContaining({ field: 'settings.pluginsBaseUrl' })]);
      },
    );
  });

  describe('refused mutations are audited with their code', () => {
    it('401 without a key', async () => {
      const res = await expectProblem(
        'POST',
        '/v1/tenants',
        { body: { id: 'nokey', name: 'x' }, key: null },
        401,
        'unauthorized',
      );
      const event = await expectAuditedFailure(res.requestId, 'unauthorized');
      expect(event.action).toBe('tenant.created');
    });

    it('403 without the scope, 404 for a missing resource, 409 for a taken id, 422 for a bad body', async () => {
      const key = await t.request<{ key: string }>('POST', '/v1/api-keys', {
        body: { name: 'reader', tenantId: 'hard', scopes: ['users:read'] },
      });
      const forbidden = await expectProblem(
        'DELETE',
        `${T}/users/jane@hard.example`,
        { key: key.body.key },
        403,
        'forbidden',
      );
      await expectAuditedFailure(forbidden.requestId, 'forbidden');
      const missing = await expectProblem('DELETE', '/v1/tenants/no-such-tenant', {}, 404, 'not_found');
      await expectAuditedFailure(missing.requestId, 'not_found');
      const taken = await expectProblem(
        'POST',
        '/v1/tenants',
        { body: { id: 'hard', name: 'x' } },
        409,
        'conflict',
      );
      await expectAuditedFailure(taken.requestId, 'conflict');
      const bad = await expectProblem('POST', '/v1/tenants', { body: { id: 'X' } }, 422, 'validation_failed');
      await expectAuditedFailure(bad.requestId, 'validation_failed');
    });

    it('audits a request whose details Postgres could not store (NUL and lone surrogate in a key)', async () => {
      const res = await expectProblem(
        'POST',
        '/v1/tenants',
        { rawBody: '{"id":"nul-one","name":"x","a\\u0000b":1,"\\u0000":{"c":"\\u0000"}}' },
        422,
        'validation_failed',
      );
      await expectAuditedFailure(res.requestId, 'validation_failed');
    });
  });

  describe('Open-Xchange errors', () => {
    it('answers an unknown alias with 404 not_found', async () => {
      const res = await expectProblem('GET', `${T}/aliases/nobody@hard.example`, {}, 404, 'not_found');
      expect(res.body.detail).toMatch(/not found/i);
      const removed = await expectProblem('DELETE', `${T}/aliases/nobody@hard.example`, {}, 404, 'not_found');
      await expectAuditedFailure(removed.requestId, 'not_found');
      await expectProblem(
        'DELETE',
        `${T}/aliases/nobody@hard.example/recipients/x@y.example`,
        {},
        404,
        'not_found',
      );
    });
  });
});
