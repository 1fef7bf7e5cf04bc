import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import type { Repository } from 'typeorm';
import { keysetPage } from '../../common/pagination/keyset';
import { redact } from '../../domain/redaction';
import type { VendorCall } from '../../domain/vendor-call';
import type { Page } from '../../domain/model';
import { AuditEventEntity, type ActorType } from './audit-event.entity';

export interface AuditRecord {
  actor: { type: ActorType; id: string };
  tenantId: string | null;
  action: string;
  resource: { type: string; id: string | null };
  outcome: 'success' | 'failure';
  requestId?: string | null;
  jobId?: string | null;
  provider?: string | null;
  vendorCalls?: VendorCall[];
  detail?: Record<string, unknown>;
}

export interface AuditEventView {
  id: string;
  occurredAt: string;
  actor: { type: ActorType; id: string };
  tenantId: string | null;
  action: string;
  resource: { type: string; id: string | null };
  outcome: 'success' | 'failure';
  requestId: string | null;
  jobId: string | null;
  provider: string | null;
  vendorCalls: VendorCall[];
  detail: Record<string, unknown>;
}

export interface AuditFilter {
  tenantId?: string;
  action?: string;
  actorId?: string;
  resourceType?: string;
  resourceId?: string;
  outcome?: 'success' | 'failure';
  from?: Date;
  to?: Date;
  limit: number;
  cursor?: string;
}

const MAX_DETAIL_BYTES = 16 * 1024;

/** Writes and reads the append-only audit log; details are redacted before they are stored. */
@Injectable()
export class AuditService {
  constructor(@InjectRepository(AuditEventEntity) private readonly events: Repository<AuditEventEntity>) {}

  async record(event: AuditRecord): Promise<void> {
    let detail = redact(event.detail ?? {}) as Record<string, unknown>;
    if (JSON.stringify(detail).length > MAX_DETAIL_BYTES)
      detail = { truncated: true, keys: Object.keys(detail) };
    await this.events.insert({
      actorType: event.actor.type,
      actorId: event.actor.id,
      tenantId: event.tenantId,
      action: event.action,
      resourceType: event.resource.type,
      resourceId: event.resource.id,
      outcome: event.outcome,
      requestId: event.requestId ?? null,
      jobId: event.jobId ?? null,
      provider: event.provider ?? null,
      vendorCalls: event.vendorCalls ?? [],
      detail: detail as AuditEventEntity['detail'] & object,
    });
  }

  async list(filter: AuditFilter): Promise<Page<AuditEventView>> {
    const qb = this.events.createQueryBuilder('e');
    const eq: [keyof AuditFilter, string][] = [
      ['tenantId', 'tenant_id'],
      ['action', 'action'],
      ['actorId', 'actor_id'],
      ['resourceType', 'resource_type'],
      ['resourceId', 'resource_id'],
      ['outcome', 'outcome'],
    ];
    for (const [field, column] of eq) {
      if (filter[field] !== undefined) qb.andWhere(`e.${column} = :${field}`, { [field]: filter[field] });
    }
    if (filter.from) qb.andWhere('e.occurred_at >= :from', { from: filter.from });
    if (filter.to) qb.andWhere('e.occurred_at < :to', { to: filter.to });
    const page = await keysetPage(qb, {
      table: 'audit_events',
      alias: 'e',
      orderColumn: 'occurred_at',
      direction: 'DESC',
      limit: filter.limit,
      cursor: filter.cursor,
      idOf: (row) => row.id,
      // At most 18 digits: a 19-digit id can exceed bigint, which Postgres refuses with an error (a 500).
      idPattern: /^\d{1,18}$/,
    });
    return { data: page.data.map(toView), nextCursor: page.nextCursor };
  }
}

function toView(e: AuditEventEntity): AuditEventView {
  return {
    id: e.id,
    occurredAt: e.occurredAt.toISOString(),
    actor: { type: e.actorType, id: e.actorId },
    tenantId: e.tenantId,
    action: e.action,
    resource: { type: e.resourceType, id: e.resourceId },
    outcome: e.outcome,
    requestId: e.requestId,
    jobId: e.jobId,
    provider: e.provider,
    vendorCalls: e.vendorCalls,
    detail: e.detail,
  };
}
