import type { Type } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { VendorCall } from '../domain/vendor-call';
import type { AuditRecord } from '../modules/audit/audit.service';
import type { CallOrigin } from '../modules/tenants/call-context.factory';
import type { JobPayloads, JobType } from './job-payloads';

/** How a job type retries: whole deliveries (BullMQ attempts) and single items in place. */
export interface RetryPolicy {
  /** Deliveries of the whole job before it fails (transient errors only). */
  attempts: number;
  /** First backoff delay; it doubles per attempt. */
  backoffMs: number;
  /** Tries per item for transient errors before the item is recorded as failed. */
  itemAttempts: number;
}

/** The job a processor works on, as read from Postgres. */
export interface JobRef<P> {
  id: string;
  type: string;
  tenantId: string | null;
  payload: P;
  requestId: string | null;
  /** 1 for the first delivery of this run; higher after a crash or a transient failure. */
  delivery: number;
}

/** Why a running job is asked to stop: a cancel request or a worker shutting down. */
export type StopReason = 'cancel' | 'shutdown';

/** What every processor gets: the job, a stop signal, audit and vendor-call plumbing. */
export interface JobExecution<P> {
  readonly job: JobRef<P>;
  /** Aborted when the job is cancelled or the worker shuts down; `stopReason` says which. */
  readonly signal: AbortSignal;
  readonly stopReason: StopReason | null;
  /** Throws JobStoppedError once the job was asked to stop. */
  throwIfStopped(): void;
  /** A CallOrigin for CallContextFactory; its vendor calls go to the next `audit()` of the same origin. */
  callOrigin(): CallOrigin & { vendorCalls: { calls: VendorCall[] } };
  /** Writes an audit event as this job (actor `job`, jobId, tenant and request id filled in). */
  audit(event: Omit<AuditRecord, 'actor' | 'tenantId' | 'jobId' | 'requestId'>): Promise<void>;
}

/** A long single operation (e.g. a vendor verification polled through a token). */
export interface OperationExecution<P> extends JobExecution<P> {
  /** The state saved by the last `saveCheckpoint` (from an earlier delivery too), or null. */
  readonly checkpoint: Record<string, unknown> | null;
  /** Persists the operation's resumable state (a vendor token, a status version). */
  saveCheckpoint(state: Record<string, unknown>): Promise<void>;
  /** Mirrors progress into the job (and so into SSE); percent is clamped to 0–100. */
  reportProgress(progress: { percent?: number | null; message?: string | null }): Promise<void>;
}

/** What a finished operation leaves on the job. */
export interface OperationOutcome {
  /** Stored as the job's result (also for a failure, e.g. the problems found). */
  result?: Record<string, unknown> | null;
  /** Set for a failed operation: the job ends `failed` with this error. */
  error?: { code: string; detail: string };
}

export interface OperationProcessor<P> {
  readonly kind: 'operation';
  /**
   * Runs (or resumes from `exec.checkpoint`) the operation. Thrown errors: transient ones
   * retry the delivery with backoff, UnrecoverableError and other GatewayErrors fail the job.
   * When `exec.signal` aborts, checkpoint or clean up (e.g. cancel at the vendor) and throw.
   */
  run(exec: OperationExecution<P>): Promise<OperationOutcome>;
}

/** One item as a processor sees it. */
export interface JobItemRef {
  seq: number;
  key: string;
  input: Record<string, unknown> | null;
  /** Tries of this item so far, this one included. */
  attempts: number;
}

/** The outcome of one item; `record` runs in the same transaction that marks the item done. */
export interface ItemOutcome {
  state: 'succeeded' | 'failed';
  code?: string;
  detail?: string;
  result?: Record<string, unknown> | null;
  /** Bookkeeping of the item's side effect, committed atomically with its checkpoint. */
  record?: (tx: EntityManager) => Promise<void>;
}

export interface ItemsSummary {
  total: number;
  succeeded: number;
  failed: number;
}

export interface ItemsProcessor<P> {
  readonly kind: 'items';
  /**
   * Does one item. Delivery is at least once: a crash between the side effect and the
   * checkpoint repeats the item, so the side effect must be safe to repeat (or recorded via
   * `record`). Throwing a transient error retries the item in place; a GatewayError of any
   * other code fails the item; UnrecoverableError fails the whole job.
   */
  processItem(exec: JobExecution<P>, item: JobItemRef): Promise<ItemOutcome>;
  /** The job's result once every item is done. */
  summarize?(exec: JobExecution<P>, summary: ItemsSummary): Promise<Record<string, unknown> | null>;
}

export type JobProcessor<P> = OperationProcessor<P> | ItemsProcessor<P>;

/** One entry of the job catalogue. */
export interface JobDefinition<P = unknown> {
  type: string;
  /** BullMQ queue (kebab-case); several types may share one. */
  queue: string;
  /** A Nest provider registered by the module that owns the processor. */
  processor: Type<JobProcessor<P>>;
  /** Jobs of this type one worker process runs at once. */
  concurrency: number;
  /** Items of one job processed at once (items processors only). */
  itemConcurrency: number;
  /** Jobs (of any type) running at once against one connection, across all workers. */
  perConnectionLimit: number;
  /** The connection a job talks to, for `perConnectionLimit`; null when it talks to none. */
  connectionKey(job: { tenantId: string | null; payload: P }): string | null;
  retry: RetryPolicy;
}

/** Declares a catalogue entry with its payload type checked against JobPayloads. */
export function defineJob<T extends JobType>(
  definition: JobDefinition<JobPayloads[T]> & { type: T },
): JobDefinition {
  return definition as unknown as JobDefinition;
}

export const DEFAULT_RETRY: RetryPolicy = { attempts: 5, backoffMs: 2000, itemAttempts: 3 };
