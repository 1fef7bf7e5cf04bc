import { Client } from 'pg';
import {
  createDataMotionSimulator,
  DEFAULT_SUBSCRIPTION_KEY,
  REMOTE_PATH,
  SECURE_MAIL_PATH,
  type DataMotionSimulator,
} from '../../simulators/datamotion/datamotion.simulator';
import type { JobItemView, JobView } from '../../src/modules/jobs/jobs.dto';
import { finished } from '../support/migration-jobs';
import { startTestApp, type TestApp } from '../support/test-app';
import { waitFor } from '../support/wait-for';

const CREDENTIALS = {
  userIdOrEmail: 'admin@securemail.example',
  password: 'admin-secret',
  subscriptionKey: DEFAULT_SUBSCRIPTION_KEY,
};
/** DataMotion takes one password per MigrateUsers call, so a batch shares its initial password. */
const INITIAL_PASSWORD = 'Initial-Pass-2026';
const CANARY = 'Canary-Dm-Pw-91c4!';

interface List<T> {
  data: T[];
  nextCursor: string | null;
}

describe('migrations into DataMotion (simulator over HTTP, batches through MigrateUsers)', () => {
  let sim: DataMotionSimulator;
  let t: TestApp;
  let db: Client;
  let origin: string;

  const upload = (tenant: string, csv: string, query: string) =>
    t.request<JobView>('POST', `/v1/tenants/${tenant}/migrations?service=secure-mail&${query}`, {
      rawBody: csv,
      headers: { 'content-type': 'text/csv' },
    });
  const uploadJson = (tenant: string, users: object[], options: object = {}) =>
    t.request<JobView>('POST', `/v1/tenants/${tenant}/migrations`, {
      body: { service: 'secure-mail', users, options },
    });
  const allItems = async (jobId: string, state?: string): Promise<JobItemView[]> => {
    const items: JobItemView[] = [];
    let cursor: string | null = null;
    do {
      const query = new URLSearchParams({
        limit: '200',
        ...(state ? { state } : {}),
        ...(cursor ? { cursor } : {}),
      });
      const page: { body: List<JobItemView> } = await t.request<List<JobItemView>>(
        'GET',
        `/v1/jobs/${jobId}/items?${query}`,
      );
      items.push(...page.body.data);
      cursor = page.body.nextCursor;
    } while (cursor);
    return items;
  };
  const people = (count: number, prefix: string) =>
    Array.from({ length: count }, (_, i) => ({
      email: `${prefix}${i}@dm.example`,
      firstName: 'Dm',
      lastName: `User${i}`,
      password: INITIAL_PASSWORD,
    }));
  const atSimulator = (prefix: string) =>
    [...sim.state.accounts.values()].filter((a) => a.userTag.startsWith(prefix)).length;

  async function connect(tenant: string, remote: boolean): Promise<void> {
    expect((await t.request('POST', '/v1/tenants', { body: { id: tenant, name: tenant } })).status).toBe(201);
    const created = await t.request('POST', `/v1/tenants/${tenant}/connections`, {
      body: {
        provider: 'datamotion',
        baseUrl: `${origin}${SECURE_MAIL_PATH}`,
        credentials: CREDENTIALS,
        settings: {
          companyId: 1001,
          userTypeId: 3,
          maxConcurrency: 4,
          maxRequestsPerSecond: 200,
          ...(remote ? { remoteBaseUrl: `${origin}${REMOTE_PATH}` } : {}),
        },
        services: ['secure-mail'],
      },
    });
    expect(created.status).toBe(201);
  }

  beforeAll(async () => {
    sim = createDataMotionSimulator();
    origin = await sim.listen();
    t = await startTestApp();
    db = new Client({ connectionString: t.config.databaseUrl });
    await db.connect();
    await connect('dm-tenant', false);
    await connect('dm-remote-tenant', true);
  });

  afterAll(async () => {
    await db?.end();
    await t?.close();
    await sim?.close();
  });

  afterEach(() => {
    sim.faults.reset();
    sim.config.down = false;
    sim.config.forcedStatuses = {};
    sim.config.perCallLatencyMs = 0;
  });

  /** 5,000 data rows: 4,950 good users and 50 bad rows of four kinds. */
  function plantedCsv(prefix: string): { csv: string; bad: number } {
    const lines = ['email,firstName,lastName,password'];
    let bad = 0;
    for (let i = 0; i < 4950; i++) lines.push(`${prefix}${i}@dm.example,Dm,User${i},${INITIAL_PASSWORD}`);
    for (let i = 0; i < 20; i++, bad++)
      lines.splice(10 + i * 200, 0, `not-an-email-${i},Bad,Email,${INITIAL_PASSWORD}`);
    for (let i = 0; i < 19; i++, bad++)
      lines.splice(
        30 + i * 230,
        0,
        `${prefix}long${i}@dm.example,${'N'.repeat(51)},Long,${INITIAL_PASSWORD}`,
      );
    for (let i = 0; i < 10; i++, bad++)
      lines.push(`${prefix}${i * 7}@dm.example,Dup,Row,${INITIAL_PASSWORD}`);
    lines.splice(2500, 0, `${prefix}malformed@dm.example,Too,Many,Fields,here`);
    bad++;
    return { csv: lines.join('\n'), bad };
  }

  it('dry run of a 5,000-row CSV with 50 bad rows: a full report and no MigrateUsers call', async () => {
    const { csv, bad } = plantedCsv('dry');
    expect(bad).toBe(50);
    const calls = sim.state.stats.migrateUsersCalls;
    const response = await upload('dm-tenant', csv, 'dryRun=true&batchSize=500');
    expect(response.status).toBe(202);
    const done = await finished(t, response.body.id);
    expect(done).toMatchObject({
      state: 'partially_failed',
      progress: { total: 5000, done: 5000, succeeded: 4950, failed: 50 },
      result: { dryRun: true, codes: { would_create: 4950 } },
    });
    expect(sim.state.stats.migrateUsersCalls).toBe(calls);
    expect(atSimulator('dry')).toBe(0);
  });

  it('a 5,000-row CSV with 50 bad rows ends partially_failed with exactly 4,950 users at DataMotion, no call over batchSize', async () => {
    const { csv } = plantedCsv('csv');
    sim.state.stats.largestBatch = 0;
    const response = await upload('dm-tenant', csv, 'batchSize=500');
    expect(response.status).toBe(202);
    const done = await finished(t, response.body.id);
    expect(done).toMatchObject({
      state: 'partially_failed',
      progress: { total: 5000, done: 5000, succeeded: 4950, failed: 50 },
      result: { codes: { created: 4950 } },
    });
    expect(atSimulator('csv')).toBe(4950);
    expect(sim.state.stats.largestBatch).toBeLessThanOrEqual(500);
    expect(sim.state.stats.largestBatch).toBeGreaterThan(1);
    const failed = await allItems(response.body.id, 'failed');
    expect(failed).toHaveLength(50);
    expect(failed.every((i) => /^line \d+: /.test(i.detail ?? ''))).toBe(true);
    const codes = failed.reduce<Record<string, number>>(
      (n, i) => ({ ...n, [i.code!]: (n[i.code!] ?? 0) + 1 }),
      {},
    );
    expect(codes).toEqual({ validation_failed: 39, duplicate_in_upload: 10, bad_request: 1 });
  });

  it('30% 503s and some 429s from DataMotion: the job still ends succeeded', async () => {
    sim.faults.set({ errorRate: 0.3, errorStatus: 503, rateLimitNext: 3, rateLimitRetryAfterSeconds: 1 });
    const response = await uploadJson('dm-tenant', people(300, 'flaky'), { batchSize: 25 });
    expect(response.status).toBe(202);
    const done = await finished(t, response.body.id);
    expect(done).toMatchObject({ state: 'succeeded', progress: { succeeded: 300, failed: 0 } });
    expect(atSimulator('flaky')).toBe(300);
  });

  it('DataMotion down in the middle (a few seconds here, 30 s in the acceptance text): the job waits with its items pending and finishes; none fails', async () => {
    sim.config.perCallLatencyMs = 30;
    const response = await uploadJson('dm-tenant', people(400, 'outage'), { batchSize: 10 });
    expect(response.status).toBe(202);
    const id = response.body.id;
    await waitFor(
      async () => (await t.request<JobView>('GET', `/v1/jobs/${id}`)).body.progress.done >= 40,
      'some batches done',
    );
    sim.config.down = true;
    const waiting = await waitFor(async () => {
      const view = (await t.request<JobView>('GET', `/v1/jobs/${id}`)).body;
      return view.progress.waitingUntil ? view : undefined;
    }, 'the job to wait for DataMotion');
    expect(waiting.state).toBe('running');
    expect(waiting.progress.failed).toBe(0);
    await new Promise((resolve) => setTimeout(resolve, 3000));
    sim.config.down = false;
    const done = await finished(t, id);
    expect(done).toMatchObject({ state: 'succeeded', progress: { succeeded: 400, failed: 0 } });
    expect(atSimulator('outage')).toBe(400);
  });

  it('cancel stops further MigrateUsers calls', async () => {
    sim.config.perCallLatencyMs = 50;
    const response = await uploadJson('dm-tenant', people(2000, 'cancel'), { batchSize: 10 });
    const id = response.body.id;
    await waitFor(
      async () => (await t.request<JobView>('GET', `/v1/jobs/${id}`)).body.progress.done >= 50,
      'some batches done',
    );
    expect((await t.request('POST', `/v1/jobs/${id}/cancel`)).status).toBe(200);
    const done = await finished(t, id);
    expect(done.state).toBe('cancelled');
    const calls = sim.state.stats.migrateUsersCalls;
    const created = atSimulator('cancel');
    expect(created).toBeLessThan(2000);
    // Whatever was in flight has ended with the job; nothing more goes out.
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(sim.state.stats.migrateUsersCalls).toBe(calls);
    expect(
      (await db.query(`SELECT count(*)::int AS n FROM migration_item_secrets WHERE job_id = $1`, [id]))
        .rows[0].n,
    ).toBe(0);
  });

  it('retry re-runs only the failed, retryable items', async () => {
    const users = people(40, 'retry');
    // Five users meet DataMotion's "unexpected exception" every time (retryable); two are conflicts (not).
    for (let i = 0; i < 5; i++) sim.config.forcedStatuses[`retry${i}@dm.example`] = 160;
    for (let i = 5; i < 7; i++) sim.config.forcedStatuses[`retry${i}@dm.example`] = 110;
    const first = await finished(t, (await uploadJson('dm-tenant', users, { batchSize: 10 })).body.id);
    expect(first).toMatchObject({
      state: 'partially_failed',
      progress: { succeeded: 33, failed: 7 },
      result: { codes: { created: 33, provider_unavailable: 5, conflict: 2 } },
    });
    sim.config.forcedStatuses = {};
    const requestsBefore = sim.faults.requests.length;
    const retried = await t.request<{ items: number }>('POST', `/v1/jobs/${first.id}/retry`);
    expect(retried.status).toBe(202);
    const second = await finished(t, first.id);
    expect(second).toMatchObject({
      state: 'partially_failed',
      progress: { succeeded: 38, failed: 2 },
      result: { codes: { created: 38, conflict: 2 } },
    });
    const sent = sim.faults.requests
      .slice(requestsBefore)
      .filter((r) => r.url.endsWith('/Account/MigrateUsers'))
      .flatMap((r) => (r.body as { Users: { UserTag: string }[] }).Users.map((u) => u.UserTag))
      .sort();
    expect(sent).toEqual([
      'retry0@dm.example',
      'retry1@dm.example',
      'retry2@dm.example',
      'retry3@dm.example',
      'retry4@dm.example',
    ]);
  });

  it('with the /Remote API, upsert updates existing users and a dry run reads them (would_update)', async () => {
    const users = people(3, 'remote');
    expect((await finished(t, (await uploadJson('dm-remote-tenant', users)).body.id)).state).toBe(
      'succeeded',
    );
    const again = await finished(
      t,
      (await uploadJson('dm-remote-tenant', users, { mode: 'upsert' })).body.id,
    );
    expect(again).toMatchObject({ state: 'succeeded', result: { codes: { updated: 3 } } });
    const preview = await finished(
      t,
      (await uploadJson('dm-remote-tenant', users, { dryRun: true, mode: 'upsert' })).body.id,
    );
    expect(preview).toMatchObject({ state: 'succeeded', result: { codes: { would_update: 3 } } });
  });

  it('a canary password from a CSV is absent from Postgres once the job is done', async () => {
    const csv = `email,firstName,lastName,password\ncanary@dm.example,Can,Ary,${CANARY}\n`;
    const response = await upload('dm-tenant', csv, 'batchSize=10');
    const done = await finished(t, response.body.id);
    expect(done.state).toBe('succeeded');
    const tables = ['jobs', 'job_items', 'migration_item_secrets', 'audit_events'];
    for (const table of tables) {
      const found = await db.query(`SELECT count(*)::int AS n FROM ${table} AS r WHERE r::text LIKE $1`, [
        `%${CANARY}%`,
      ]);
      expect([table, found.rows[0].n]).toEqual([table, 0]);
    }
    const secrets = await db.query(
      `SELECT count(*)::int AS n FROM migration_item_secrets WHERE job_id = $1`,
      [response.body.id],
    );
    expect(secrets.rows[0].n).toBe(0);
  });
});
