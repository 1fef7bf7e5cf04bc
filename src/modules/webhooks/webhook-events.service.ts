import { Injectable } from '@nestjs/common';
import { GatewayError } from '../../domain/errors';
import type { Page } from '../../domain/model';
import type { Principal } from '../../common/auth/principal';
import type { WebhookEventEntity } from './webhook-event.entity';
import type { WebhookEventView } from './webhook-events.dto';
import { type WebhookEventFilter, WebhookEventsRepository } from './webhook-events.repository';
import { WebhookSourcesService } from './webhook-sources.service';

/** The events API: what each source delivered and how it ended, per tenant. */
@Injectable()
export class WebhookEventsService {
  constructor(
    private readonly events: WebhookEventsRepository,
    private readonly sources: WebhookSourcesService,
  ) {}

  async list(
    principal: Principal,
    filter: Omit<WebhookEventFilter, 'tenantId'>,
  ): Promise<Page<WebhookEventView>> {
    // Another tenant's source is not found, exactly as on GET /v1/webhook-sources/{id}.
    if (filter.sourceId) await this.sources.visible(principal, filter.sourceId);
    const page = await this.events.list({ ...filter, tenantId: principal.tenantId ?? undefined });
    return { data: page.data.map(toEventView), nextCursor: page.nextCursor };
  }

  async get(principal: Principal, id: string): Promise<WebhookEventView> {
    const event = await this.events.find(id);
    if (!event || (principal.tenantId && event.tenantId !== principal.tenantId))
      throw GatewayError.notFound(`Webhook event "${id}"`);
    return toEventView(event);
  }
}

export function toEventView(e: WebhookEventEntity): WebhookEventView {
  return {
    id: e.id,
    sourceId: e.sourceId,
    tenantId: e.tenantId,
    webhookId: e.webhookId,
    type: e.type,
    status: e.status,
    data: e.data,
    result: e.result,
    error: e.error,
    jobId: e.jobId,
    attempts: e.attempts,
    receivedAt: e.receivedAt.toISOString(),
    finishedAt: e.finishedAt?.toISOString() ?? null,
  };
}
