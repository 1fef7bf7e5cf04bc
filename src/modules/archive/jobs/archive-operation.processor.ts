import { UnrecoverableError } from 'bullmq';
import { GatewayError } from '../../../domain/errors';
import type { MethodOf, OperationOf } from '../../../domain/capabilities';
import {
  ARCHIVE_FOLLOW_METHODS,
  ArchiveOperationUnknownError,
  type ArchiveOperationStatus,
  type ArchiveServicePort,
} from '../../../domain/ports/archive-service.port';
import type { CallContext } from '../../../domain/ports/call-context';
import type { VendorCall } from '../../../domain/vendor-call';
import type { CallOrigin } from '../../tenants/call-context.factory';
import type { ServicePortResolver } from '../../tenants/service-port.resolver';
import type {
  JobRef,
  OperationExecution,
  OperationItem,
  OperationOutcome,
  OperationProcessor,
} from '../../../jobs/job-definition';

/** How a delivery after a crash picked the operation up. */
export type ResumeMode = 'polled-existing-token' | 'restarted';

/** What survives a killed worker: enough to poll the same operation again. */
export interface ArchiveOperationCheckpoint {
  token: string;
  statusVersion: number;
  /** The last resumption, when a delivery found an earlier one's operation. */
  resumed: ResumeMode | null;
  /** Operations started again because the archive no longer knew the token. */
  restarts: number;
}

type FollowMethod = (typeof ARCHIVE_FOLLOW_METHODS)[number];

/** The tenant's archive port with the operation's start method and the methods that follow it. */
export type OperationPort<O extends OperationOf<'archive'>> = Required<
  Pick<ArchiveServicePort, MethodOf<'archive', O> | FollowMethod>
>;

/** The tenant's archive port with what following an operation needs, plus how to start it. */
interface BoundOperation {
  port: Required<Pick<ArchiveServicePort, FollowMethod>>;
  ctx: CallContext;
  provider: string;
  start(): Promise<ArchiveOperationStatus>;
}

export interface FollowTimings {
  /** How long one get-status long-poll may wait for a change. */
  pollWaitMs: number;
  /** How long a cancel waits for the archive to confirm the operation ended. */
  cancelConfirmMs: number;
}

const DEFAULT_FOLLOW_TIMINGS: FollowTimings = { pollWaitMs: 10_000, cancelConfirmMs: 10_000 };

/** A token forgotten this often while its operation ran means the archive keeps losing it. */
const MAX_RESTARTS = 3;

function readCheckpoint(value: Record<string, unknown> | null): ArchiveOperationCheckpoint | null {
  if (!value || typeof value.token !== 'string' || value.token.length === 0) return null;
  const resumed =
    value.resumed === 'polled-existing-token' || value.resumed === 'restarted' ? value.resumed : null;
  return {
    token: value.token,
    statusVersion: typeof value.statusVersion === 'number' ? value.statusVersion : 0,
    resumed,
    restarts: typeof value.restarts === 'number' ? value.restarts : 0,
  };
}

/**
 * Runs one long archive operation (verification, compaction) as a job: starts it, keeps its
 * token and statusVersion in the job checkpoint, follows it with long-polls while mirroring
 * progress, cancels it at the archive on a cancel request, and after a crash polls the same
 * token again, or starts over when the archive has forgotten it.
 */
export abstract class ArchiveOperationProcessor<
  P,
  O extends OperationOf<'archive'>,
