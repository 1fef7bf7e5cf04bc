import { Injectable } from '@nestjs/common';
import type { VendorCall } from '../../domain/vendor-call';
import { AuditService } from '../audit/audit.service';
import type { WebhookEventError } from './webhook-event.entity';

/** The facts of one event every audit record of it carries. */
export interface AuditedEvent {
  id: string;
  sourceId: string;
  tenantId: string;
  webhookId: string;
  requestId: string | null;
}

export interface EventAuditFields {
  action: string;
  resource: { type: string; id: string | null };
  /** The event's data; the audit log redacts secret-named fields. */
  request?: unknown;
  error?: WebhookEventError;
  jobId?: string | null;
  provider?: string | null;
  vendorCalls?: VendorCall[];
}

/** Writes an event's audit record with the actor `{type: "webhook", id: sourceId}`. */
@Injectable()
export class WebhookEventAuditor {
  constructor(private readonly audit: AuditService) {}

  async record(event: AuditedEvent, fields: EventAuditFields): Promise<void> {
    await this.audit.record({
      actor: { type: 'webhook', id: event.sourceId },
      tenantId: event.tenantId,
      action: fields.action,
      resource: fields.resource,
      outcome: fields.error ? 'failure' : 'success',
      requestId: event.requestId,
      jobId: fields.jobId ?? null,
      provider: fields.provider ?? null,
      vendorCalls: fields.vendorCalls ?? [],
      detail: {
        webhookEventId: event.id,
        webhookId: event.webhookId,
        ...(fields.request !== undefined ? { request: fields.request } : {}),
        ...(fields.error ? { error: fields.error } : {}),
      },
    });
  }
}
