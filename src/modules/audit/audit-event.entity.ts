import { Column, Entity, PrimaryColumn } from 'typeorm';
import type { VendorCall } from '../../domain/vendor-call';

export type ActorType = 'api-key' | 'webhook' | 'job' | 'system';

/** Append-only: the database refuses UPDATE, DELETE and TRUNCATE on this table. */
@Entity({ name: 'audit_events' })
export class AuditEventEntity {
  @PrimaryColumn({ type: 'bigint', insert: false, update: false })
  id: string;

  @Column({ name: 'occurred_at', type: 'timestamptz', insert: false })
  occurredAt: Date;

  @Column({ name: 'actor_type', type: 'text' })
  actorType: ActorType;

  @Column({ name: 'actor_id', type: 'text' })
  actorId: string;

  @Column({ name: 'tenant_id', type: 'text', nullable: true })
  tenantId: string | null;

  @Column('text')
  action: string;

  @Column({ name: 'resource_type', type: 'text' })
  resourceType: string;

  @Column({ name: 'resource_id', type: 'text', nullable: true })
  resourceId: string | null;

  @Column('text')
  outcome: 'success' | 'failure';

  @Column({ name: 'request_id', type: 'text', nullable: true })
  requestId: string | null;

  @Column({ name: 'job_id', type: 'text', nullable: true })
  jobId: string | null;

  @Column({ type: 'text', nullable: true })
  provider: string | null;

  @Column({ name: 'vendor_calls', type: 'jsonb' })
  vendorCalls: VendorCall[];

  @Column('jsonb')
  detail: Record<string, unknown>;
}
