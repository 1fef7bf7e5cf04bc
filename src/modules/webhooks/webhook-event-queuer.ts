import { Injectable, Logger, type OnApplicationShutdown } from '@nestjs/common';
import { JobsService } from '../jobs/jobs.service';
import { WebhookEventsRepository } from './webhook-events.repository';
import { WEBHOOK_EVENT_JOB } from './webhook-jobs';

/** A stored event that still needs its job. */
export interface UnqueuedEvent {
  id: string;
  tenantId: string;
  sourceId: string;
  requestId: string | null;
}

/** Events queued per round trip at most. */
const MAX_BATCH = 500;

/**
 * Gives stored events their jobs, many at a time: the intake answers once its event is stored,
 * and every event stored meanwhile joins the next batch (one job insert, one queue round trip,
 * one update). What a batch fails to queue stays without a job for WebhookEventSweeper.
 */
@Injectable()
export class WebhookEventQueuer implements OnApplicationShutdown {
  private readonly logger = new Logger(WebhookEventQueuer.name);
  private pending: UnqueuedEvent[] = [];
  private draining: Promise<void> | null = null;

  constructor(
    private readonly events: WebhookEventsRepository,
    private readonly jobs: JobsService,
  ) {}

  /** Queues the event with the next batch; never throws. */
  queueSoon(event: UnqueuedEvent): void {
    this.pending.push(event);
    this.draining ??= this.drain();
  }

  /** Queues these events now, in batches; a failure is thrown to the caller. */
  async queue(events: readonly UnqueuedEvent[]): Promise<void> {
    for (let start = 0; start < events.length; start += MAX_BATCH) {
      const batch = events.slice(start, start + MAX_BATCH);
      const jobIds = await this.jobs.enqueueMany(
        WEBHOOK_EVENT_JOB,
        batch.map((event) => ({
          tenantId: event.tenantId,
          payload: { eventId: event.id },
          options: { createdBy: `webhook:${event.sourceId}`, requestId: event.requestId },
        })),
      );
      await this.events.attachJobs(batch.map((event, n) => ({ id: event.id, jobId: jobIds[n] })));
    }
  }

  /** Waits for the batch in flight, so a stopping process leaves as little as it can to the sweeper. */
  async onApplicationShutdown(): Promise<void> {
    await this.draining;
  }

  private async drain(): Promise<void> {
    // One turn of the event loop lets the deliveries arriving together join one batch.
    await new Promise((resolve) => setImmediate(resolve));
    while (this.pending.length > 0) {
      const batch = this.pending.splice(0, MAX_BATCH);
      await this.queue(batch).catch((error: unknown) =>
        this.logger.warn(
          `${batch.length} webhook events left for the sweeper: ${error instanceof Error ? error.message : String(error)}`,
        ),
      );
    }
    this.draining = null;
  }
}
