import { defineJob, type JobDefinition } from '../../jobs/job-definition';
import { WEBHOOK_EVENT_ATTEMPTS, WebhookEventProcessor } from './webhook-event.processor';

export const WEBHOOK_EVENT_JOB = 'webhook.event';

declare module '../../jobs/job-payloads' {
  interface JobPayloads {
    'webhook.event': { eventId: string };
  }
}

/**
 * The webhooks feature's job type, declared to the engine by WebhooksModule: one job per
 * accepted event; a retryable vendor failure is tried again after about 2, 4, 8, 16 and 32 s.
 */
export const WEBHOOK_JOB_TYPES: readonly JobDefinition[] = [
  defineJob({
    type: WEBHOOK_EVENT_JOB,
    queue: 'webhook-events',
    processor: WebhookEventProcessor,
    // Each event is one or two short vendor calls; the vendor client caps calls per connection.
    concurrency: 16,
    itemConcurrency: 1,
    perConnectionLimit: 1,
    connectionKey: () => null,
    retry: { attempts: WEBHOOK_EVENT_ATTEMPTS, backoffMs: 2000, itemAttempts: 1 },
  }),
];
