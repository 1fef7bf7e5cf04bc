import IORedis from 'ioredis';
import { Client } from 'pg';
import { Writable } from 'node:stream';
import { createHostwaySimulator, type HostwaySimulator } from '../../simulators/hostway/hostway.simulator';
import type { JobItemView, JobView } from '../../src/modules/jobs/jobs.dto';
import { startTestApp, type TestApp } from '../support/test-app';

const HOSTWAY = { username: 'hw-api', password: 'hw-secret' };
const TENANT = 'mig-tenant';
const CANARY = 'Canary-Pw-7f3e9!';

interface List<T> {
  data: T[];
  nextCursor: string | null;
}

/** Collects every log line the app writes. */
class LogSink extends Writable {
  text = '';
  override _write(chunk: Buffer, _encoding: string, done: () => void): void {
    this.text += chunk.toString();
    done();
  }
}

describe('migrations intake: POST /v1/tenants/{t}/migrations (ROLE=api: items stay as stored)', () => {
  let t: TestApp;
  let hostway: HostwaySimulator;
  let db: Client;
  const logs = new LogSink();

  const allItems = async (jobId: string, state?: string): Promise<JobItemView[]> => {
    const items: JobItemView[] = [];
    let cursor: string | null = null;
    do {
      const query: URLSearchParams = new URLSearchParams({
        limit: '200',
        ...(state ? { state } : {}),
        ...(cursor ? { cursor } : {}),
      });
      const page: { status: number; body: List<JobItemView> } = await t.request<List<JobItemView>>(
        'GET',
        `/v1/jobs/${jobId}/items?${query}`,
      );
      expect(page.status).toBe(200);
      items.push(...page.body.data);
      cursor = page.body.nextCursor;
    } while (cursor);
    return items;
  };
  const csvUpload = (csv: string, query: string, headers: Record<string, string> = {}) =>
    t.request<JobView & { code?: string; detail?: string }>(
      'POST',
      `/v1/tenants/${TENANT}/migrations?${query}`,
      {
        rawBody: csv,
        headers: { 'content-type': 'text/csv', ...headers },
      },
    );
  const jobCount = async () => Number((await db.query(`SELECT count(*) FROM jobs`)).rows[0].count);

  beforeAll(async () => {
    hostway = createHostwaySimulator({ ...HOSTWAY, seed: { accounts: [{ name: 'acct-1', domains: [] }] } });
    const hostwayUrl = await hostway.listen();
    t = await startTestApp({ ROLE: 'api', LOG_LEVEL: 'debug', MIGRATION_CSV_MAX_ROWS: '6000' }, logs);
    await t.request('POST', '/v1/tenants', { body: { id: TENANT, name: TENANT } });
    await t.request('POST', '/v1/tenants', { body: { id: 'mig-other', name: 'other' } });
    const connection = await t.request('POST', `/v1/tenants/${TENANT}/connections`, {
      body: {
        provider: 'hostway',
        baseUrl: hostwayUrl,
        credentials: HOSTWAY,
        settings: { account: 'acct-1' },
      },
    });
    expect(connection.status).toBe(201);
    db = new Client({ connectionString: t.config.databaseUrl });
    await db.connect();
  });

  afterAll(async () => {
    await db.end();
    await t.close();
    await hostway.close();
  });

  it('JSON: 202 with Location and the queued job; one item per user, bad users failed', async () => {
    const users = [
      {
        email: 'Ann@Example.com',
        firstName: 'Ann',
        lastName: 'Lee',
        password: 'Hostway-Pw1!',
        quotaMb: 1024,
      },
      { email: 'not-an-email', firstName: 'Bad' },
      { email: 'bob@example.com', firstName: 'x'.repeat(101), plan: 'standard' },
      {
        email: 'cy@example.com',
        aliases: ['cy.alias@example.com'],
        extras: { master: true },
        externalId: 'ext-3',
      },
      { email: 'ann@example.com', firstName: 'Again' },
      { email: 'dee@example.com', unknownField: 1 },
    ];
    const response = await t.request<JobView>('POST', `/v1/tenants/${TENANT}/migrations`, {
      body: { service: 'mail', users, options: { dryRun: true, mode: 'upsert', batchSize: 50 } },
    });

    expect(response.status).toBe(202);
    expect(response.headers.get('location')).toBe(`/v1/jobs/${response.body.id}`);
    expect(response.body).toMatchObject({
      type: 'migration',
      tenantId: TENANT,
      state: 'queued',
      progress: { total: 6, done: 4, failed: 4, succeeded: 0 },
    });
    const payload = (await db.query(`SELECT payload FROM jobs WHERE id = $1`, [response.body.id])).rows[0]
      .payload;
    expect(payload).toEqual({ service: 'mail', dryRun: true, mode: 'upsert', batchSize: 50 });

    const items = await allItems(response.body.id);
    expect(items.map((i) => [i.key, i.state, i.code])).toEqual([
      ['ann@example.com', 'pending', null],
      ['line:2', 'failed', 'validation_failed'],
      ['bob@example.com#line:3', 'failed', 'validation_failed'],
      ['cy@example.com', 'pending', null],
      ['ann@example.com#line:5', 'failed', 'duplicate_in_upload'],
      ['dee@example.com#line:6', 'failed', 'validation_failed'],
    ]);
    expect(items[1].detail).toContain('email must be an email address');
    expect(items[2].detail).toContain('firstName must be 1-100 characters, found 101');
    expect(items[4].detail).toBe('user 5 repeats user 1 (ann@example.com); only the first is migrated');
    expect(items[5].detail).toContain('unknownField is not a known field');

    const stored = await db.query(`SELECT seq, input FROM job_items WHERE job_id = $1 ORDER BY seq`, [
      response.body.id,
    ]);
    expect(stored.rows[0].input).toEqual({
      user: { email: 'Ann@Example.com', firstName: 'Ann', lastName: 'Lee', mailbox: { quotaMb: 1024 } },
    });
    expect(stored.rows[3].input).toEqual({
      externalId: 'ext-3',
      user: { email: 'cy@example.com', aliases: ['cy.alias@example.com'], extras: { master: true } },
    });
    const secrets = await db.query(`SELECT seq FROM migration_item_secrets WHERE job_id = $1`, [
      response.body.id,
    ]);
    expect(secrets.rows).toEqual([{ seq: 1 }]);
  });

  it('JSON: only the envelope refuses the upload (422), and nothing is stored', async () => {
    const before = await jobCount();
    for (const body of [
      { service: 'fax', users: [{ email: 'a@example.com' }] },
      { service: 'mail', users: 'a@example.com' },
      { service: 'mail', users: ['a@example.com'] },
      { service: 'mail', users: [] },
      { service: 'mail', users: [{ email: 'a@example.com' }], options: { batchSize: 1001 } },
      { service: 'mail', users: [{ email: 'a@example.com' }], options: { mode: 'merge' } },
      { service: 'mail', users: Array.from({ length: 10_001 }, (_, i) => ({ email: `u${i}@example.com` })) },
    ]) {
      const response = await t.request('POST', `/v1/tenants/${TENANT}/migrations`, { body });
      expect([response.status, response.body.code]).toEqual([422, 'validation_failed']);
    }
    expect(await jobCount()).toBe(before);
  });

  it('answers 409 without a connection for the service, 404 for another tenant, 403 without the scope', async () => {
    const body = { service: 'archive', users: [{ email: 'a@example.com' }] };
    const noArchive = await t.request('POST', `/v1/tenants/${TENANT}/migrations`, { body });
    expect([noArchive.status, noArchive.body.code]).toEqual([409, 'conflict']);

    const otherKey = await t.request<{ key: string }>('POST', '/v1/api-keys', {
      body: { name: 'other', tenantId: 'mig-other', scopes: ['migrations:write'] },
    });
    const foreign = await t.request('POST', `/v1/tenants/${TENANT}/migrations`, {
      key: otherKey.body.key,
      body: { service: 'mail', users: [{ email: 'a@example.com' }] },
    });
    expect([foreign.status, foreign.body.code]).toEqual([404, 'not_found']);

    const readKey = await t.request<{ key: string }>('POST', '/v1/api-keys', {
      body: { name: 'reader', tenantId: TENANT, scopes: ['users:read'] },
    });
    const unscoped = await t.request('POST', `/v1/tenants/${TENANT}/migrations`, {
      key: readKey.body.key,
      body: { service: 'mail', users: [{ email: 'a@example.com' }] },
    });
    expect([unscoped.status, unscoped.body.code]).toEqual([403, 'forbidden']);
  });

  it('Idempotency-Key: the same upload replays the first job, a different one is refused', async () => {
    const body = { service: 'mail', users: [{ email: 'idem@example.com' }] };
    const headers = { 'idempotency-key': 'mig-idem-1' };
    const first = await t.request<JobView>('POST', `/v1/tenants/${TENANT}/migrations`, { body, headers });
    const again = await t.request<JobView>('POST', `/v1/tenants/${TENANT}/migrations`, { body, headers });
    expect(first.status).toBe(202);
    expect([again.status, again.body.id, again.headers.get('idempotent-replayed')]).toEqual([
      202,
      first.body.id,
      'true',
    ]);
    const other = await t.request('POST', `/v1/tenants/${TENANT}/migrations`, {
      body: { ...body, users: [{ email: 'other@example.com' }] },
      headers,
    });
    expect([other.status, other.body.code]).toEqual([422, 'idempotency_key_reused']);
  });

  it('CSV: streamed rows become items with line numbers; options come from the query', async () => {
    const csv = [
      'email,firstName,lastName,password,externalId,quotaMb,plan,aliases,extras.master',
      'ann@example.com,Ann,Lee,Hostway-Pw1!,ext-1,2048,premium,ann.l@example.com;a.lee@example.com,yes',
      '"bob@example.com","Bob, Jr.","O""Brien",,,,,,',
      'broken-email,Cy,,,,,,,',
      'dee@example.com,Dee,,,,lots,,,',
      'eve@example.com,Eve"s,,,,,,,',
      '',
      'ann@example.com,Ann,Again,,,,,,',
      'fay@example.com,Fay,,,,,,,',
      'too@example.com,Many,Fields,,,,,,,extra',
    ].join('\r\n');
    const response = await csvUpload(csv, 'service=mail&dryRun=true&mode=upsert&batchSize=7');

    expect(response.status).toBe(202);
    expect(response.body).toMatchObject({
      type: 'migration',
      state: 'queued',
      progress: { total: 8, failed: 4 },
    });
    const payload = (await db.query(`SELECT payload FROM jobs WHERE id = $1`, [response.body.id])).rows[0]
      .payload;
    expect(payload).toEqual({ service: 'mail', dryRun: true, mode: 'upsert', batchSize: 7 });

    const items = await allItems(response.body.id);
    expect(items.map((i) => [i.key, i.state, i.code, i.detail])).toEqual([
      ['ann@example.com', 'pending', null, null],
      ['bob@example.com', 'pending', null, null],
      ['line:4', 'failed', 'validation_failed', 'line 4: email must be an email address'],
      [
        'dee@example.com#line:5',
        'failed',
        'validation_failed',
        'line 5: quotaMb must be a whole number of MB from 1 to 100000000',
      ],
      ['eve@example.com', 'pending', null, null],
      [
        'ann@example.com#line:8',
        'failed',
        'duplicate_in_upload',
        'line 8: ann@example.com is already on line 2; only that row is migrated',
      ],
      ['fay@example.com', 'pending', null, null],
      ['line:10', 'failed', 'bad_request', 'line 10: 10 fields, but the header has 9'],
    ]);

    const inputs = await db.query(
      `SELECT key, input FROM job_items WHERE job_id = $1 AND state = 'pending'`,
      [response.body.id],
    );
    const input = Object.fromEntries(
      inputs.rows.map((r: { key: string; input: unknown }) => [r.key, r.input]),
    );
    expect(input['ann@example.com']).toEqual({
      line: 2,
      externalId: 'ext-1',
      user: {
        email: 'ann@example.com',
        firstName: 'Ann',
        lastName: 'Lee',
        mailbox: { quotaMb: 2048, plan: 'premium' },
        aliases: ['ann.l@example.com', 'a.lee@example.com'],
        extras: { master: 'yes' },
      },
    });
    expect(input['bob@example.com']).toEqual({
      line: 3,
      user: { email: 'bob@example.com', firstName: 'Bob, Jr.', lastName: 'O"Brien' },
    });
  });

  it('CSV: an unknown column refuses the whole upload with 422, storing nothing', async () => {
    const before = await jobCount();
    const response = await csvUpload('email,firstName,nickname\nann@example.com,Ann,A\n', 'service=mail');
    expect([response.status, response.body.code]).toEqual([422, 'validation_failed']);
    expect(response.body.detail).toContain('header.nickname');
    const noService = await csvUpload('email\nann@example.com\n', 'dryRun=true');
    expect([noService.status, noService.body.code]).toEqual([422, 'validation_failed']);
    expect(await jobCount()).toBe(before);
  });

  it('CSV: past the row limit (MIGRATION_CSV_MAX_ROWS=6000 here) the answer is 413 and nothing is left behind', async () => {
    const count = async () =>
      (
        await db.query(
          `SELECT (SELECT count(*) FROM jobs)::int AS jobs, (SELECT count(*) FROM job_items)::int AS items,
             (SELECT count(*) FROM migration_item_secrets)::int AS secrets`,
        )
      ).rows[0];
    const before = await count();
    const rows = (n: number) => Array.from({ length: n }, (_, i) => `u${i}@example.com,Pw-${i}-Secret!`);
    const over = await csvUpload(['email,password', ...rows(6001)].join('\n'), 'service=mail');
    expect([over.status, over.body.code]).toEqual([413, 'payload_too_large']);
    expect(over.body.detail).toBe('The CSV has more than 6000 rows; split it into several uploads.');
    expect(await count()).toEqual(before);

    const atLimit = await csvUpload(['email,password', ...rows(6000)].join('\n'), 'service=mail');
    expect([atLimit.status, atLimit.body.progress]).toEqual([
      202,
      expect.objectContaining({ total: 6000, failed: 0 }),
    ]);
    expect(await count()).toEqual({
      jobs: before.jobs + 1,
      items: before.items + 6000,
      secrets: before.secrets + 6000,
    });
  });

  it('text/csv is refused with 415 by routes that do not stream it', async () => {
    const response = await t.request('POST', `/v1/tenants/${TENANT}/users`, {
      rawBody: 'email\nann@example.com\n',
      headers: { 'content-type': 'text/csv' },
    });
    expect([response.status, response.body.code]).toEqual([415, 'unsupported_media_type']);
  });

  it('a canary password reaches neither Redis, the logs, the audit log, the items API nor item input', async () => {
    const csv = `email,password\ncanary@example.com,${CANARY}\n`;
    const response = await csvUpload(csv, 'service=mail');
    expect(response.status).toBe(202);
    const json = await t.request<JobView>('POST', `/v1/tenants/${TENANT}/migrations`, {
      body: { service: 'mail', users: [{ email: 'canary2@example.com', password: CANARY }] },
    });
    expect(json.status).toBe(202);

    const stored = await db.query(
      `SELECT s.password_ciphertext FROM migration_item_secrets s WHERE s.job_id = ANY($1::uuid[])`,
      [[response.body.id, json.body.id]],
    );
    expect(stored.rows).toHaveLength(2);
    for (const row of stored.rows) expect(row.password_ciphertext).not.toContain(CANARY);

    const redis = new IORedis(t.config.redisUrl);
    try {
      const keys = await redis.keys(`${t.config.queuePrefix}:*`);
      expect(keys.length).toBeGreaterThan(0);
      for (const key of keys) {
        const type = await redis.type(key);
        const dump =
          type === 'hash'
            ? JSON.stringify(await redis.hgetall(key))
            : type === 'string'
              ? ((await redis.get(key)) ?? '')
              : type === 'list'
                ? JSON.stringify(await redis.lrange(key, 0, -1))
                : type === 'zset'
                  ? JSON.stringify(await redis.zrange(key, 0, -1))
                  : type === 'set'
                    ? JSON.stringify(await redis.smembers(key))
                    : type === 'stream'
                      ? JSON.stringify(await redis.xrange(key, '-', '+'))
                      : '';
        expect(dump).not.toContain(CANARY);
      }
    } finally {
      redis.disconnect();
    }
    expect(logs.text.length).toBeGreaterThan(0);
    expect(logs.text).not.toContain(CANARY);
    const audit = await db.query(
      `SELECT detail::text AS detail FROM audit_events WHERE action = 'migration.requested'`,
    );
    expect(audit.rows.length).toBeGreaterThan(0);
    for (const row of audit.rows) expect(row.detail).not.toContain(CANARY);
    const items = await t.request('GET', `/v1/jobs/${response.body.id}/items`);
    expect(items.text).toContain('canary@example.com');
    expect(items.text).not.toContain(CANARY);
    const inputs = await db.query(
      `SELECT input::text AS input FROM job_items WHERE job_id = ANY($1::uuid[])`,
      [[response.body.id, json.body.id]],
    );
    for (const row of inputs.rows) expect(row.input).not.toContain(CANARY);
  });
});
