import type { JobsService } from '../jobs/jobs.service';
import type { WebhookEventsRepository } from './webhook-events.repository';
import { WebhookEventQueuer } from './webhook-event-queuer';

function queuerWith(enqueueMany: (jobs: unknown[]) => Promise<string[]>) {
  const attached: { id: string; jobId: string }[][] = [];
  const batches: unknown[][] = [];
  const jobs = {
    enqueueMany: async (_type: string, list: unknown[]) => {
      batches.push(list);
      return enqueueMany(list);
    },
  } as unknown as JobsService;
  const events = {
    attachJobs: async (pairs: { id: string; jobId: string }[]) => void attached.push(pairs),
  } as unknown as WebhookEventsRepository;
  return { queuer: new WebhookEventQueuer(events, jobs), batches, attached };
}

const event = (n: number) => ({ id: `e${n}`, tenantId: 'acme', sourceId: 'hr', requestId: `r${n}` });

describe('WebhookEventQueuer', () => {
  it('queues the events stored together as one batch, each with its own job', async () => {
    const { queuer, batches, attached } = queuerWith(async (list) => list.map((_, n) => `job-${n}`));
    [1, 2, 3].forEach((n) => queuer.queueSoon(event(n)));
    await queuer.onApplicationShutdown();
    expect(batches).toHaveLength(1);
    expect(batches[0]).toEqual(
      [1, 2, 3].map((n) => ({
        tenantId: 'acme',
        payload: { eventId: `e${n}` },
        options: { createdBy: 'webhook:hr', requestId: `r${n}` },
      })),
    );
    expect(attached).toEqual([
      [
        { id: 'e1', jobId: 'job-0' },
        { id: 'e2', jobId: 'job-1' },
        { id: 'e3', jobId: 'job-2' },
      ],
    ]);
  });

  it('leaves a batch it cannot queue to the sweeper, and goes on with the next', async () => {
    let calls = 0;
    const { queuer, attached } = queuerWith(async (list) => {
      calls += 1;
      if (calls === 1) throw new Error('Postgres is restarting');
      return list.map(() => 'job-x');
    });
    queuer.queueSoon(event(1));
    await queuer.onApplicationShutdown();
    expect(attached).toEqual([]);
    queuer.queueSoon(event(2));
    await queuer.onApplicationShutdown();
    expect(attached).toEqual([[{ id: 'e2', jobId: 'job-x' }]]);
  });
});
