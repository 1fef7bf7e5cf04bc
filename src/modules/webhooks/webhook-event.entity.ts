import { Column, Entity, PrimaryColumn } from 'typeorm';

export const WEBHOOK_EVENT_STATUSES = ['received', 'processed', 'failed'] as const;
export type WebhookEventStatus = (typeof WEBHOOK_EVENT_STATUSES)[number];

export interface WebhookEventError {
  code: string;
  detail: string;
  errors?: { field: string; message: string }[];
}

/** One signed delivery, recorded before it is answered; `(sourceId, webhookId)` is unique. */
@Entity({ name: 'webhook_events' })
export class WebhookEventEntity {
  @PrimaryColumn('uuid')
  id: string;

  @Column({ name: 'source_id', type: 'text' })
  sourceId: string;

  @Column({ name: 'tenant_id', type: 'text' })
  tenantId: string;

  @Column({ name: 'webhook_id', type: 'text' })
  webhookId: string;

  @Column('text')
  type: string;

  @Column('text')
  status: WebhookEventStatus;

  /** The event's `data`, encrypted (it may hold a password); erased once the event is finished. */
  @Column({ name: 'payload_ciphertext', type: 'text', nullable: true })
  payloadCiphertext: string | null;

  /** `data` with secret-named fields redacted, for the events API. */
  @Column({ type: 'jsonb', nullable: true })
  data: Record<string, unknown> | null;

  @Column({ type: 'jsonb', nullable: true })
  result: Record<string, unknown> | null;

  @Column({ type: 'jsonb', nullable: true })
  error: WebhookEventError | null;

  @Column({ name: 'job_id', type: 'uuid', nullable: true })
  jobId: string | null;

  @Column('integer')
  attempts: number;

  @Column({ name: 'request_id', type: 'text', nullable: true })
  requestId: string | null;

  @Column({ name: 'received_at', type: 'timestamptz', insert: false, update: false })
  receivedAt: Date;

  @Column({ name: 'finished_at', type: 'timestamptz', nullable: true })
  finishedAt: Date | null;
}
