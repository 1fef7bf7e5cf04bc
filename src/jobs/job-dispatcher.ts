import { Injectable, Logger } from '@nestjs/common';
import type { JobEntity } from './job.entity';
import { JobCatalogue } from './job-catalogue';
import { QueueFactory } from './queue-factory';

/** What Redis carries for a job: ids only; everything else is read from Postgres. */
export interface QueuedJobData {
  jobId: string;
  run: number;
}

const DAY_SECONDS = 24 * 3600;
const DISPATCH_TIMEOUT_MS = 3000;

/** With Redis down the client queues commands forever; a caller must not wait for that. */
const redisTimeout = () =>
  new Promise<never>((_, reject) =>
    setTimeout(() => reject(new Error('Redis did not answer')), DISPATCH_TIMEOUT_MS).unref(),
  );

/** Hands job records to their BullMQ queue, one BullMQ job per run of a record. */
@Injectable()
export class JobDispatcher {
  private readonly logger = new Logger(JobDispatcher.name);

  constructor(
    private readonly catalogue: JobCatalogue,
    private readonly queues: QueueFactory,
  ) {}

  static bullJobId(job: Pick<JobEntity, 'id' | 'run'>): string {
    return `${job.id}_${job.run}`;
  }

  /**
   * Adds the run to its queue; adding an existing id is a no-op, so this is safe to repeat.
   * A failure is logged, not thrown: the record stays queued and the sweeper dispatches it later.
   */
  dispatch(job: Pick<JobEntity, 'id' | 'run' | 'type'>): Promise<boolean> {
    return this.dispatchMany([job]);
  }

  /**
   * Adds several runs, one round trip per queue (BullMQ addBulk); like `dispatch`, a failure is
   * logged and the records stay queued for the engine's sweeper.
   */
  async dispatchMany(jobs: readonly Pick<JobEntity, 'id' | 'run' | 'type'>[]): Promise<boolean> {
    const byQueue = new Map<string, Pick<JobEntity, 'id' | 'run' | 'type'>[]>();
    for (const job of jobs) {
      const queue = this.catalogue.get(job.type).queue;
      const group = byQueue.get(queue);
      if (group) group.push(job);
      else byQueue.set(queue, [job]);
    }
    try {
      const added = Promise.all(
        [...byQueue].map(([queue, group]) =>
          this.queues.queue(queue).addBulk(
            group.map((job) => ({
              name: job.type,
              data: { jobId: job.id, run: job.run } satisfies QueuedJobData,
              opts: this.optionsOf(job),
            })),
          ),
        ),
      );
      await Promise.race([added, redisTimeout()]);
      return true;
    } catch (error) {
      const which = jobs.length === 1 ? `job ${jobs[0].id}` : `${jobs.length} jobs`;
      this.logger.warn(
        `${which} not dispatched yet: ${error instanceof Error ? error.message : String(error)}`,
      );
      return false;
    }
  }

  private optionsOf(job: Pick<JobEntity, 'id' | 'run' | 'type'>) {
    const definition = this.catalogue.get(job.type);
    return {
      jobId: JobDispatcher.bullJobId(job),
      attempts: definition.retry.attempts,
      backoff: { type: 'exponential', delay: definition.retry.backoffMs },
      removeOnComplete: { age: DAY_SECONDS, count: 10_000 },
      removeOnFail: { age: 7 * DAY_SECONDS },
    };
  }

  /** Best effort: drops a run that has not started (a cancelled queued job). */
  async withdraw(job: Pick<JobEntity, 'id' | 'run' | 'type'>): Promise<void> {
    const queue = this.queues.queue(this.catalogue.get(job.type).queue);
    await queue.remove(JobDispatcher.bullJobId(job)).catch(() => undefined);
  }
}
