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
import { spawnWorker, type WorkerProcess } from '../support/worker-process';
import { testJobsOptions } from '../support/test-jobs';

const TENANT = 'dm-kill-tenant';

describe('a migration survives SIGKILLed workers (ROLE=api here, ROLE=worker child processes)', () => {
  let sim: DataMotionSimulator;
  let t: TestApp;
  const workers: WorkerProcess[] = [];

  beforeAll(async () => {
    sim = createDataMotionSimulator({ perCallLatencyMs: 20 });
    const origin = await sim.listen();
    t = await startTestApp({ ROLE: 'api' }, undefined, { jobs: testJobsOptions() });
    expect((await t.request('POST', '/v1/tenants', { body: { id: TENANT, name: TENANT } })).status).toBe(201);
    const connection = await t.request('POST', `/v1/tenants/${TENANT}/connections`, {
      body: {
        provider: 'datamotion',
        baseUrl: `${origin}${SECURE_MAIL_PATH}`,
        credentials: {
          userIdOrEmail: 'admin@securemail.example',
          password: 'admin-secret',
          subscriptionKey: DEFAULT_SUBSCRIPTION_KEY,
        },
        settings: {
          companyId: 1001,
          userTypeId: 3,
          remoteBaseUrl: `${origin}${REMOTE_PATH}`,
          maxRequestsPerSecond: 500,
        },
        services: ['secure-mail'],
      },
    });
    expect(connection.status).toBe(201);
  });

  afterAll(async () => {
    for (const worker of workers) {
      if (worker.child.exitCode === null && worker.child.signalCode === null) worker.child.kill('SIGKILL');
      await worker.exited;
    }
    await t?.close();
    await sim?.close();
  });

  const done = async (id: string) => (await t.request<JobView>('GET', `/v1/jobs/${id}`)).body.progress.done;

  it('killed twice during a 2,000-user migration: every user is at DataMotion exactly once and every item is accounted for', async () => {
    const users = Array.from({ length: 2000 }, (_, i) => ({
      email: `kill${i}@dm.example`,
      firstName: 'Kill',
      lastName: `User${i}`,
      password: 'Initial-Pass-2026',
    }));
    const response = await t.request<JobView>('POST', `/v1/tenants/${TENANT}/migrations`, {
      body: { service: 'secure-mail', users, options: { batchSize: 20 } },
    });
    expect(response.status).toBe(202);
    const id = response.body.id;
    for (const threshold of [300, 1100]) {
      const worker = spawnWorker(t.env);
      workers.push(worker);
      await worker.ready;
      await waitFor(async () => (await done(id)) >= threshold, `${threshold} users done`, 120_000, 10);
      worker.child.kill('SIGKILL');
      expect(await worker.exited).toBe('SIGKILL');
    }
    expect(await done(id)).toBeLessThan(2000);
    const last = spawnWorker(t.env);
    workers.push(last);
    await last.ready;
    const final = await finished(t, id, 240_000);
    expect(final).toMatchObject({
      state: 'succeeded',
      progress: { total: 2000, done: 2000, succeeded: 2000, failed: 0 },
      result: { codes: { created: 2000 } },
    });
    const tags = [...sim.state.accounts.values()]
      .map((a) => a.userTag)
      .filter((tag) => tag.startsWith('kill'));
    expect(tags).toHaveLength(2000);
    expect(new Set(tags).size).toBe(2000);
    const items = await t.request<{ data: JobItemView[] }>('GET', `/v1/jobs/${id}/items?state=pending`);
    expect(items.body.data).toEqual([]);
  }, 400_000);
});
