import { Client } from 'pg';
import type { JobView } from '../../src/modules/jobs/jobs.dto';
import { JobsService } from '../../src/modules/jobs/jobs.service';
import { startTestApp, type TestApp } from '../support/test-app';
import { createEffectsTable, testJobsOptions } from '../support/test-jobs';
import { waitFor } from '../support/wait-for';
import { spawnWorker, type WorkerProcess } from '../support/worker-process';
import { freePort } from '../support/free-port';

interface List<T> {
  data: T[];
  nextCursor: string | null;
}

interface SseEvent {
  event: string;
  data: JobView;
  at: number;
}

/** Reads a whole SSE stream (it ends after `done`) into its events. */
async function readEvents(
  url: string,
  key: string,
): Promise<{ status: number; contentType: string | null; events: SseEvent[] }> {
  const response = await fetch(url, {
    headers: { authorization: `Bearer ${key}`, accept: 'text/event-stream' },
  });
  const events: SseEvent[] = [];
  if (!response.body)
    return { status: response.status, contentType: response.headers.get('content-type'), events };
  const decoder = new TextDecoder();
  let buffer = '';
  for await (const chunk of response.body) {
    buffer += decoder.decode(chunk as Uint8Array, { stream: true });
    let end: number;
    while ((end = buffer.indexOf('\n\n')) >= 0) {
      const block = buffer.slice(0, end);
      buffer = buffer.slice(end + 2);
      const fields = Object.fromEntries(
        block
          .split('\n')
          .filter((line) => line && !line.startsWith(':'))
          .map((line) => [line.slice(0, line.indexOf(':')), line.slice(line.indexOf(':') + 1).trim()]),
      );
      if (fields.event)
        events.push({ event: fields.event, data: JSON.parse(fields.data) as JobView, at: Date.now() });
    }
  }
  return { status: response.status, contentType: response.headers.get('content-type'), events };
}

