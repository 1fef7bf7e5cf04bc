import { Client } from 'pg';
import { JobRunner } from '../../src/jobs/job-runner';
import { JobsRepository } from '../../src/jobs/jobs.repository';
import { JobsService } from '../../src/modules/jobs/jobs.service';
import type { JobItemView, JobView } from '../../src/modules/jobs/jobs.dto';
import { startTestApp, type TestApp } from '../support/test-app';
import { createEffectsTable, testJobsOptions } from '../support/test-jobs';
import { waitFor } from '../support/wait-for';

interface List<T> {
  data: T[];
  nextCursor: string | null;
}

describe('job engine (ROLE=all, runner in process)', () => {
  let t: TestApp;
  let db: Client;
  let jobs: JobsService;

  const items = (n: number, prefix = 'k') => Array.from({ length: n }, (_, i) => ({ key: `${prefix}${i}` }));
  const job = async (id: string) => (await t.request<JobView>('GET', `/v1/jobs/${id}`)).body;
  const until = (id: string, states: string[], timeoutMs = 30_000) =>
    waitFor(
      async () => {
        const view = await job(id);
        return states.includes(view.state) && view;
      },
      `job ${id} to reach ${states.join('|')}`,
      timeoutMs,
    );
  const effects = async (jobId: string) =>
    (
      await db.query<{ key: string; n: number }>(
        `SELECT key, count(*)::int AS n FROM test_job_effects WHERE job_id = $1 GROUP BY key`,
        [jobId],
      )
    ).rows;
  const itemStates = async (jobId: string) =>
    Object.fromEntries(
      (
        await db.query<{ state: string; n: number }>(
          `SELECT state, count(*)::int AS n FROM job_items WHERE job_id = $1 GROUP BY state`,
          [jobId],
        )
      ).rows.map((r) => [r.state, r.n]),
    ) as Record<string, number>;

  beforeAll(async () => {
    t = await startTestApp({}, undefined, { jobs: testJobsOptions() });
    await createEffectsTable(t.config.databaseUrl);
    db = new Client({ connectionString: t.config.databaseUrl });
    await db.connect();
    jobs = t.app.get(JobsService);
    for (const id of ['acme', 'globex', 'initech']) {
      expect((await t.request('POST', '/v1/tenants', { body: { id, name: id } })).status).toBe(201);
    }
  });

  afterAll(async () => {
    await db?.end();
    await t?.close();
  });

  it('runs an items job to succeeded with counters equal to the item table and one side effect per item', async () => {
    const created = await jobs.enqueue(
      'test.items',
      'acme',
      { delayMs: 1 },
      { createdBy: 'test', items: items(50) },
    );
    expect(created).toMatchObject({
      state: 'queued',
      tenantId: 'acme',
      type: 'test.items',
      progress: { total: 50, done: 0 },
    });
    const done = await until(created.id, ['succeeded', 'failed', 'partially_failed']);
    expect(done).toMatchObject({
      state: 'succeeded',
      progress: { total: 50, done: 50, succeeded: 50, failed: 0, percent: 100 },
      result: { processed: 50, succeeded: 50 },
      error: null,
    });
    expect(done.startedAt).not.toBeNull();
    expect(done.finishedAt).not.toBeNull();
    expect(await itemStates(created.id)).toEqual({ succeeded: 50 });
    const counted = await effects(created.id);
    expect(counted).toHaveLength(50);
    expect(counted.every((r) => r.n === 1)).toBe(true);

    const audit = await t.request<
      List<{ action: string; actor: { type: string; id: string }; detail: Record<string, unknown> }>
    >('GET', `/v1/audit-events?resourceType=job&resourceId=${created.id}`);
    const actions = audit.body.data.map((e) => e.action).sort();
    expect(actions).toEqual(['job.finished', 'job.started']);
    expect(audit.body.data.every((e) => e.actor.type === 'job' && e.actor.id === created.id)).toBe(true);
    expect(audit.body.data.find((e) => e.action === 'job.finished')?.detail).toMatchObject({
      state: 'succeeded',
    });
  });

  it("a tenant's deletion takes its jobs' items and item passwords along; a job gone gets no items", async () => {
    expect((await t.request('POST', '/v1/tenants', { body: { id: 'doomed', name: 'doomed' } })).status).toBe(
      201,
    );
    const created = await jobs.enqueue(
      'test.items',
      'doomed',
      { delayMs: 1 },
      { createdBy: 'test', items: items(5) },
    );
    await db.query(
      `INSERT INTO migration_item_secrets (job_id, seq, password_ciphertext) SELECT $1, seq, 'sealed' FROM job_items WHERE job_id = $1`,
      [created.id],
    );
    await until(created.id, ['succeeded']);
    expect((await t.request('DELETE', '/v1/tenants/doomed')).status).toBe(204);
    const left = await db.query<{ items: number; secrets: number }>(
      `SELECT (SELECT count(*)::int FROM job_items WHERE job_id = $1) AS items,
              (SELECT count(*)::int FROM migration_item_secrets WHERE job_id = $1) AS secrets`,
      [created.id],
    );
    expect(left.rows[0]).toEqual({ items: 0, secrets: 0 });
    await expect(
      t.app.get(JobsRepository).recordOperationItems(created.id, [{ key: 'late', state: 'succeeded' }]),
    ).rejects.toMatchObject({ code: 'not_found' });
    expect((await db.query(`SELECT 1 FROM job_items WHERE job_id = $1`, [created.id])).rowCount).toBe(0);
  });

  it('retries a transient item error in place and records the extra attempt', async () => {
    const created = await jobs.enqueue(
      'test.items',
      'acme',
      { transientKeys: ['k2'] },
      { createdBy: 'test', items: items(5) },
    );
    await until(created.id, ['succeeded']);
    const list = await t.request<List<JobItemView>>('GET', `/v1/jobs/${created.id}/items`);
    expect(list.body.data.map((i) => [i.key, i.state, i.attempts])).toEqual([
      ['k0', 'succeeded', 1],
      ['k1', 'succeeded', 1],
      ['k2', 'succeeded', 2],
      ['k3', 'succeeded', 1],
      ['k4', 'succeeded', 1],
    ]);
  });

  it('retry re-runs only the failed items', async () => {
    const created = await jobs.enqueue(
      'test.items',
      'acme',
      { failKeys: ['k3', 'k7'] },
      { createdBy: 'test', items: items(10) },
    );
    const partial = await until(created.id, ['succeeded', 'failed', 'partially_failed']);
    expect(partial).toMatchObject({
      state: 'partially_failed',
      progress: { total: 10, done: 10, succeeded: 8, failed: 2 },
      error: { code: 'items_failed' },
    });
    const failed = await t.request<List<JobItemView>>('GET', `/v1/jobs/${created.id}/items?state=failed`);
    expect(failed.body.data.map((i) => [i.key, i.code])).toEqual([
      ['k3', 'provider_rejected'],
      ['k7', 'provider_rejected'],
    ]);

    const retried = await t.request<JobView>('POST', `/v1/jobs/${created.id}/retry`);
    expect(retried.status).toBe(202);
    expect(retried.headers.get('location')).toBe(`/v1/jobs/${created.id}`);
    expect(retried.body).toMatchObject({ state: 'queued', progress: { done: 8, succeeded: 8, failed: 0 } });
    const after = await until(created.id, ['succeeded', 'failed', 'partially_failed']);
    expect(after).toMatchObject({
      state: 'succeeded',
      progress: { total: 10, done: 10, succeeded: 10, failed: 0 },
      error: null,
    });

    const all = await t.request<List<JobItemView>>('GET', `/v1/jobs/${created.id}/items`);
    const attempts = Object.fromEntries(all.body.data.map((i) => [i.key, i.attempts]));
    expect(attempts).toEqual({ k0: 1, k1: 1, k2: 1, k3: 2, k4: 1, k5: 1, k6: 1, k7: 2, k8: 1, k9: 1 });
    const counted = await effects(created.id);
    expect(counted).toHaveLength(10);
    expect(counted.every((r) => r.n === 1)).toBe(true);

    const again = await t.request('POST', `/v1/jobs/${created.id}/retry`);
    expect(again.status).toBe(409);
    const audit = await t.request<
      List<{ action: string; actor: { type: string }; detail: Record<string, unknown> }>
    >('GET', `/v1/audit-events?action=job.retried&resourceId=${created.id}`);
    expect(audit.body.data).toHaveLength(2);
    expect(audit.body.data.find((e) => e.detail.retriedItems !== undefined)?.detail.retriedItems).toBe(2);
  });

  it('cancel stops a running job at its next checkpoint; a job queued behind the connection limit is cancelled at once', async () => {
    const running = await jobs.enqueue(
      'test.items',
      'globex',
      { delayMs: 20 },
      { createdBy: 'test', items: items(400) },
    );
    // Same tenant = same connection; the test type allows one job per connection at a time.
    const waiting = await jobs.enqueue('test.items', 'globex', {}, { createdBy: 'test', items: items(5) });
    await waitFor(async () => (await job(running.id)).progress.done >= 20 || undefined, 'some progress');
    const queued = await job(waiting.id);
    expect(queued.state).toBe('queued');
    expect(queued.startedAt).toBeNull();

    const cancelQueued = await t.request<JobView>('POST', `/v1/jobs/${waiting.id}/cancel`);
    expect(cancelQueued.status).toBe(200);
    expect(cancelQueued.body.state).toBe('cancelled');
    expect(await itemStates(waiting.id)).toEqual({ cancelled: 5 });

    const requestedAt = Date.now();
    const cancel = await t.request<JobView>('POST', `/v1/jobs/${running.id}/cancel`);
    expect(cancel.status).toBe(200);
    expect(cancel.body.cancelRequestedAt).not.toBeNull();
    const cancelled = await until(running.id, ['cancelled', 'succeeded'], 10_000);
    expect(cancelled.state).toBe('cancelled');
    // Checkpoints come every ~20 ms here; "within 2 s of the next checkpoint", with slack for a loaded machine.
    expect(Date.now() - requestedAt).toBeLessThan(5000);

    const states = await itemStates(running.id);
    expect(states.running).toBeUndefined();
    expect(states.pending).toBeUndefined();
    expect(states.cancelled).toBeGreaterThan(0);
    expect(states.succeeded).toBe(cancelled.progress.succeeded);
    expect(cancelled.progress.done).toBe(cancelled.progress.succeeded);
    expect((await effects(running.id)).length).toBe(cancelled.progress.succeeded);

    expect((await t.request('POST', `/v1/jobs/${running.id}/cancel`)).status).toBe(409);
    const audit = await t.request<List<{ action: string; actor: { type: string } }>>(
      'GET',
      `/v1/audit-events?resourceType=job&resourceId=${running.id}`,
    );
    expect(audit.body.data.map((e) => `${e.action}:${e.actor.type}`).sort()).toEqual([
      'job.cancel-requested:api-key',
      'job.cancel-requested:api-key',
      'job.finished:job',
      'job.started:job',
    ]);
  });

  it('runs a single long operation: checkpoint state, progress percent and message mirrored, result stored', async () => {
    const created = await jobs.enqueue(
      'test.operation',
      'initech',
      { steps: 4, stepMs: 30 },
      { createdBy: 'test' },
    );
    const done = await until(created.id, ['succeeded', 'failed']);
    expect(done).toMatchObject({
      state: 'succeeded',
      progress: { total: 0, done: 0, percent: 100, message: 'step 4 of 4' },
      result: { steps: 4, resumedFrom: 0 },
    });
    const failing = await jobs.enqueue(
      'test.operation',
      'initech',
      { steps: 1, stepMs: 1, failWith: 'store is broken' },
      { createdBy: 'test' },
    );
    const failed = await until(failing.id, ['succeeded', 'failed']);
    expect(failed).toMatchObject({
      state: 'failed',
      error: { code: 'provider_rejected', detail: 'store is broken' },
      result: { steps: 1 },
    });
  });

  it('the sweeper delivers a job recorded while Redis did not take it', async () => {
    const record = await t.app
      .get(JobsRepository)
      .create(
        { type: 'test.items', tenantId: 'initech', payload: {}, createdBy: 'test', requestId: null },
        items(3),
      );
    // Created in Postgres only, never handed to Redis: only a sweep (this one or the periodic one) can deliver it.
    await db.query(`UPDATE jobs SET updated_at = now() - interval '1 hour' WHERE id = $1`, [record.id]);
    await t.app.get(JobRunner).sweep();
    expect(await until(record.id, ['succeeded'])).toMatchObject({ progress: { done: 3, succeeded: 3 } });
  });

  it('lists with filters and keyset paging', async () => {
    const page1 = await t.request<List<JobView>>('GET', '/v1/jobs?tenantId=acme&type=test.items&limit=2');
    expect(page1.status).toBe(200);
    expect(page1.body.data).toHaveLength(2);
    expect(page1.body.nextCursor).not.toBeNull();
    const page2 = await t.request<List<JobView>>(
      'GET',
      `/v1/jobs?tenantId=acme&type=test.items&limit=2&cursor=${page1.body.nextCursor}`,
    );
    expect(page2.body.data).toHaveLength(1);
    expect(page2.body.nextCursor).toBeNull();
    const ids = [...page1.body.data, ...page2.body.data].map((j) => j.id);
    expect(new Set(ids).size).toBe(3);
    const created = [...page1.body.data, ...page2.body.data].map((j) => j.createdAt);
    expect([...created].sort().reverse()).toEqual(created);

    const cancelled = await t.request<List<JobView>>('GET', '/v1/jobs?state=cancelled');
    expect(cancelled.body.data.length).toBe(2);
    expect(cancelled.body.data.every((j) => j.state === 'cancelled')).toBe(true);
    expect((await t.request('GET', '/v1/jobs?state=done')).status).toBe(422);
    expect((await t.request('GET', '/v1/jobs?cursor=bogus')).status).toBe(422);
    expect((await t.request('GET', '/v1/jobs/not-a-uuid')).status).toBe(404);
    const itemsOf = `/v1/jobs/${page1.body.data[0].id}/items`;
    for (const seq of ['x', 1.5, 1e20, -1]) {
      const cursor = Buffer.from(JSON.stringify({ seq })).toString('base64url');
      expect([seq, (await t.request('GET', `${itemsOf}?cursor=${cursor}`)).status]).toEqual([seq, 422]);
    }
  });

  it('exposes job metrics and guards the queue dashboard with the admin key', async () => {
    const metrics = await t.request('GET', '/metrics', { key: null });
    expect(metrics.text).toMatch(/mailroom_jobs_finished_total\{type="test.items",state="succeeded"\} [1-9]/);
    expect(metrics.text).toMatch(
      /mailroom_job_duration_seconds_count\{type="test.items",state="succeeded"\} [1-9]/,
    );
    expect(metrics.text).toMatch(/mailroom_queue_jobs\{queue="test-items",state="waiting"\} 0/);
    expect(metrics.text).toContain('mailroom_job_items_total');

    const ready = await t.request<{ checks: Record<string, string> }>('GET', '/health/ready', { key: null });
    expect(ready.body.checks).toMatchObject({ postgres: 'up', redis: 'up', queues: 'up' });

    expect((await fetch(`${t.url}/admin/queues`)).status).toBe(401);
    const wrong = await fetch(`${t.url}/admin/queues`, {
      headers: { authorization: 'Bearer not-the-admin-key-at-all' },
    });
    expect(wrong.status).toBe(401);
    expect(wrong.headers.get('www-authenticate')).toContain('Basic');
    const board = await fetch(`${t.url}/admin/queues`, {
      headers: { authorization: `Bearer ${t.adminKey}` },
    });
    expect(board.status).toBe(200);
    const basic = Buffer.from(`ops:${t.adminKey}`).toString('base64');
    const api = await fetch(`${t.url}/admin/queues/api/queues`, {
      headers: { authorization: `Basic ${basic}` },
    });
    expect(api.status).toBe(200);
    const body = (await api.json()) as { queues: { name: string }[] };
    expect(body.queues.map((q) => q.name)).toEqual(expect.arrayContaining(['test-items', 'test-operation']));
    expect(body.queues.every((q) => (q as { readOnlyMode?: boolean }).readOnlyMode === true)).toBe(true);
    for (const action of ['retry/failed', 'clean/completed', 'pause', 'promote']) {
      const refused = await fetch(`${t.url}/admin/queues/api/queues/test-items/${action}`, {
        method: 'PUT',
        headers: { authorization: `Bearer ${t.adminKey}` },
      });
      expect({ action, status: refused.status }).toEqual({ action, status: 405 });
    }
  });
});
