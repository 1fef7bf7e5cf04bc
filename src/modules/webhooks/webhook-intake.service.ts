import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { parseBoundedJson } from '../../common/http/bounded-json';
import { RequestValidationPipe } from '../../common/http/request-validation.pipe';
import { GatewayError } from '../../domain/errors';
import { WebhookCipher } from './webhook-cipher';
import { WebhookEnvelopeDto } from './webhook-event-data.dto';
import { WebhookEventActions, type ValidatedEvent } from './webhook-event-actions.service';
import { type AuditedEvent, WebhookEventAuditor } from './webhook-event-auditor';
import type { WebhookIntakeView } from './webhook-events.dto';
import { WebhookEventsRepository } from './webhook-events.repository';
import { WebhookEventQueuer } from './webhook-event-queuer';
import { webhookHeaders } from './webhook-signature';
import { WebhookSourcesService } from './webhook-sources.service';

export interface IntakeAnswer {
  statusCode: 200 | 202;
  body: WebhookIntakeView;
}

const validation = new RequestValidationPipe();

/**
 * `POST /v1/webhooks/{sourceId}`: verify the signature over the bytes as sent, store the event
 * once per `webhook-id` (the database's unique constraint decides between concurrent copies),
 * answer, then queue it with the next batch (WebhookEventQueuer). Nothing of an unverified
 * delivery is parsed or stored.
 */
@Injectable()
export class WebhookIntakeService {
  constructor(
    private readonly sources: WebhookSourcesService,
    private readonly events: WebhookEventsRepository,
    private readonly actions: WebhookEventActions,
    private readonly cipher: WebhookCipher,
    private readonly queuer: WebhookEventQueuer,
    private readonly auditor: WebhookEventAuditor,
  ) {}

  async accept(
    sourceId: string,
    headerValues: Record<string, string | string[] | undefined>,
    raw: Buffer,
    requestId: string,
  ): Promise<IntakeAnswer> {
    const source = await this.sources.forIntake(sourceId);
    const headers = webhookHeaders(headerValues);
    source.verifier.verify(raw, headers);
    // Verified bytes, parsed with the bounds every JSON body has; not JSON at all is a 400.
    let body: unknown = null;
    const stored: AuditedEvent = {
      id: randomUUID(),
      sourceId,
      tenantId: source.tenantId,
      webhookId: headers.id,
      requestId,
    };

    let event: ValidatedEvent;
    try {
      body = parseBoundedJson(raw);
      const envelope = (await validation.transform(body, {
        type: 'body',
        metatype: WebhookEnvelopeDto,
      })) as WebhookEnvelopeDto;
      event = await this.actions.validate(envelope.type, envelope.data);
    } catch (error) {
      if (error instanceof GatewayError && error.code === 'validation_failed')
        return this.refuse(stored, body, error);
      throw error;
    }

    const inserted = await this.events.insertOnce({
      ...stored,
      type: event.type,
      payloadCiphertext: this.cipher.sealPayload(event.data, stored.id),
      data: event.shown,
    });
    if (!inserted) return this.repeat(sourceId, headers.id);
    // Stored: the answer can go. The job follows in the next batch (or from the sweeper).
    this.queuer.queueSoon({ id: stored.id, tenantId: source.tenantId, sourceId, requestId });
    return { statusCode: 202, body: { eventId: stored.id, status: 'received' } };
  }

  /** A signed event that fails validation is stored as `failed` with the reason, then refused. */
  private async refuse(stored: AuditedEvent, body: unknown, error: GatewayError): Promise<IntakeAnswer> {
    const claimed = (body as { type?: unknown } | null)?.type;
    const type = typeof claimed === 'string' ? claimed.slice(0, 100) : '';
    const reason = { code: error.code, detail: error.detail, errors: error.errors };
    const inserted = await this.events.insertOnce({
      ...stored,
      type,
      payloadCiphertext: null,
      data: null,
      error: reason,
    });
    if (!inserted) return this.repeat(stored.sourceId, stored.webhookId);
    await this.auditor.record(stored, {
      action: this.actions.auditActionOf(type)?.action ?? 'webhook_event.rejected',
      resource: { type: 'webhook_event', id: stored.id },
      request: body,
      error: reason,
    });
    throw new GatewayError('validation_failed', `${error.detail} (stored as failed event ${stored.id})`, {
      errors: error.errors,
    });
  }

  /** A repeated `webhook-id`: the first delivery's event, run once, answered again. */
  private async repeat(sourceId: string, webhookId: string): Promise<IntakeAnswer> {
    const first = await this.events.findByWebhookId(sourceId, webhookId);
    if (!first) throw new GatewayError('internal', `Event ${webhookId} of source ${sourceId} vanished.`);
    return {
      statusCode: 200,
      body: { eventId: first.id, status: first.status, result: first.result, error: first.error },
    };
  }
}
