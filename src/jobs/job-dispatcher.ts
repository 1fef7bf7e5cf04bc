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
  async dispatch(job: Pick<JobEntity, 'id' | 'run' | 'type'>): Promise<boolean> {
    const definition = this.catalogue.get(job.type);
    const data: QueuedJobData = { jobId: job.id, run: job.run };
    try {
      const added = this.queues.queue(definition.queue).add(job.type, data, {
        jobId: JobDispatcher.bullJobId(job),
        attempts: definition.retry.attempts,
        backoff: { type: 'exponential', delay: definition.retry.backoffMs },
        removeOnComplete: { age: DAY_SECONDS, count: 10_000 },
        removeOnFail: { age: 7 * DAY_SECONDS },
      });
      // With Redis down the client queues commands forever; the caller must not wait for that.
      await Promise.race([
        added,
        new Promise<never>((_, reject) =>
          setTimeout(() => reject(new Error('Redis did not answer')), DISPATCH_TIMEOUT_MS).unref(),
        ),
      ]);
      return true;
    } catch (error) {
      this.logger.warn(
        `job ${job.id} not dispatched yet: ${error instanceof Error ? error.message : String(error)}`,
      );
      return false;
    }
  }

  /** Best effort: drops a run that has not started (a cancelled queued job). */
  async withdraw(job: Pick<JobEntity, 'id' | 'run' | 'type'>): Promise<void> {
    const queue = this.queues.queue(this.catalogue.get(job.type).queue);
    await queue.remove(JobDispatcher.bullJobId(job)).catch(() => undefined);
  }
}
