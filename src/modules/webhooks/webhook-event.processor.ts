import { Injectable } from '@nestjs/common';
import type { RequestMeta } from '../../common/http/request-meta';
import { GatewayError } from '../../domain/errors';
import { VendorCallLog } from '../../domain/vendor-call';
import type { OperationExecution, OperationOutcome, OperationProcessor } from '../../jobs/job-definition';
import { isTransient, toErrorRecord } from '../../jobs/job-errors';
import { WebhookCipher } from './webhook-cipher';
import { WebhookEventActions } from './webhook-event-actions.service';
import { WebhookEventAuditor } from './webhook-event-auditor';
import type { WebhookEventError } from './webhook-event.entity';
import { WebhookEventsRepository } from './webhook-events.repository';

type Payload = { eventId: string };

/** Tries of one event, the first included; the job type's BullMQ attempts. */
export const WEBHOOK_EVENT_ATTEMPTS = 6;

/**
 * Runs one stored event through the REST API's services, as its source (principal type
 * `webhook`), and ends it `processed` with the result or `failed` with the neutral code. A
 * retryable failure is rethrown so the engine tries again with backoff, until the last try.
 */
@Injectable()
export class WebhookEventProcessor implements OperationProcessor<Payload> {
  readonly kind = 'operation';

  constructor(
    private readonly events: WebhookEventsRepository,
    private readonly actions: WebhookEventActions,
    private readonly cipher: WebhookCipher,
    private readonly auditor: WebhookEventAuditor,
  ) {}

  async run(exec: OperationExecution<Payload>): Promise<OperationOutcome> {
    const eventId = exec.job.payload.eventId;
    const event = await this.events.claim(eventId, exec.job.id);
    // Finished already (a redelivery after the end was recorded), or another job's.
    if (!event) return { result: { eventId, skipped: true } };

    const meta: RequestMeta & { signal: AbortSignal } = {
      requestId: event.requestId ?? `webhook:${event.id}`,
      principal: { type: 'webhook', id: `webhook:${event.sourceId}`, tenantId: event.tenantId, scopes: [] },
      vendorCalls: new VendorCallLog(),
      signal: exec.signal,
    };
    const audited: { action: string; resource: { type: string; id: string | null } } = {
      action: 'webhook_event.processed',
      resource: { type: 'webhook_event', id: event.id },
    };
    let request: unknown;
    try {
      if (!event.payloadCiphertext) throw new GatewayError('internal', 'The event has no stored payload.');
      const validated = await this.actions.validate(
        event.type,
        this.cipher.openPayload(event.payloadCiphertext, event.id),
      );
      audited.action = validated.action;
      audited.resource = { type: validated.resourceType, id: validated.resourceId };
      request = validated.shown;
      const { result, resourceId } = await this.actions.run(meta, event.tenantId, validated);
      audited.resource = { type: validated.resourceType, id: resourceId };
      if (await this.events.finish(event.id, { status: 'processed', result })) {
        await this.auditor.record(event, {
          ...audited,
          request,
          jobId: exec.job.id,
          provider: meta.provider,
          vendorCalls: meta.vendorCalls.calls,
        });
      }
      return { result: { eventId: event.id, status: 'processed' } };
    } catch (error) {
      if (exec.stopReason) throw error;
      const failure = errorOf(error);
      await this.auditor.record(event, {
        ...audited,
        request,
        error: failure,
        jobId: exec.job.id,
        provider: meta.provider ?? (error instanceof GatewayError ? error.provider : null),
        vendorCalls: meta.vendorCalls.calls,
      });
      if (isTransient(error) && exec.job.delivery < WEBHOOK_EVENT_ATTEMPTS) {
        await this.events.noteError(event.id, failure);
        throw error;
      }
      await this.events.finish(event.id, { status: 'failed', error: failure });
      return { error: { code: failure.code, detail: failure.detail } };
    }
  }
}

function errorOf(error: unknown): WebhookEventError {
  const record = toErrorRecord(error);
  const errors = error instanceof GatewayError ? error.errors : undefined;
  return errors?.length ? { ...record, errors } : record;
}
