import { execFileSync } from 'node:child_process';
import { Writable } from 'node:stream';
import { Client } from 'pg';
import { IdempotencyService } from '../../src/modules/idempotency/idempotency.service';
import { startTestApp, type TestApp } from '../support/test-app';

const CANARY = 'canary-3f9a';
const PROBLEM = /^application\/problem\+json/;

describe('foundation (e2e on real Postgres and Redis)', () => {
  let t: TestApp;
  const logLines: string[] = [];
  let db: Client;

  beforeAll(async () => {
    const sink = new Writable({
      write(chunk: Buffer, _enc, done) {
        logLines.push(chunk.toString());
        done();
      },
    });
    t = await startTestApp({ LOG_LEVEL: 'trace' }, sink);
    db = new Client({ connectionString: t.config.databaseUrl });
    await db.connect();
  });

  afterAll(async () => {
    await db.end();
    await t.close();
  });

  async function createKey(body: Record<string, unknown>): Promise<string> {
    const res = await t.request<{ key: string }>('POST', '/v1/api-keys', { body });
    expect(res.status).toBe(201);
    return res.body.key;
  }

  it('never stores a new API key for Idempotency-Key replays (the key is shown once)', async () => {
    const send = () =>
      t.request<{ key: string }>('POST', '/v1/api-keys', {
        body: { name: 'replay-probe', scopes: ['users:read'] },
        headers: { 'idempotency-key': 'api-key-replay-probe' },
      });
    const first = await send();
    const second = await send();
    expect([first.status, second.status]).toEqual([201, 201]);
    expect(second.headers.get('idempotent-replayed')).toBeNull();
    expect(second.body.key).not.toBe(first.body.key);
    const stored = await db.query(`SELECT 1 FROM idempotency_keys WHERE key = 'api-key-replay-probe'`);
    expect(stored.rowCount).toBe(0);
    const dump = await db.query(
      `SELECT count(*)::int AS n FROM idempotency_keys WHERE response_body LIKE $1`,
      [`%${first.body.key}%`],
    );
    expect(dump.rows[0].n).toBe(0);
  });

  it('is ready when Postgres and Redis are up, and echoes request ids', async () => {
    const res = await t.request('GET', '/health/ready', {
      key: null,
      headers: { 'x-request-id': 'probe-1' },
    });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ status: 'ok', checks: { postgres: 'up', redis: 'up' } });
    expect(res.headers.get('x-request-id')).toBe('probe-1');
  });

  it('answers 401 without a key, 403 without the scope, 404 for another tenant', async () => {
    await t.request('POST', '/v1/tenants', { body: { id: 'tenant-a', name: 'A' } });
    await t.request('POST', '/v1/tenants', { body: { id: 'tenant-b', name: 'B' } });
    const conn = await t.request<{ id: string }>('POST', '/v1/tenants/tenant-b/connections', {
      body: {
        provider: 'open-xchange',
        baseUrl: 'http://127.0.0.1:9',
        credentials: { username: 'u', password: 'p' },
        settings: { context: 'b' },
      },
    });
    expect(conn.status).toBe(201);

    const none = await t.request('GET', '/v1/tenants', { key: null });
    expect(none.status).toBe(401);
    expect(none.headers.get('content-type')).toMatch(PROBLEM);
    expect(none.body).toMatchObject({ code: 'unauthorized', status: 401 });

    const readOnly = await createKey({ name: 'reader', scopes: ['tenants:read'] });
    const forbidden = await t.request('POST', '/v1/tenants', {
      key: readOnly,
      body: { id: 'tenant-c', name: 'C' },
    });
    expect(forbidden.status).toBe(403);
    expect(forbidden.headers.get('content-type')).toMatch(PROBLEM);
    expect(forbidden.body).toMatchObject({ code: 'forbidden' });

    const boundToA = await createKey({ name: 'a-admin', tenantId: 'tenant-a', scopes: ['admin'] });
    for (const path of [
      '/v1/tenants/tenant-b',
      '/v1/tenants/tenant-b/connections',
      `/v1/tenants/tenant-b/connections/${conn.body.id}`,
      '/v1/audit-events?tenantId=tenant-b',
    ]) {
      const res = await t.request('GET', path, { key: boundToA });
      expect({ path, status: res.status }).toEqual({ path, status: 404 });
      expect(res.headers.get('content-type')).toMatch(PROBLEM);
      expect(res.body).toMatchObject({ code: 'not_found' });
    }
    const own = await t.request('GET', '/v1/tenants/tenant-a', { key: boundToA });
    expect(own.status).toBe(200);
    const listed = await t.request<{ data: { id: string }[] }>('GET', '/v1/tenants', { key: boundToA });
    expect(listed.body.data.map((x) => x.id)).toEqual(['tenant-a']);
  });

  it('revoked keys fail at once', async () => {
    const key = await createKey({ name: 'short-lived', scopes: ['tenants:read'] });
    const id = key.slice('mr_live_'.length, 'mr_live_'.length + 16);
    expect((await t.request('GET', '/v1/tenants', { key })).status).toBe(200);
    expect((await t.request('DELETE', `/v1/api-keys/${id}`)).status).toBe(204);
    expect((await t.request('GET', '/v1/tenants', { key })).status).toBe(401);
    const stored = await db.query('SELECT secret_hash FROM api_keys WHERE id = $1', [id]);
    expect(stored.rows[0].secret_hash.toString('hex')).not.toContain(
      Buffer.from(key.slice(-43)).toString('hex'),
    );
  });

  it('keeps connection credentials write-only and encrypted everywhere', async () => {
    await t.request('POST', '/v1/tenants', { body: { id: 'canary', name: 'Canary' } });
    const created = await t.request<{ id: string }>('POST', '/v1/tenants/canary/connections', {
      body: {
        provider: 'open-xchange',
        baseUrl: 'http://127.0.0.1:9',
        credentials: { username: 'brand', password: CANARY },
        settings: { context: 'canary' },
      },
    });
    expect(created.status).toBe(201);
    expect(created.text).not.toContain(CANARY);
    expect(created.body).not.toHaveProperty('credentials');
    const id = created.body.id;
    for (const path of [
      `/v1/tenants/canary/connections/${id}`,
      '/v1/tenants/canary/connections',
      '/v1/audit-events?limit=200',
    ]) {
      const res = await t.request('GET', path);
      expect(res.status).toBe(200);
      expect(res.text).not.toContain(CANARY);
    }
    const patched = await t.request('PATCH', `/v1/tenants/canary/connections/${id}`, {
      body: { credentials: { username: 'brand', password: CANARY } },
    });
    expect(patched.status).toBe(200);
    expect(patched.text).not.toContain(CANARY);

    const dump = execFileSync('pg_dump', ['--data-only', t.config.databaseUrl], {
      encoding: 'utf8',
      maxBuffer: 64 * 1024 * 1024,
    });
    expect(dump).toContain('tenant.created');
    expect(dump).not.toContain(CANARY);
    expect(logLines.length).toBeGreaterThan(0);
    expect(logLines.join('')).not.toContain(CANARY);

    // Tamper with one byte of the stored ciphertext: decryption must fail loudly and clearly.
    const row = await db.query('SELECT credentials_ciphertext FROM connections WHERE id = $1', [id]);
    const [v, iv, tag, ct] = (row.rows[0].credentials_ciphertext as string).split('.');
    const bytes = Buffer.from(ct, 'base64');
    bytes[0] ^= 0xff;
    await db.query('UPDATE connections SET credentials_ciphertext = $1 WHERE id = $2', [
      [v, iv, tag, bytes.toString('base64')].join('.'),
      id,
    ]);
    const check = await t.request<{ ok: boolean; detail: string }>(
      'POST',
      `/v1/tenants/canary/connections/${id}/check`,
    );
    expect(check.status).toBe(200);
    expect(check.body.ok).toBe(false);
    expect(check.body.detail).toMatch(/cannot be decrypted/);
  });

  it('refuses unsafe connection input with field errors', async () => {
    const bad = await t.request<{ errors: { field: string }[] }>('POST', '/v1/tenants/canary/connections', {
      body: {
        provider: 'open-xchange',
        baseUrl: 'ftp://x',
        credentials: { username: 'u' },
        settings: {},
        extra: 1,
      },
    });
    expect(bad.status).toBe(422);
    expect(bad.body.errors.map((e) => e.field)).toContain('extra');
    const second = await t.request<{ errors: { field: string }[] }>(
      'POST',
      '/v1/tenants/canary/connections',
      {
        body: { provider: 'open-xchange', baseUrl: 'ftp://x', credentials: { username: 'u' }, settings: {} },
      },
    );
    expect(second.status).toBe(422);
    expect(second.body.errors.map((e) => e.field).sort()).toEqual(
      expect.arrayContaining(['baseUrl', 'credentials.password', 'settings.context']),
    );
    const duplicate = await t.request('POST', '/v1/tenants/canary/connections', {
      body: {
        provider: 'hostway',
        baseUrl: 'http://127.0.0.1:9',
        credentials: { username: 'u', password: 'p' },
        settings: { account: 'a' },
      },
    });
    expect(duplicate.status).toBe(409);
    expect(duplicate.body).toMatchObject({ code: 'conflict' });
    const unknownProvider = await t.request('POST', '/v1/tenants/canary/connections', {
      body: { provider: 'nope', baseUrl: 'http://127.0.0.1:9', credentials: {} },
    });
    expect(unknownProvider.status).toBe(422);
  });

  it('refuses private hosts unless PROVIDER_ALLOW_PRIVATE_HOSTS', async () => {
    const strict = await startTestApp({ PROVIDER_ALLOW_PRIVATE_HOSTS: 'false' });
    try {
      await strict.request('POST', '/v1/tenants', { body: { id: 'strict', name: 'S' } });
      for (const baseUrl of [
        'http://127.0.0.1:8080',
        'http://10.1.2.3',
        'http://localhost',
        'http://[::1]/',
        'http://169.254.169.254',
      ]) {
        const res = await strict.request<{ errors: { field: string }[] }>(
          'POST',
          '/v1/tenants/strict/connections',
          {
            body: {
              provider: 'hostway',
              baseUrl,
              credentials: { username: 'u', password: 'p' },
              settings: { account: 'a' },
            },
          },
        );
        expect({ baseUrl, status: res.status }).toEqual({ baseUrl, status: 422 });
        expect(res.body.errors[0].field).toBe('baseUrl');
      }
    } finally {
      await strict.close();
    }
  });

  it('replays idempotent requests and refuses a reused key', async () => {
    const headers = { 'idempotency-key': 'create-idem-1' };
    const first = await t.request('POST', '/v1/tenants', { body: { id: 'idem-one', name: 'One' }, headers });
    const second = await t.request('POST', '/v1/tenants', { body: { id: 'idem-one', name: 'One' }, headers });
    expect(first.status).toBe(201);
    expect(second.status).toBe(201);
    expect(second.text).toBe(first.text);
    expect(second.headers.get('idempotent-replayed')).toBe('true');
    expect(first.headers.get('idempotent-replayed')).toBeNull();
    const reused = await t.request('POST', '/v1/tenants', { body: { id: 'idem-two', name: 'Two' }, headers });
    expect(reused.status).toBe(422);
    expect(reused.body).toMatchObject({ code: 'idempotency_key_reused' });
    const count = await db.query("SELECT count(*)::int AS n FROM tenants WHERE id LIKE 'idem-%'");
    expect(count.rows[0].n).toBe(1);
  });

  it('does not spend an Idempotency-Key on a request refused before any side effect', async () => {
    const headers = { 'idempotency-key': 'create-after-422' };
    const refused = await t.request('POST', '/v1/tenants', { body: { id: 'Bad Id', name: 'B' }, headers });
    expect(refused.status).toBe(422);
    expect(refused.body).toMatchObject({ code: 'validation_failed' });
    const missing = await t.request('PATCH', '/v1/tenants/no-such-tenant', {
      body: { name: 'N' },
      headers: { 'idempotency-key': 'patch-after-404' },
    });
    expect(missing.status).toBe(404);

    const corrected = await t.request('POST', '/v1/tenants', {
      body: { id: 'idem-fixed', name: 'B' },
      headers,
    });
    expect(corrected.status).toBe(201);
    expect(corrected.headers.get('idempotent-replayed')).toBeNull();
    const replayed = await t.request('POST', '/v1/tenants', {
      body: { id: 'idem-fixed', name: 'B' },
      headers,
    });
    expect(replayed.status).toBe(201);
    expect(replayed.headers.get('idempotent-replayed')).toBe('true');
    const kept = await db.query(
      "SELECT key FROM idempotency_keys WHERE key IN ('create-after-422', 'patch-after-404') ORDER BY key",
    );
    expect(kept.rows.map((r) => r.key)).toEqual(['create-after-422']);
  });

  it('purges idempotency records past their 24 hours and keeps the others', async () => {
    await db.query(
      `INSERT INTO idempotency_keys (owner_id, key, request_hash, state, expires_at)
       VALUES ('admin', 'old-key', 'h', 'completed', now() - interval '1 minute')`,
    );
    expect(await t.app.get(IdempotencyService).purgeExpired()).toBeGreaterThanOrEqual(1);
    const left = await db.query(`SELECT key FROM idempotency_keys WHERE owner_id = 'admin'`);
    expect(left.rows.map((r) => r.key)).toEqual(expect.arrayContaining(['create-idem-1']));
    expect(left.rows.map((r) => r.key)).not.toContain('old-key');
  });

  it('creates exactly one tenant from fifty concurrent duplicates', async () => {
    const headers = { 'idempotency-key': 'burst-1' };
    const answers = await Promise.all(
      Array.from({ length: 50 }, () =>
        t.request('POST', '/v1/tenants', { body: { id: 'burst', name: 'Burst' }, headers }),
      ),
    );
    const statuses = answers.map((a) => a.status);
    expect(statuses.every((s) => s === 201 || s === 409)).toBe(true);
    expect(
      answers
        .filter((a) => a.status === 409)
        .every((a) => (a.body as { code: string }).code === 'idempotency_in_progress'),
    ).toBe(true);
    const created = answers.filter((a) => a.status === 201);
    expect(new Set(created.map((a) => a.text)).size).toBe(1);
    const count = await db.query("SELECT count(*)::int AS n FROM tenants WHERE id = 'burst'");
    expect(count.rows[0].n).toBe(1);
    const events = await db.query(
      "SELECT outcome, detail->'error'->>'code' AS code, count(*)::int AS n FROM audit_events WHERE action = 'tenant.created' AND resource_id = 'burst' GROUP BY 1, 2",
    );
    // One creation; every refused duplicate is audited as the failure it was.
    const refused = answers.length - created.length;
    expect(events.rows).toEqual(
      expect.arrayContaining([
        { outcome: 'success', code: null, n: 1 },
        ...(refused > 0 ? [{ outcome: 'failure', code: 'idempotency_in_progress', n: refused }] : []),
      ]),
    );
    expect(events.rows).toHaveLength(refused > 0 ? 2 : 1);
  });

  it('audits every mutation with actor and outcome, and the log is append-only', async () => {
    const res = await t.request<{
      data: {
        action: string;
        outcome: string;
        actor: { id: string };
        resource: { id: string };
        tenantId: string;
      }[];
    }>('GET', '/v1/audit-events?limit=200');
    const events = res.body.data;
    const find = (action: string, outcome: string, resourceId?: string) =>
      events.find(
        (e) => e.action === action && e.outcome === outcome && (!resourceId || e.resource.id === resourceId),
      );
    expect(find('tenant.created', 'success', 'tenant-a')).toMatchObject({
      actor: { id: 'admin' },
      tenantId: 'tenant-a',
    });
    expect(find('connection.created', 'success')).toBeDefined();
    expect(find('connection.updated', 'success')).toBeDefined();
    expect(find('connection.created', 'failure')).toBeDefined();
    expect(find('api_key.revoked', 'success')).toBeDefined();
    const denied = find('tenant.created', 'failure', 'tenant-c');
    expect(denied?.actor.id).toMatch(/^[a-z0-9]{16}$/);

    const paged = await t.request<{ data: { id: string }[]; nextCursor: string }>(
      'GET',
      '/v1/audit-events?limit=3&action=tenant.created',
    );
    expect(paged.body.data).toHaveLength(3);
    const next = await t.request<{ data: { id: string }[] }>(
      'GET',
      `/v1/audit-events?limit=3&action=tenant.created&cursor=${paged.body.nextCursor}`,
    );
    expect(
      next.body.data[0].id < paged.body.data[2].id ||
        Number(next.body.data[0].id) < Number(paged.body.data[2].id),
    ).toBe(true);

    await expect(db.query("UPDATE audit_events SET action = 'forged'")).rejects.toThrow(/append-only/);
    await expect(db.query('DELETE FROM audit_events')).rejects.toThrow(/append-only/);
  });

  it('maps framework errors to problem+json', async () => {
    const cases: [string, string, Record<string, string>, string | undefined, number, string][] = [
      ['POST', '/v1/tenants', { 'content-type': 'application/json' }, '{"id":', 400, 'bad_request'],
      ['POST', '/v1/tenants', { 'content-type': 'text/plain' }, 'hello', 415, 'unsupported_media_type'],
      [
        'POST',
        '/v1/tenants',
        { 'content-type': 'application/json' },
        JSON.stringify({ id: 'big', name: 'x'.repeat(1_100_000) }),
        413,
        'payload_too_large',
      ],
      ['GET', '/v1/nowhere', {}, undefined, 404, 'not_found'],
      ['DELETE', '/v1/api-keys/a%00b', {}, undefined, 404, 'not_found'],
      ['GET', `/v1/tenants/${'a'.repeat(600)}`, {}, undefined, 404, 'not_found'],
      ['POST', '/v1/tenants', { 'content-type': 'application/json' }, '[1,2]', 422, 'validation_failed'],
      ['GET', '/v1/tenants?limit=0', {}, undefined, 422, 'validation_failed'],
      ['GET', '/v1/audit-events?cursor=%%%', {}, undefined, 422, 'validation_failed'],
      [
        'GET',
        `/v1/audit-events?cursor=${Buffer.from('{"id":"9999999999999999999"}').toString('base64url')}`,
        {},
        undefined,
        422,
        'validation_failed',
      ],
    ];
    for (const [method, path, headers, rawBody, status, code] of cases) {
      const res = await t.request(method, path, { headers, rawBody });
      expect({ path, status: res.status, code: (res.body as { code?: string }).code }).toEqual({
        path,
        status,
        code,
      });
      expect(res.headers.get('content-type')).toMatch(PROBLEM);
      expect((res.body as { requestId?: string }).requestId).toBeTruthy();
    }
  });

  it('serves OpenAPI and metrics', async () => {
    const doc = await t.request<{ paths: Record<string, unknown> }>('GET', '/docs-json', { key: null });
    expect(doc.status).toBe(200);
    expect(Object.keys(doc.body.paths)).toEqual(
      expect.arrayContaining(['/v1/tenants', '/v1/api-keys', '/v1/audit-events']),
    );
    const metrics = await t.request('GET', '/metrics', { key: null });
    expect(metrics.text).toContain('mailroom_http_request_duration_seconds_bucket');
    expect(metrics.text).toContain('route="/v1/tenants"');
  });
});
