import { Column, Entity, PrimaryColumn } from 'typeorm';

@Entity({ name: 'idempotency_keys' })
export class IdempotencyRecordEntity {
  /** The API key (or admin) that sent the request: keys are scoped per caller, as Stripe does. */
  @PrimaryColumn({ name: 'owner_id', type: 'text' })
  ownerId: string;

  @PrimaryColumn('text')
  key: string;

  /** SHA-256 of method, path and body. */
  @Column({ name: 'request_hash', type: 'text' })
  requestHash: string;

  @Column('text')
  state: 'in_progress' | 'completed';

  @Column({ name: 'status_code', type: 'integer', nullable: true })
  statusCode: number | null;

  @Column({ name: 'response_headers', type: 'jsonb', nullable: true })
  responseHeaders: Record<string, string> | null;

  @Column({ name: 'response_body', type: 'text', nullable: true })
  responseBody: string | null;

  @Column({ name: 'locked_at', type: 'timestamptz' })
  lockedAt: Date;

  @Column({ name: 'created_at', type: 'timestamptz', insert: false })
  createdAt: Date;

  @Column({ name: 'expires_at', type: 'timestamptz' })
  expiresAt: Date;
}
