import { Injectable } from '@nestjs/common';
import { Counter, Gauge, Histogram } from 'prom-client';
import { MetricsRegistry } from '../common/metrics/metrics-registry';
import { JobsRepository } from './jobs.repository';
import { JobCatalogue } from './job-catalogue';
import { QueueFactory } from './queue-factory';

const QUEUE_STATES = ['waiting', 'active', 'delayed', 'prioritized', 'failed'] as const;
const SCRAPE_TIMEOUT_MS = 1000;

function withTimeout<T>(promise: Promise<T>): Promise<T> {
  return Promise.race([
    promise,
    new Promise<never>((_, reject) =>
      setTimeout(() => reject(new Error('timeout')), SCRAPE_TIMEOUT_MS).unref(),
    ),
  ]);
}

/**
 * Job metrics in the process registry: durations and outcomes where jobs run, queue depth
 * (Redis) and unfinished jobs (Postgres) wherever /metrics is scraped.
 */
@Injectable()
export class JobMetrics {
  private readonly duration: Histogram<'type' | 'state'>;
  private readonly finished: Counter<'type' | 'state'>;
  private readonly items: Counter<'type' | 'state'>;

  constructor(
    registry: MetricsRegistry,
    catalogue: JobCatalogue,
    queues: QueueFactory,
    repository: JobsRepository,
  ) {
    const registers = [registry];
    this.duration = new Histogram({
      name: 'mailroom_job_duration_seconds',
      help: 'Time from a job starting to its end, by type and final state',
      labelNames: ['type', 'state'] as const,
      buckets: [0.1, 0.5, 1, 5, 15, 60, 300, 900, 3600, 4 * 3600],
      registers,
    });
    this.finished = new Counter({
      name: 'mailroom_jobs_finished_total',
      help: 'Jobs that reached a final state, by type and state',
      labelNames: ['type', 'state'] as const,
      registers,
    });
    this.items = new Counter({
      name: 'mailroom_job_items_total',
      help: 'Job items checkpointed, by job type and outcome',
      labelNames: ['type', 'state'] as const,
      registers,
    });
    new Gauge({
      name: 'mailroom_queue_jobs',
      help: 'BullMQ jobs per queue and state (queue depth)',
      labelNames: ['queue', 'state'] as const,
      registers,
      async collect() {
        this.reset();
        await Promise.all(
          catalogue.queues().map(async (name) => {
            const counts = await withTimeout(queues.queue(name).getJobCounts(...QUEUE_STATES)).catch(
              () => null,
            );
            if (counts)
              for (const state of QUEUE_STATES) this.set({ queue: name, state }, counts[state] ?? 0);
          }),
        );
      },
    });
    new Gauge({
      name: 'mailroom_jobs_unfinished',
      help: 'Job records queued or running, by type and state',
      labelNames: ['type', 'state'] as const,
      registers,
      async collect() {
        this.reset();
        const rows = await withTimeout(repository.countUnfinished()).catch(() => []);
        for (const row of rows) this.set({ type: row.type, state: row.state }, row.count);
      },
    });
  }

  jobFinished(type: string, state: string, seconds: number | null): void {
    this.finished.inc({ type, state });
    if (seconds !== null) this.duration.observe({ type, state }, seconds);
  }

  itemDone(type: string, state: string): void {
    this.items.inc({ type, state });
  }
}