> implements OperationProcessor<P> {
  readonly kind = 'operation' as const;

  /** Dotted audit action prefix, e.g. `archive.store.verification`. */
  protected abstract readonly auditAction: string;

  /** The archive operation of `SERVICE_PORTS` this job runs, e.g. `stores.verify`. */
  protected abstract readonly operation: O;

  constructor(
    private readonly ports: Pick<ServicePortResolver, 'bind'>,
    protected readonly timings: FollowTimings = DEFAULT_FOLLOW_TIMINGS,
  ) {}

  /** Starts the operation at the archive for this job. */
  protected abstract begin(
    port: OperationPort<O>,
    ctx: CallContext,
    job: JobRef<P>,
  ): Promise<ArchiveOperationStatus>;

  protected abstract resource(job: JobRef<P>): { type: string; id: string | null };

  /** The job result of a finished operation, from the archive's result. */
  protected abstract resultOf(job: JobRef<P>, status: ArchiveOperationStatus): Record<string, unknown>;

  /** The job items of a finished operation (its per-store verdicts); none by default. */
  protected itemsOf(_status: ArchiveOperationStatus): OperationItem[] {
    return [];
  }

  /** Binds the tenant's archive port (501/409 before any vendor call) and says how to start. */
  private async bind(origin: CallOrigin, job: JobRef<P>, tenantId: string): Promise<BoundOperation> {
    const { port, ctx, provider } = await this.ports.bind(
      origin,
      tenantId,
      'archive',
      this.operation,
      ARCHIVE_FOLLOW_METHODS,
    );
    // Both are `port`, typed once with the start method and once without (TS cannot narrow a Pick over a generic O).
    const operationPort = port as OperationPort<O>;
    const followPort = port as BoundOperation['port'];
    return { port: followPort, ctx, provider, start: () => this.begin(operationPort, ctx, job) };
  }

  async run(exec: OperationExecution<P>): Promise<OperationOutcome> {
    const tenantId = exec.job.tenantId;
    if (!tenantId) throw new UnrecoverableError(`Job ${exec.job.id} has no tenant.`);
    const origin = exec.callOrigin();
    const bound = await this.bind(origin, exec.job, tenantId);
    const calls = new AuditedCalls(origin.vendorCalls.calls);

    const saved = readCheckpoint(exec.checkpoint);
    let resumed = saved?.resumed ?? null;
    let restarts = saved?.restarts ?? 0;
    let status: ArchiveOperationStatus;
    if (saved) {
      try {
        status = await bound.port.getOperationStatus(bound.ctx, saved.token, 0, 0);
        resumed = 'polled-existing-token';
      } catch (error) {
        if (!(error instanceof ArchiveOperationUnknownError)) throw error;
        resumed = 'restarted';
        restarts += 1;
        status = await this.start(exec, bound, calls, { resumed, restarts });
      }
    } else {
      status = await this.start(exec, bound, calls, { resumed, restarts });
    }
    let token = status.token ?? saved?.token ?? null;

    const checkpoint = async (): Promise<void> => {
      if (!token) return;
      await exec.saveCheckpoint({ token, statusVersion: status.statusVersion, resumed, restarts });
      await exec.reportProgress({ percent: status.percent, message: status.statusText });
    };
    await checkpoint();

    while (status.state === 'running') {
      if (!token)
        throw new GatewayError('internal', 'The archive reported a running operation without a token.');
      if (exec.stopReason) return this.stop(exec, bound, origin, calls, token, status);
      let next: ArchiveOperationStatus;
      try {
        next = await bound.port.getOperationStatus(
          bound.ctx,
          token,
          status.statusVersion,
          this.timings.pollWaitMs,
        );
      } catch (error) {
        if (exec.stopReason) return this.stop(exec, bound, origin, calls, token, status);
        if (!(error instanceof ArchiveOperationUnknownError)) throw error;
        if (restarts >= MAX_RESTARTS) {
          throw new GatewayError(
            'provider_rejected',
            `The archive forgot the operation token ${restarts + 1} times while it ran; giving up.`,
            { provider: bound.provider },
          );
        }
        resumed = 'restarted';
        restarts += 1;
        next = await this.start(exec, bound, calls, { resumed, restarts });
        token = next.token ?? token;
      }
      const changed =
        next.statusVersion !== status.statusVersion ||
        next.state !== status.state ||
        next.percent !== status.percent ||
        next.statusText !== status.statusText;
      status = next;
      if (changed) await checkpoint();
    }
    return this.finish(exec, bound, calls, status, { resumed, restarts });
  }

  private async start(
    exec: OperationExecution<P>,
    bound: BoundOperation,
    calls: AuditedCalls,
    resumption: { resumed: ResumeMode | null; restarts: number },
  ): Promise<ArchiveOperationStatus> {
    let status: ArchiveOperationStatus;
    try {
      status = await bound.start();
    } catch (error) {
      await this.audit(exec, bound, calls, 'started', 'failure', {
        ...resumption,
        error:
          error instanceof GatewayError ? { code: error.code, detail: error.detail } : { code: 'internal' },
      });
      throw error;
    }
    // Saved before anything else can fail, so a crash from here on polls this token again.
    if (status.token) {
      await exec.saveCheckpoint({ token: status.token, statusVersion: status.statusVersion, ...resumption });
    }
    await this.audit(exec, bound, calls, 'started', 'success', { ...resumption, token: status.token });
    return status;
  }

  private async finish(
    exec: OperationExecution<P>,
    bound: BoundOperation,
    calls: AuditedCalls,
    status: ArchiveOperationStatus,
    resumption: { resumed: ResumeMode | null; restarts: number },
  ): Promise<OperationOutcome> {
    if (status.state === 'succeeded') {
      const result = { ...this.resultOf(exec.job, status), ...resumption };
      await this.audit(exec, bound, calls, 'finished', 'success', { result });
      return { result, items: this.itemsOf(status) };
    }
    const error = {
      code: 'provider_rejected',
      detail: `${bound.provider} reported the operation failed: ${status.error ?? 'no message'}`,
    };
    await this.audit(exec, bound, calls, 'finished', 'failure', { error, ...resumption });
    return { result: { statusText: status.statusText, ...resumption }, error };
  }

  /**
   * A cancel asks the archive to stop (on a context without the aborted signal) and waits a
   * little for it to confirm; a shutdown leaves the operation running, its token checkpointed.
   */
  private async stop(
    exec: OperationExecution<P>,
    bound: BoundOperation,
    origin: CallOrigin,
    calls: AuditedCalls,
    token: string,
    last: ArchiveOperationStatus,
  ): Promise<never> {
    if (exec.stopReason === 'cancel') {
      const calm = await this.bind(
        { requestId: origin.requestId, vendorCalls: origin.vendorCalls },
        exec.job,
        exec.job.tenantId as string,
      );
      let status = last;
      let confirmed = false;
      try {
        await calm.port.cancelOperation(calm.ctx, token);
        const deadline = Date.now() + this.timings.cancelConfirmMs;
        while (status.state === 'running' && Date.now() < deadline) {
          const wait = Math.min(this.timings.pollWaitMs, Math.max(0, deadline - Date.now()));
          status = await calm.port.getOperationStatus(calm.ctx, token, status.statusVersion, wait);
        }
        confirmed = status.state !== 'running';
      } catch (error) {
        // A forgotten token has nothing left to cancel; anything else is recorded, the job still ends cancelled.
        if (!(error instanceof ArchiveOperationUnknownError)) {
          await this.audit(exec, calm, calls, 'cancelled', 'failure', {
            token,
            error:
              error instanceof GatewayError
                ? { code: error.code, detail: error.detail }
                : { code: 'internal' },
          });
          exec.throwIfStopped();
        }
        confirmed = true;
      }
      await this.audit(exec, calm, calls, 'cancelled', 'success', {
        token,
        confirmed,
        statusText: status.statusText,
      });
    }
    exec.throwIfStopped();
    throw new GatewayError('internal', 'The job stopped without a stop reason.');
  }

  private async audit(
    exec: OperationExecution<P>,
    bound: Pick<BoundOperation, 'provider'>,
    calls: AuditedCalls,
    step: 'started' | 'finished' | 'cancelled',
    outcome: 'success' | 'failure',
    detail: Record<string, unknown>,
  ): Promise<void> {
    await exec.audit({
      action: `${this.auditAction}.${step}`,
      resource: this.resource(exec.job),
      outcome,
      provider: bound.provider,
      vendorCalls: calls.takeNew(),
      detail: { type: exec.job.type, delivery: exec.job.delivery, ...detail },
    });
  }
}

/** Hands each audit event the vendor calls made since the previous one. */
class AuditedCalls {
  private taken = 0;

  constructor(private readonly calls: VendorCall[]) {}

  takeNew(): VendorCall[] {
    const fresh = this.calls.slice(this.taken);
    this.taken = this.calls.length;
    return fresh;
  }
}
