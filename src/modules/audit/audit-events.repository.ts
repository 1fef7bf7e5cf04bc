import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, Repository } from 'typeorm';
import type { QueryDeepPartialEntity } from 'typeorm/query-builder/QueryPartialEntity';
import { keysetPage } from '../../common/pagination/keyset';
import type { Page } from '../../domain/model';
import { AuditEventEntity } from './audit-event.entity';

/** An event as stored, but for its tenant (passed on its own), its id and its time (the database's). */
export type NewAuditEvent = Omit<AuditEventEntity, 'id' | 'occurredAt' | 'tenantId'>;

export interface AuditEventQuery {
  action?: string;
  actorId?: string;
  resourceType?: string;
  resourceId?: string;
  outcome?: 'success' | 'failure';
  requestId?: string;
  /** Events at or after this time. */
  from?: Date;
  /** Events before this time. */
  to?: Date;
  limit: number;
  cursor?: string;
}

const EQUAL_FILTERS: [Exclude<keyof AuditEventQuery, 'from' | 'to' | 'limit' | 'cursor'>, string][] = [
  ['action', 'action'],
  ['actorId', 'actor_id'],
  ['resourceType', 'resource_type'],
  ['resourceId', 'resource_id'],
  ['outcome', 'outcome'],
  ['requestId', 'request_id'],
];

/** The append-only audit_events table: inserts and filtered reads, nothing else. */
@Injectable()
export class AuditEventsRepository {
  private readonly events: Repository<AuditEventEntity>;

  constructor(@InjectDataSource() dataSource: DataSource) {
    this.events = dataSource.getRepository(AuditEventEntity);
  }

  /** Appends one event of the tenant (`null`: an event outside any tenant). */
  async insert(tenantId: string | null, event: NewAuditEvent): Promise<void> {
    await this.events.insert({ ...event, tenantId } as QueryDeepPartialEntity<AuditEventEntity>);
  }

  /** Appends several events, each of its own tenant, in one insert: all are stored or none. */
  async insertMany(events: { tenantId: string | null; event: NewAuditEvent }[]): Promise<void> {
    await this.events.insert(
      events.map(({ tenantId, event }) => ({
        ...event,
        tenantId,
      })) as QueryDeepPartialEntity<AuditEventEntity>[],
    );
  }

  /** Events of the tenant (`null`: every event), newest first. */
  async page(tenantId: string | null, query: AuditEventQuery): Promise<Page<AuditEventEntity>> {
    const qb = this.events.createQueryBuilder('e');
    if (tenantId !== null) qb.andWhere('e.tenant_id = :tenantId', { tenantId });
    for (const [field, column] of EQUAL_FILTERS) {
      if (query[field] !== undefined) qb.andWhere(`e.${column} = :${field}`, { [field]: query[field] });
    }
    if (query.from) qb.andWhere('e.occurred_at >= :from', { from: query.from });
    if (query.to) qb.andWhere('e.occurred_at < :to', { to: query.to });
    return keysetPage(qb, {
      table: 'audit_events',
      alias: 'e',
      orderColumn: 'occurred_at',
      direction: 'DESC',
      limit: query.limit,
      cursor: query.cursor,
      idOf: (row) => row.id,
      // At most 18 digits: a 19-digit id can exceed bigint, which Postgres refuses with an error (a 500).
      idPattern: /^\d{1,18}$/,
    });
  }
}
