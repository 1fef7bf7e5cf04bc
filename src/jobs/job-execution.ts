import { setMaxListeners } from 'node:events';
import { VendorCallLog } from '../domain/vendor-call';
import type { AuditRecord, AuditService } from '../modules/audit/audit.service';
import type { JobEntity } from './job.entity';
import type { JobsRepository, JobSignal } from './jobs.repository';
import type { CallOrigin } from '../modules/tenants/call-context.factory';
import type { JobRef, OperationExecution, StopReason } from './job-definition';
import { JobStoppedError } from './job-errors';

/**
 * Listeners a delivery's stop signal may hold before Node warns of a leak: each vendor call in
 * flight and each waiting lane listens (Node's default warns past 10, a migration at
 * `maxConcurrency` 16 passes that legitimately).
 */
const STOP_LISTENERS = 1024;

/** One delivery of one job to a processor: its stop signal, checkpoints, progress and audit. */
export class JobDelivery implements OperationExecution<unknown> {
  readonly job: JobRef<unknown>;
  private readonly controller = new AbortController();
  private reason: StopReason | null = null;
  private saved: Record<string, unknown> | null;

  constructor(
    record: JobEntity,
    private readonly repository: JobsRepository,
    private readonly auditService: AuditService,
  ) {
    this.job = {
      id: record.id,
      type: record.type,
      tenantId: record.tenantId,
      payload: record.payload,
      requestId: record.requestId,
      delivery: record.deliveries,
    };
    this.saved = record.checkpoint;
    setMaxListeners(STOP_LISTENERS, this.controller.signal);
  }

  get signal(): AbortSignal {
    return this.controller.signal;
  }

  get stopReason(): StopReason | null {
    return this.reason;
  }

  get checkpoint(): Record<string, unknown> | null {
    return this.saved;
  }

  /** A cancel wins over a shutdown: a cancelled job must not be resumed later. */
  stop(reason: StopReason): void {
    if (this.reason === 'cancel') return;
    this.reason = reason;
    if (!this.controller.signal.aborted) this.controller.abort(new JobStoppedError(reason));
  }

  /** Applies what a write learned about the job: a cancel request stops it. */
  observe(signal: JobSignal | null): void {
    if (signal?.cancelRequested) this.stop('cancel');
  }

  throwIfStopped(): void {
    if (this.reason) throw new JobStoppedError(this.reason);
  }

  callOrigin(): CallOrigin & { vendorCalls: VendorCallLog } {
    return {
      requestId: this.job.requestId ?? `job:${this.job.id}`,
      vendorCalls: new VendorCallLog(),
      signal: this.signal,
    };
  }

  async audit(event: Omit<AuditRecord, 'actor' | 'tenantId' | 'jobId' | 'requestId'>): Promise<void> {
    await this.auditService.record({
      ...event,
      actor: { type: 'job', id: this.job.id },
      tenantId: this.job.tenantId,
      jobId: this.job.id,
      requestId: this.job.requestId,
    });
  }

  async saveCheckpoint(state: Record<string, unknown>): Promise<void> {
    this.observe(await this.repository.saveCheckpoint(this.job.id, state));
    this.saved = state;
  }

  async reportProgress(progress: { percent?: number | null; message?: string | null }): Promise<void> {
    const percent =
      progress.percent === undefined || progress.percent === null
        ? progress.percent
        : Math.max(0, Math.min(100, Math.round(progress.percent)));
    const message =
      progress.message === undefined || progress.message === null
        ? progress.message
        : progress.message.slice(0, 500);
    this.observe(await this.repository.reportProgress(this.job.id, percent, message));
  }
}
