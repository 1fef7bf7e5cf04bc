import { Column, Entity, PrimaryColumn } from 'typeorm';

export const JOB_STATES = [
  'queued',
  'running',
  'succeeded',
  'failed',
  'partially_failed',
  'cancelled',
] as const;
export type JobState = (typeof JOB_STATES)[number];
export const FINISHED_STATES: readonly JobState[] = ['succeeded', 'failed', 'partially_failed', 'cancelled'];

export const ITEM_STATES = ['pending', 'running', 'succeeded', 'failed', 'cancelled'] as const;
export type ItemState = (typeof ITEM_STATES)[number];

export interface JobErrorRecord {
  code: string;
  detail: string;
}

/** The record of truth of one job: Redis only carries `{jobId}` to a worker. */
@Entity({ name: 'jobs' })
export class JobEntity {
  @PrimaryColumn('uuid')
  id: string;

  @Column('text')
  type: string;

  @Column({ name: 'tenant_id', type: 'text', nullable: true })
  tenantId: string | null;

  @Column('text')
  state: JobState;

  @Column('jsonb')
  payload: Record<string, unknown>;

  @Column('integer')
  total: number;

  @Column('integer')
  done: number;

  @Column('integer')
  succeeded: number;

  @Column('integer')
  failed: number;

  @Column({ name: 'progress_percent', type: 'smallint', nullable: true })
  progressPercent: number | null;

  @Column({ name: 'progress_message', type: 'text', nullable: true })
  progressMessage: string | null;

  @Column({ type: 'jsonb', nullable: true })
  checkpoint: Record<string, unknown> | null;

  @Column({ type: 'jsonb', nullable: true })
  result: Record<string, unknown> | null;

  /** Reported by a running batch job: items in flight, rate, waiting for the vendor. */
  @Column({ type: 'jsonb', nullable: true })
  stats: { running: number; ratePerSecond: number; waitingUntil: string | null } | null;

  @Column({ type: 'jsonb', nullable: true })
  error: JobErrorRecord | null;

  /** Bumped by each retry; the BullMQ job id is `<id>_<run>`. */
  @Column('integer')
  run: number;

  /** How many times a worker picked the job up (redeliveries after crashes included). */
  @Column('integer')
  deliveries: number;

  @Column({ name: 'created_by', type: 'text' })
  createdBy: string;

  @Column({ name: 'request_id', type: 'text', nullable: true })
  requestId: string | null;

  @Column({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @Column({ name: 'started_at', type: 'timestamptz', nullable: true })
  startedAt: Date | null;

  @Column({ name: 'finished_at', type: 'timestamptz', nullable: true })
  finishedAt: Date | null;

  @Column({ name: 'cancel_requested_at', type: 'timestamptz', nullable: true })
  cancelRequestedAt: Date | null;

  @Column({ name: 'heartbeat_at', type: 'timestamptz', nullable: true })
  heartbeatAt: Date | null;

  @Column({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;
}

/** One unit of work of a job (a migrated user, a verified store), checkpointed on its own. */
@Entity({ name: 'job_items' })
export class JobItemEntity {
  @PrimaryColumn({ name: 'job_id', type: 'uuid' })
  jobId: string;

  @PrimaryColumn('integer')
  seq: number;

  @Column('text')
  key: string;

  @Column('text')
  state: ItemState;

  @Column('integer')
  attempts: number;

  @Column({ type: 'jsonb', nullable: true })
  input: Record<string, unknown> | null;

  @Column({ type: 'text', nullable: true })
  code: string | null;

  @Column({ type: 'text', nullable: true })
  detail: string | null;

  @Column({ type: 'jsonb', nullable: true })
  result: Record<string, unknown> | null;

  @Column({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;
}