describe('jobs across processes (ROLE=api here, ROLE=worker child processes)', () => {
  let t: TestApp;
  let db: Client;
  let jobs: JobsService;
  const workers: WorkerProcess[] = [];

  const startWorker = async () => {
    const worker = spawnWorker(t.env);
    workers.push(worker);
    await worker.ready;
    return worker;
  };
  const row = async (id: string) =>
    (
      await db.query<{
        state: string;
        total: number;
        done: number;
        succeeded: number;
        failed: number;
        deliveries: number;
      }>(`SELECT state, total, done, succeeded, failed, deliveries FROM jobs WHERE id = $1`, [id])
    ).rows[0];
  const items = (n: number) => Array.from({ length: n }, (_, i) => ({ key: `user${i}@example.com` }));

  beforeAll(async () => {
    t = await startTestApp({ ROLE: 'api' }, undefined, { jobs: testJobsOptions() });
    await createEffectsTable(t.config.databaseUrl);
    db = new Client({ connectionString: t.config.databaseUrl });
    await db.connect();
    jobs = t.app.get(JobsService);
    for (const id of ['acme', 'globex']) {
      expect((await t.request('POST', '/v1/tenants', { body: { id, name: id } })).status).toBe(201);
    }
  });

  afterEach(async () => {
    for (const worker of workers.splice(0)) {
      if (worker.child.exitCode === null && worker.child.signalCode === null) worker.child.kill('SIGKILL');
      await worker.exited;
    }
  });

  afterAll(async () => {
    await db?.end();
    await t?.close();
  });

  it('the API role only enqueues: without a worker the job stays queued', async () => {
    const created = await jobs.enqueue('test.items', 'globex', {}, { createdBy: 'test', items: items(3) });
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect((await row(created.id)).state).toBe('queued');
    expect((await t.request('POST', `/v1/jobs/${created.id}/cancel`)).body).toMatchObject({
      state: 'cancelled',
    });
  });

  it('a ROLE=worker process serves /metrics with the job figures on its PORT, and nothing else', async () => {
    const port = await freePort();
    const worker = spawnWorker({ ...t.env, PORT: String(port) });
    workers.push(worker);
    await worker.ready;
    const created = await jobs.enqueue('test.items', 'globex', {}, { createdBy: 'test', items: items(3) });
    await waitFor(
      async () => (await row(created.id)).state === 'succeeded',
      'the job to succeed',
      60_000,
      50,
    );

    const scrape = await fetch(`http://127.0.0.1:${port}/metrics`);
    expect(scrape.status).toBe(200);
    expect(scrape.headers.get('content-type')).toContain('text/plain');
    const text = await scrape.text();
    // Counted where the job ran: in the worker, which has no other HTTP face.
    expect(text).toMatch(/^mailroom_jobs_finished_total\{type="test\.items",state="succeeded"\} 1$/m);
    expect(text).toMatch(/^mailroom_job_items_total\{type="test\.items",state="succeeded"\} 3$/m);
    expect(text).toMatch(/^mailroom_job_duration_seconds_count\{type="test\.items",state="succeeded"\} 1$/m);
    expect(text).toMatch(/^mailroom_queue_jobs\{queue="test-items",state="waiting"\} 0$/m);

    expect((await fetch(`http://127.0.0.1:${port}/health/live`)).status).toBe(200);
    const api = await fetch(`http://127.0.0.1:${port}/v1/tenants`, {
      headers: { authorization: `Bearer ${t.adminKey}` },
    });
    expect(api.status).toBe(404);
    expect(api.headers.get('content-type')).toBe('application/problem+json');
  });

  it('a 2,000-item job survives three SIGKILLed workers: succeeded, each item processed exactly once, counters equal the items', async () => {
    const created = await jobs.enqueue(
      'test.items',
      'acme',
      { delayMs: 2 },
      { createdBy: 'test', items: items(2000) },
    );
    // Three random kill points spread over the run.
    const killAt = [0, 1, 2].map((k) => 150 + k * 550 + Math.floor(Math.random() * 400));
    for (const threshold of killAt) {
      const worker = await startWorker();
      await waitFor(
        async () => (await row(created.id)).done >= threshold,
        `${threshold} items done`,
        60_000,
        5,
      );
      worker.child.kill('SIGKILL');
      expect(await worker.exited).toBe('SIGKILL');
    }
    const doneAtLastKill = (await row(created.id)).done;
    expect(doneAtLastKill).toBeLessThan(2000);
    await startWorker();
    const final = await waitFor(
      async () => {
        const current = await row(created.id);
        return ['succeeded', 'failed', 'partially_failed', 'cancelled'].includes(current.state) && current;
      },
      'the job to finish',
      120_000,
      100,
    );

    expect(final).toMatchObject({ state: 'succeeded', total: 2000, done: 2000, succeeded: 2000, failed: 0 });
    expect(final.deliveries).toBeGreaterThanOrEqual(4);
    const effects = await db.query<{ key: string; n: number }>(
      `SELECT key, count(*)::int AS n FROM test_job_effects WHERE job_id = $1 GROUP BY key`,
      [created.id],
    );
    expect(effects.rows).toHaveLength(2000);
    expect(effects.rows.filter((r) => r.n !== 1)).toEqual([]);
    const itemCounts = await db.query<{ state: string; n: number }>(
      `SELECT state, count(*)::int AS n FROM job_items WHERE job_id = $1 GROUP BY state`,
      [created.id],
    );
    expect(itemCounts.rows).toEqual([{ state: 'succeeded', n: 2000 }]);

    const audit = await t.request<List<{ action: string; detail: { resumed?: boolean } }>>(
      'GET',
      `/v1/audit-events?resourceType=job&resourceId=${created.id}&limit=200`,
    );
    const started = audit.body.data.filter((e) => e.action === 'job.started');
    expect(started.length).toBe(final.deliveries);
    expect(started.some((e) => e.detail.resumed === true)).toBe(true);
    expect(audit.body.data.filter((e) => e.action === 'job.finished')).toHaveLength(1);
    // Four worker boots and the waits above add up to more than the default minute on a busy machine.
  }, 300_000);

  it('SIGTERM lets in-flight items checkpoint and hands the job back; the next worker finishes it', async () => {
    const created = await jobs.enqueue(
      'test.items',
      'acme',
      { delayMs: 20 },
      { createdBy: 'test', items: items(300) },
    );
    const worker = await startWorker();
    await waitFor(async () => (await row(created.id)).done >= 40, '40 items done', 60_000, 10);
    worker.child.kill('SIGTERM');
    expect(await worker.exited).toBe(0);
    const stopped = await row(created.id);
    expect(stopped.state).toBe('running');
    expect(stopped.done).toBeLessThan(300);
    const running = await db.query(`SELECT 1 FROM job_items WHERE job_id = $1 AND state = 'running'`, [
      created.id,
    ]);
    expect(running.rowCount).toBe(0);
    const bookkept = await db.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM test_job_effects WHERE job_id = $1`,
      [created.id],
    );
    expect(bookkept.rows[0].n).toBe(stopped.done);

    await startWorker();
    const final = await waitFor(
      async () => {
        const current = await row(created.id);
        return current.state !== 'running' && current;
      },
      'the job to finish',
      60_000,
      100,
    );
    expect(final).toMatchObject({ state: 'succeeded', done: 300, succeeded: 300 });
    const effects = await db.query<{ n: number; keys: number }>(
      `SELECT count(*)::int AS n, count(DISTINCT key)::int AS keys FROM test_job_effects WHERE job_id = $1`,
      [created.id],
    );
    expect(effects.rows[0]).toEqual({ n: 300, keys: 300 });
  });

  it('GET /v1/jobs/{id}/events streams throttled progress events, then done, while a worker process runs the job', async () => {
    const created = await jobs.enqueue(
      'test.items',
      'acme',
      { delayMs: 10 },
      { createdBy: 'test', items: items(200) },
    );
    const stream = readEvents(`${t.url}/v1/jobs/${created.id}/events`, t.adminKey);
    await startWorker();
    const started = Date.now();
    const { status, contentType, events } = await stream;
    const seconds = (Date.now() - started) / 1000;

    expect(status).toBe(200);
    expect(contentType).toContain('text/event-stream');
    const progress = events.filter((e) => e.event === 'progress');
    expect(events[events.length - 1].event).toBe('done');
    expect(events.filter((e) => e.event === 'done')).toHaveLength(1);
    expect(events[events.length - 1].data).toMatchObject({
      id: created.id,
      state: 'succeeded',
      progress: { done: 200, percent: 100 },
    });
    // Several distinct progress snapshots while it ran, never more than ~4 a second.
    const running = progress.filter(
      (e) => e.data.state === 'running' && e.data.progress.done > 0 && e.data.progress.done < 200,
    );
    expect(running.length).toBeGreaterThanOrEqual(2);
    expect(progress.length).toBeLessThanOrEqual(Math.ceil(seconds * 4) + 3);
    const done = progress.map((e) => e.data.progress.done);
    expect([...done].sort((a, b) => a - b)).toEqual(done);

    // A finished job answers with its final state at once.
    const again = await readEvents(`${t.url}/v1/jobs/${created.id}/events`, t.adminKey);
    expect(again.events.map((e) => e.event)).toEqual(['done']);
  });

  describe('tenant isolation', () => {
    let acmeKey: string;
    let globexJob: JobView;
    let acmeJob: JobView;

    beforeAll(async () => {
      const key = await t.request<{ key: string }>('POST', '/v1/api-keys', {
        body: { name: 'acme dashboard', tenantId: 'acme', scopes: ['jobs:write'] },
      });
      expect(key.status).toBe(201);
      acmeKey = key.body.key;
      globexJob = await jobs.enqueue('test.items', 'globex', {}, { createdBy: 'test', items: items(2) });
      acmeJob = await jobs.enqueue('test.items', 'acme', {}, { createdBy: 'test', items: items(2) });
    });

    it("a tenant key lists and reads only its tenant's jobs", async () => {
      const list = await t.request<List<JobView>>('GET', '/v1/jobs?limit=200', { key: acmeKey });
      expect(list.status).toBe(200);
      expect(list.body.data.length).toBeGreaterThan(0);
      expect(list.body.data.every((j) => j.tenantId === 'acme')).toBe(true);
      expect(list.body.data.map((j) => j.id)).toContain(acmeJob.id);
      expect((await t.request('GET', `/v1/jobs/${acmeJob.id}`, { key: acmeKey })).status).toBe(200);
      expect((await t.request('GET', `/v1/jobs/${acmeJob.id}/items`, { key: acmeKey })).status).toBe(200);

      const admin = await t.request<List<JobView>>('GET', '/v1/jobs?tenantId=globex', {});
      expect(admin.body.data.map((j) => j.id)).toContain(globexJob.id);
    });

    it("another tenant's job is 404 on every route, never 403", async () => {
      const paths: [string, string][] = [
        ['GET', `/v1/jobs/${globexJob.id}`],
        ['GET', `/v1/jobs/${globexJob.id}/items`],
        ['GET', `/v1/jobs/${globexJob.id}/events`],
        ['POST', `/v1/jobs/${globexJob.id}/cancel`],
        ['POST', `/v1/jobs/${globexJob.id}/retry`],
        ['GET', '/v1/jobs?tenantId=globex'],
      ];
      for (const [method, path] of paths) {
        const response = await t.request<{ code: string }>(method, path, { key: acmeKey });
        expect([path, response.status, response.body.code]).toEqual([path, 404, 'not_found']);
      }
      expect((await row(globexJob.id)).state).toBe('queued');
    });

    it('needs the jobs scopes', async () => {
      const key = await t.request<{ key: string }>('POST', '/v1/api-keys', {
        body: { name: 'acme users', tenantId: 'acme', scopes: ['users:read'] },
      });
      expect((await t.request('GET', '/v1/jobs', { key: key.body.key })).status).toBe(403);
      const reader = await t.request<{ key: string }>('POST', '/v1/api-keys', {
        body: { name: 'acme reader', tenantId: 'acme', scopes: ['jobs:read'] },
      });
      expect((await t.request('GET', `/v1/jobs/${acmeJob.id}`, { key: reader.body.key })).status).toBe(200);
      expect(
        (await t.request('POST', `/v1/jobs/${acmeJob.id}/cancel`, { key: reader.body.key })).status,
      ).toBe(403);
      expect((await t.request('GET', '/v1/jobs', { key: null })).status).toBe(401);
    });
  });
});
