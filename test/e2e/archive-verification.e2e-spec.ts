import {
  createMailStoreSimulator,
  type MailStoreSimulator,
} from '../../simulators/mailstore/mailstore.simulator';
import { JobsRepository } from '../../src/jobs/jobs.repository';
import { startTestApp, type TestApp } from '../support/test-app';
import { testJobsOptions } from '../support/test-jobs';
import { spawnWorker, type WorkerProcess } from '../support/worker-process';

/**
 * Verification jobs end to end: the gateway in ROLE=api, the jobs in a separate ROLE=worker
 * process (killed with SIGKILL in two tests), MailStore simulated over HTTP.
 */

const PROBLEM = 'Message 4711: the content file is missing.';

interface JobBody {
  id: string;
  type: string;
  state: string;
  progress: { percent: number; message?: string | null };
  result: Record<string, unknown> | null;
  error: { code: string; detail: string } | null;
}

interface AuditEvent {
  action: string;
  outcome: string;
  actor: { type: string; id: string };
  jobId: string | null;
  vendorCalls: { method: string; path: string; status: number | null }[];
  detail: Record<string, unknown>;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('archive verification jobs (API role + worker process, MailStore simulator)', () => {
  let sim: MailStoreSimulator;
  let forgetful: MailStoreSimulator;
  let t: TestApp;
  let worker: WorkerProcess;
  let simUrl: string;

  beforeAll(async () => {
    sim = createMailStoreSimulator({
      username: 'spe',
      password: 'spe-secret',
      verifyDurationMs: 1500,
      instances: [
        {
          id: 'acme01',
          stores: [
            { name: 'Archive 2024', requestedState: 'normal' },
            { name: 'Archive 2025', requestedState: 'current', problems: [PROBLEM] },
            { name: 'Archive 2023', requestedState: 'writeProtected' },
          ],
        },
        {
          id: 'long01',
          stores: [{ name: 'Big Archive', requestedState: 'current', verifyDurationMs: 20_000 }],
        },
      ],
    });
    // Forgets a finished operation's token almost at once: a worker that comes back late must start over.
    forgetful = createMailStoreSimulator({
      username: 'spe',
      password: 'spe-secret',
      tokenTtlMs: 100,
      instances: [
        { id: 'forget01', stores: [{ name: 'Small', requestedState: 'current', verifyDurationMs: 3000 }] },
      ],
    });
    simUrl = await sim.listen();
    const forgetfulUrl = await forgetful.listen();
    t = await startTestApp({ ROLE: 'api' }, undefined, { jobs: testJobsOptions() });
    for (const [tenant, url, instanceId] of [
      ['acme', simUrl, 'acme01'],
      ['bigco', simUrl, 'long01'],
      ['forgetco', forgetfulUrl, 'forget01'],
    ]) {
      expect((await t.request('POST', '/v1/tenants', { body: { id: tenant, name: tenant } })).status).toBe(
        201,
      );
      const conn = await t.request('POST', `/v1/tenants/${tenant}/connections`, {
        body: {
          provider: 'mailstore',
          baseUrl: url,
          credentials: { username: 'spe', password: 'spe-secret' },
          settings: { instanceId },
        },
      });
      expect(conn.status).toBe(201);
    }
    expect((await t.request('POST', '/v1/tenants', { body: { id: 'no-archive', name: 'x' } })).status).toBe(
      201,
    );
    worker = spawnWorker(t.env);
    await worker.ready;
  }, 60_000);

  afterAll(async () => {
    worker?.child.kill('SIGKILL');
    await worker?.exited;
    await t?.close();
    await sim?.close();
    await forgetful?.close();
  });

  async function getJob(id: string): Promise<JobBody> {
    const res = await t.request<JobBody>('GET', `/v1/jobs/${id}`);
    expect(res.status).toBe(200);
    return res.body;
  }

  /** Polls the job until `done` holds, keeping every view seen on the way. */
  async function watch(id: string, done: (job: JobBody) => boolean, timeoutMs = 60_000): Promise<JobBody[]> {
    const seen: JobBody[] = [];
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const job = await getJob(id);
      seen.push(job);
      if (done(job)) return seen;
      if (Date.now() > deadline) throw new Error(`job ${id} still ${job.state} (${job.progress.percent}%)`);
      await sleep(150);
    }
  }

  const finished = (job: JobBody) =>
    ['succeeded', 'failed', 'cancelled', 'partially_failed'].includes(job.state);

  async function startVerify(tenant: string, path: string, body?: unknown): Promise<JobBody> {
    const res = await t.request<JobBody>('POST', `/v1/tenants/${tenant}/archive/${path}`, { body });
    expect(res.status).toBe(202);
    expect(res.headers.get('location')).toBe(`/v1/jobs/${res.body.id}`);
    expect(res.body.state).toBe('queued');
    return res.body;
  }

  async function auditOf(jobId: string): Promise<AuditEvent[]> {
    const res = await t.request<{ data: AuditEvent[] }>('GET', `/v1/audit-events?limit=200`);
    return res.body.data.filter((e) => e.jobId === jobId).reverse();
  }

  function tokenOf(s: MailStoreSimulator, command: string): string {
    const ops = [...s.state.operations.values()].filter((o) => o.command === command);
    return ops.at(-1)!.token;
  }

  it('verifies one store: rising progress, the planted inconsistency named, documented form encoding, audited', async () => {
    const queued = await startVerify('acme', 'stores/2/verify', { includeIndexes: true });
    expect(queued.type).toBe('archive.verify-store');

    const events = fetch(`${t.url}/v1/jobs/${queued.id}/events`, {
      headers: { authorization: `Bearer ${t.adminKey}` },
    }).then((r) => r.text());

    const seen = await watch(queued.id, finished);
    const last = seen.at(-1)!;
    // The verification ran to its end and found the planted problem: the store is a failed item.
    expect(last.state).toBe('partially_failed');
    expect(last.progress).toMatchObject({ total: 1, done: 1, succeeded: 0, failed: 1 });
    const items = await t.request<{ data: { key: string; state: string; code: string; detail: string }[] }>(
      'GET',
      `/v1/jobs/${queued.id}/items?state=failed`,
    );
    expect(items.body.data).toEqual([
      expect.objectContaining({ key: '2', state: 'failed', code: 'store_inconsistent', detail: PROBLEM }),
    ]);
    const percents = seen.filter((j) => j.state === 'running').map((j) => j.progress.percent);
    expect(new Set(percents).size).toBeGreaterThan(1);
    expect(percents).toEqual([...percents].sort((a, b) => a - b));
    expect(
      seen.some(
        (j) =>
          j.state === 'running' && /Verifying archive store 'Archive 2025'/.test(j.progress.message ?? ''),
      ),
    ).toBe(true);
    expect(last.progress.percent).toBe(100);
    expect(last.result).toMatchObject({
      consistent: false,
      includeIndexes: true,
      resumed: null,
      stores: [{ storeId: '2', name: 'Archive 2025', consistent: false, problems: [PROBLEM] }],
    });

    const verifyCall = sim.faults.requests.find((r) => r.url === '/api/invoke/VerifyStore')!;
    expect(verifyCall.contentType).toMatch(/^application\/x-www-form-urlencoded/);
    expect(verifyCall.body).toEqual({ instanceID: 'acme01', id: '2', includeIndexes: 'true' });
    const polls = sim.faults.requests.filter((r) => r.url === '/api/get-status');
    expect(polls.length).toBeGreaterThan(1);
    expect(polls[0].body).toMatchObject({
      token: expect.any(String),
      lastKnownStatusVersion: '1',
      millisecondsTimeout: '10000',
    });

    const sse = await events;
    expect(sse).toMatch(/event: progress\ndata: .*"state":"running"/);
    expect(sse).toMatch(/event: done\ndata: .*"state":"partially_failed"/);

    const audit = await auditOf(queued.id);
    const actions = audit.map((e) => e.action);
    expect(actions).toEqual(
      expect.arrayContaining([
        'archive.store.verification.started',
        'archive.store.verification.finished',
        'job.finished',
      ]),
    );
    const started = audit.find((e) => e.action === 'archive.store.verification.started')!;
    expect(started.actor).toEqual({ type: 'job', id: queued.id });
    expect(started.vendorCalls.map((c) => c.path)).toEqual(['/api/invoke/VerifyStore']);
    const done = audit.find((e) => e.action === 'archive.store.verification.finished')!;
    expect(done.outcome).toBe('success');
    expect(done.vendorCalls.length).toBeGreaterThan(1);
    expect(done.vendorCalls.every((c) => c.path === '/api/get-status' && c.status === 200)).toBe(true);
    const requested = await t.request<{ data: AuditEvent[] }>(
      'GET',
      '/v1/audit-events?tenantId=acme&action=archive.store.verification.requested',
    );
    expect(requested.body.data[0]).toMatchObject({
      outcome: 'success',
      detail: expect.objectContaining({ jobId: queued.id }),
    });
  });

  it('verifies every store with VerifyStores and reports each', async () => {
    const queued = await startVerify('acme', 'verify');
    expect(queued.type).toBe('archive.verify-stores');
    const last = (await watch(queued.id, finished)).at(-1)!;
    expect(last.state).toBe('partially_failed');
    expect(last.progress).toMatchObject({ total: 3, done: 3, succeeded: 2, failed: 1 });
    const items = await t.request<{ data: { key: string; state: string; code: string }[] }>(
      'GET',
      `/v1/jobs/${queued.id}/items`,
    );
    expect(items.body.data.map((i) => [i.state, i.code])).toEqual([
      ['succeeded', 'consistent'],
      ['failed', 'store_inconsistent'],
      ['succeeded', 'consistent'],
    ]);
    const stores = (last.result as { stores: { name: string; consistent: boolean; problems: string[] }[] })
      .stores;
    expect(stores.map((s) => [s.name, s.consistent])).toEqual([
      ['Archive 2024', true],
      ['Archive 2025', false],
      ['Archive 2023', true],
    ]);
    expect(stores[1].problems).toEqual([PROBLEM]);
    expect(last.result).toMatchObject({ consistent: false, includeIndexes: false });
    const call = sim.faults.requests.filter((r) => r.url === '/api/invoke/VerifyStores').at(-1)!;
    expect(call.body).toEqual({ instanceID: 'acme01', includeIndexes: 'false' });
  });

  it('refuses what cannot run before any job exists', async () => {
    const count = async () =>
      (await t.request<{ data: unknown[] }>('GET', '/v1/jobs?limit=200')).body.data.length;
    const before = await count();
    const unknown = await t.request('POST', '/v1/tenants/acme/archive/stores/99/verify');
    expect(unknown.status).toBe(404);
    const nonNumeric = await t.request('POST', '/v1/tenants/acme/archive/stores/abc/verify');
    expect(nonNumeric.status).toBe(404);
    const noArchive = await t.request('POST', '/v1/tenants/no-archive/archive/verify');
    expect(noArchive.status).toBe(409);
    expect(noArchive.body).toMatchObject({ code: 'conflict', detail: expect.stringContaining('archive') });
    const badBody = await t.request('POST', '/v1/tenants/acme/archive/verify', {
      body: { includeIndexes: 'yes' },
    });
    expect(badBody.status).toBe(422);
    const unknownField = await t.request('POST', '/v1/tenants/acme/archive/verify', { body: { deep: true } });
    expect(unknownField.status).toBe(422);
    expect(await count()).toBe(before);
  });

  it('a tenant deleted while its verify is in flight answers 404, never 500 (fuzz seed 724490405)', async () => {
    // The exact interleaving: the route saw the tenant, then the DELETE committed before the job insert.
    await expect(
      t.app.get(JobsRepository).create({
        type: 'archive.verify-stores',
        tenantId: 'deleted-meanwhile',
        payload: { includeIndexes: false },
        createdBy: 'test',
        requestId: null,
      }),
    ).rejects.toMatchObject({ code: 'not_found' });
    // The same race over HTTP, as the fuzzer met it.
    for (let round = 0; round < 5; round++) {
      const tenant = `doomed-${round}`;
      expect((await t.request('POST', '/v1/tenants', { body: { id: tenant, name: tenant } })).status).toBe(
        201,
      );
      const created = await t.request('POST', `/v1/tenants/${tenant}/connections`, {
        body: {
          provider: 'mailstore',
          baseUrl: simUrl,
          credentials: { username: 'spe', password: 'spe-secret' },
          settings: { instanceId: 'acme01' },
        },
      });
      expect(created.status).toBe(201);
      const verify = () =>
        t.request('POST', `/v1/tenants/${tenant}/archive/verify`, { body: { includeIndexes: false } });
      const answers = await Promise.all([
        ...Array.from({ length: 6 }, verify),
        t.request('DELETE', `/v1/tenants/${tenant}`),
        ...Array.from({ length: 6 }, verify),
      ]);
      expect(answers[6].status).toBe(204);
      for (const answer of [...answers.slice(0, 6), ...answers.slice(7)]) {
        expect([202, 404]).toContain(answer.status);
        if (answer.status === 404) expect(answer.body).toMatchObject({ code: 'not_found' });
      }
    }
  });

  it('replays a verify sent twice with one Idempotency-Key: one job, same Location', async () => {
    const send = () =>
      t.request<JobBody>('POST', '/v1/tenants/acme/archive/stores/1/verify', {
        body: {},
        headers: { 'idempotency-key': 'verify-store-1-once' },
      });
    const first = await send();
    const again = await send();
    expect(first.status).toBe(202);
    expect(again.status).toBe(202);
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    expect(again.body.id).toBe(first.body.id);
    expect(again.headers.get('location')).toBe(`/v1/jobs/${first.body.id}`);
    expect((await watch(first.body.id, finished)).at(-1)!.state).toBe('succeeded');
  });

  it('compacts a store as a job followed to its end', async () => {
    const res = await t.request<JobBody>('POST', '/v1/tenants/acme/archive/stores/3/compact');
    expect(res.status).toBe(202);
    expect(res.body.type).toBe('archive.compact-store');
    const last = (await watch(res.body.id, finished)).at(-1)!;
    expect(last.state).toBe('succeeded');
    expect(last.result).toMatchObject({ statusText: 'Completed.', resumed: null });
    const call = sim.faults.requests.find((r) => r.url === '/api/invoke/CompactStore')!;
    expect(call.body).toEqual({ instanceID: 'acme01', id: '3' });
  });

  it('cancel mid-run sends cancel-async and the job ends cancelled', async () => {
    const queued = await startVerify('bigco', 'stores/1/verify');
    await watch(queued.id, (j) => j.state === 'running' && j.progress.percent >= 5);
    const token = tokenOf(sim, 'VerifyStore');
    const cancel = await t.request<JobBody>('POST', `/v1/jobs/${queued.id}/cancel`);
    expect(cancel.status).toBeLessThan(300);

    const last = (await watch(queued.id, finished, 20_000)).at(-1)!;
    expect(last.state).toBe('cancelled');
    expect(sim.state.cancelRequests).toContain(token);
    const cancelCall = sim.faults.requests.find((r) => r.url === '/api/cancel-async')!;
    expect(cancelCall.body).toEqual({ token });
    expect(sim.state.operations.get(token)?.statusCode).toBe('failed');
    const audit = await auditOf(queued.id);
    const cancelled = audit.find((e) => e.action === 'archive.store.verification.cancelled')!;
    expect(cancelled.vendorCalls.map((c) => c.path)).toContain('/api/cancel-async');
  });

  it('a 20 s verification survives its worker being SIGKILLed: same token polled, no second verification', async () => {
    const queued = await startVerify('bigco', 'stores/1/verify');
    const early = await watch(queued.id, (j) => j.state === 'running' && j.progress.percent >= 10);
    const startedBefore = sim.state.verificationsStarted;
    const token = tokenOf(sim, 'VerifyStore');

    worker.child.kill('SIGKILL');
    expect(await worker.exited).toBe('SIGKILL');
    worker = spawnWorker(t.env);
    await worker.ready;

    const rest = await watch(queued.id, finished, 90_000);
    const last = rest.at(-1)!;
    expect(last.state).toBe('succeeded');
    expect(sim.state.verificationsStarted).toBe(startedBefore);
    expect(last.result).toMatchObject({
      resumed: 'polled-existing-token',
      restarts: 0,
      consistent: true,
      stores: [{ name: 'Big Archive', consistent: true, problems: [] }],
    });
    const percents = [...early, ...rest].filter((j) => j.state === 'running').map((j) => j.progress.percent);
    expect(Math.max(...percents)).toBeGreaterThan(Math.min(...percents));
    const resumedPoll = sim.faults.requests.filter(
      (r) => r.url === '/api/get-status' && (r.body as { token: string }).token === token,
    );
    expect(resumedPoll.some((r) => (r.body as Record<string, string>).lastKnownStatusVersion === '0')).toBe(
      true,
    );
  }, 120_000);

  it('a worker that comes back after MailStore forgot the token restarts the verification and says so', async () => {
    const queued = await startVerify('forgetco', 'stores/1/verify');
    await watch(queued.id, (j) => j.state === 'running' && j.progress.percent >= 10);
    const token = tokenOf(forgetful, 'VerifyStore');

    worker.child.kill('SIGKILL');
    await worker.exited;
    // Wait until the first run ended and its token expired before any worker can poll it.
    const deadline = Date.now() + 20_000;
    while (forgetful.state.operations.has(token) && Date.now() < deadline) await sleep(100);
    expect(forgetful.state.operations.has(token)).toBe(false);
    worker = spawnWorker(t.env);
    await worker.ready;

    const last = (await watch(queued.id, finished, 60_000)).at(-1)!;
    expect(last.state).toBe('succeeded');
    expect(last.result).toMatchObject({ resumed: 'restarted', restarts: 1 });
    expect(forgetful.state.verificationsStarted).toBe(2);
  }, 90_000);
});
