import { Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { WebhookEventQueuer } from './webhook-event-queuer';
import { WebhookEventsRepository } from './webhook-events.repository';

/** An event this old without a job lost its queueing (the intake answers within seconds). */
const UNQUEUED_AFTER_MS = 60_000;
const SWEEP_INTERVAL_MS = 30_000;
const SWEEP_BATCH = 100;

/**
 * Queues stored events that have no job: the process died between storing the event and
 * queueing it. Runs at start and every 30 s. Two sweepers queueing the same event are harmless:
 * the event records the first job, and the processor's claim skips any other.
 */
@Injectable()
export class WebhookEventSweeper implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(WebhookEventSweeper.name);
  private timer?: NodeJS.Timeout;

  constructor(
    private readonly events: WebhookEventsRepository,
    private readonly queuer: WebhookEventQueuer,
  ) {}

  onApplicationBootstrap(): void {
    void this.sweep();
    this.timer = setInterval(() => void this.sweep(), SWEEP_INTERVAL_MS);
    this.timer.unref();
  }

  onApplicationShutdown(): void {
    if (this.timer) clearInterval(this.timer);
  }

  /** Queues up to one batch of unqueued events older than `olderThanMs`; returns how many. */
  async sweep(olderThanMs = UNQUEUED_AFTER_MS): Promise<number> {
    try {
      const stranded = await this.events.unqueued(olderThanMs, SWEEP_BATCH);
      await this.queuer.queue(stranded);
      if (stranded.length) this.logger.warn(`queued ${stranded.length} webhook events that had no job`);
      return stranded.length;
    } catch (error) {
      this.logger.warn(
        `webhook event sweep failed: ${error instanceof Error ? error.message : String(error)}`,
      );
      return 0;
    }
  }
}
