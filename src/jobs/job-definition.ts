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

/** One verdict of a finished operation, kept as a job item (e.g. one store of a verification). */
export interface OperationItem {
  key: string;
  state: 'succeeded' | 'failed';
  code?: string;
  detail?: string;
  result?: Record<string, unknown> | null;
}

/** What a finished operation leaves on the job. */
export interface OperationOutcome {
  /** Stored as the job's result (also for a failure, e.g. the problems found). */
  result?: Record<string, unknown> | null;
  /**
   * The operation's verdicts as the job's items: any failed one makes the job end
   * `partially_failed`, so a dashboard filtering on state sees it.
   */
  items?: OperationItem[];
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

/**
 * A batch item that goes back to `pending` for a later try: the vendor could not take it now
 * (down, busy, rate limited). Only a try the vendor answered for this very item (e.g. a
 * per-user "unexpected error" in a bulk answer) counts towards `retry.itemAttempts`, after
 * which the item fails with `error`; a vendor that is down or refuses whole calls never fails
 * an item, the job waits for it.
 */
export interface ItemGivenBack {
  state: 'pending';
  error: unknown;
  /** True when the vendor answered for this item and said "try again"; false for the vendor's own trouble. */
  countsAsTry: boolean;
}

/** A batch item's outcome; bookkeeping goes in the batch's `record`, not per item. */
export type BatchItemOutcome = Omit<ItemOutcome, 'record'> | ItemGivenBack;

/** What a batch processor reports for one batch. */
export interface BatchOutcome {
  /** One outcome per item of the batch, in the batch's order. */
  items: BatchItemOutcome[];
  /**
   * Bookkeeping committed in the transaction that checkpoints the batch's finished items,
   * given their seqs (e.g. erasing the secrets those items no longer need).
   */
  record?: (tx: EntityManager, finishedSeqs: number[]) => Promise<void>;
}

/** How one delivery of a batch job cuts and runs its items. */
export interface BatchPlan {
  /** Items per batch (each batch is claimed and checkpointed in one transaction each). */
  size: number;
  /** Batches of this job in flight at once. */
  concurrency: number;
}

export interface BatchProcessor<P> {
  readonly kind: 'batch';
  /** Decided once per delivery (e.g. from the job's options and the connection's limits). */
  plan(exec: JobExecution<P>): Promise<BatchPlan>;
  /**
   * Does one batch. The engine marks its items `running` (and counts a try) before the call,
   * so a processor seeing `attempts > 1` knows an earlier try may have reached the vendor.
   * An item given back (`state: 'pending'`) is tried again later; when a given-back error
   * carries `retryAfterSeconds` (an open circuit, a 429) every lane of the job waits that long,
   * and while whole batches keep coming back for the vendor's trouble the job backs off
   * (exponentially, up to 10 s between tries): a vendor outage is a pause.
   * A thrown transient error gives every item back (not a counted try), another GatewayError fails
   * every item with it, UnrecoverableError fails the whole job and leaves the batch pending
   * (its `cause`, when a GatewayError, becomes the job's error).
   */
  processBatch(exec: JobExecution<P>, items: JobItemRef[]): Promise<BatchOutcome>;
  /** The job's result once every item is done. */
  summarize?(exec: JobExecution<P>, summary: ItemsSummary): Promise<Record<string, unknown> | null>;
}

export type JobProcessor<P> = OperationProcessor<P> | ItemsProcessor<P> | BatchProcessor<P>;

/** One entry of the job catalogue. */
export interface JobDefinition<P = unknown> {
  type: string;
  /** BullMQ queue (kebab-case); several types may share one. */
  queue: string;
  /** A Nest provider registered by the module that owns the processor. */
  processor: Type<JobProcessor<P>>;
  /** Jobs of this type one worker process runs at once. */
  concurrency: number;
  /** Items of one job processed at once (items processors only; batch processors plan their own). */
  itemConcurrency: number;
  /** Jobs (of any type) running at once against one connection, across all workers. */
  perConnectionLimit: number;
  /** The connection a job talks to, for `perConnectionLimit`; null when it talks to none. */
  connectionKey(job: { tenantId: string | null; payload: P }): string | null;
  retry: RetryPolicy;
  /**
   * Codes of failed items that `POST /v1/jobs/{id}/retry` runs again; failed items with other
   * codes stay failed. Unset: every failed item is retried.
   */
  retryableItemCodes?: readonly string[];
}

/** Declares a catalogue entry with its payload type checked against JobPayloads. */
export function defineJob<T extends JobType>(
  definition: JobDefinition<JobPayloads[T]> & { type: T },
): JobDefinition {
  return definition as unknown as JobDefinition;
}

export const DEFAULT_RETRY: RetryPolicy = { attempts: 5, backoffMs: 2000, itemAttempts: 3 };
