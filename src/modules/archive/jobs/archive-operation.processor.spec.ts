import { GatewayError } from '../../../domain/errors';
import {
  ArchiveOperationUnknownError,
  type ArchiveOperationStatus,
} from '../../../domain/ports/archive-service.port';
import type { CallContext } from '../../../domain/ports/call-context';
import { VendorCallLog } from '../../../domain/vendor-call';
import type { AuditRecord } from '../../audit/audit.service';
import type { CallOrigin } from '../../tenants/call-context.factory';
import type { JobRef, OperationExecution, StopReason } from '../../../jobs/job-definition';
import { JobStoppedError } from '../../../jobs/job-errors';
import type { ServicePortResolver } from '../../tenants/service-port.resolver';
import { ArchiveOperationProcessor, type OperationPort } from './archive-operation.processor';
import { verificationResult } from './verification-result';

type Payload = { storeId: string };

const running = (token: string, version: number, percent: number): ArchiveOperationStatus => ({
  token,
  statusVersion: version,
  state: 'running',
  percent,
  statusText: `Verifying (${percent}%)`,
  result: null,
  error: null,
});

/** A vendor operation that advances one step per status request; tokens it never issued are unknown. */
class FakeArchive {
  readonly started: string[] = [];
  readonly cancelled: string[] = [];
  readonly polls: { token: string; lastKnown: number }[] = [];
  private readonly steps = new Map<string, number>();
  onPoll?: (token: string) => void;

  constructor(
    private readonly length: number,
    private readonly ending: 'succeeded' | 'failed' = 'succeeded',
  ) {}

  forget(token: string): void {
    this.steps.delete(token);
  }

  start(): ArchiveOperationStatus {
    const token = `tok-${this.started.length + 1}`;
    this.started.push(token);
    this.steps.set(token, 0);
    return running(token, 1, 0);
  }

  status(token: string, lastKnown: number): ArchiveOperationStatus {
    this.polls.push({ token, lastKnown });
    this.onPoll?.(token);
    const step = this.steps.get(token);
    if (step === undefined) throw new ArchiveOperationUnknownError('unknown token', 'fake');
    const next = this.cancelled.includes(token) ? this.length : step + 1;
    this.steps.set(token, next);
    if (this.cancelled.includes(token)) {
      return {
        ...running(token, next + 1, 50),
        state: 'failed',
        error: 'The operation has been cancelled by the user.',
      };
    }
    if (next < this.length) return running(token, next + 1, Math.floor((next / this.length) * 100));
    if (this.ending === 'failed') {
      return { ...running(token, next + 1, 80), state: 'failed', error: 'Store database is locked.' };
    }
    return {
      token,
      statusVersion: next + 1,
      state: 'succeeded',
      percent: 100,
      statusText: 'Completed.',
      result: {
        stores: [{ storeId: '1', name: 'A', consistent: false, problems: ['Message 4711 is missing.'] }],
      },
      error: null,
    };
  }
}

/** Binds every origin to the fake archive, recording the vendor calls on the origin's log. */
class FakePorts implements Pick<ServicePortResolver, 'bind'> {
  readonly origins: CallOrigin[] = [];

  constructor(private readonly archive: FakeArchive) {}

  bind = (async (origin: CallOrigin) => {
    this.origins.push(origin);
    const record = (path: string) =>
      origin.vendorCalls.record({ method: 'POST', path, status: 200, durationMs: 1 });
    const port: OperationPort<'stores.verify'> = {
      startVerifyStore: async () => {
        record('/api/invoke/VerifyStore');
        return this.archive.start();
      },
      getOperationStatus: async (_ctx, token, lastKnown) => {
        record('/api/get-status');
        return this.archive.status(token, lastKnown);
      },
      cancelOperation: async (ctx, token) => {
        if (ctx.signal?.aborted) throw new Error('cancel sent on an aborted context');
        record('/api/cancel-async');
        this.archive.cancelled.push(token);
      },
    };
    return { port, ctx: { signal: origin.signal } as CallContext, provider: 'fake', connectionId: 'fake' };
  }) as unknown as ServicePortResolver['bind'];
}

class FakeProcessor extends ArchiveOperationProcessor<Payload, 'stores.verify'> {
  protected readonly auditAction = 'archive.store.verification';
  protected readonly operation = 'stores.verify';

  constructor(private readonly fakePorts: FakePorts) {
    super(fakePorts, { pollWaitMs: 5, cancelConfirmMs: 1000 });
  }

  get origins(): CallOrigin[] {
    return this.fakePorts.origins;
  }

  protected begin(port: OperationPort<'stores.verify'>, ctx: CallContext, job: JobRef<Payload>) {
    return port.startVerifyStore(ctx, job.payload.storeId, false);
  }

  protected resource(job: JobRef<Payload>) {
    return { type: 'archive-store', id: job.payload.storeId };
  }

  protected resultOf(_job: JobRef<Payload>, status: ArchiveOperationStatus) {
    return verificationResult(status, false);
  }
}

class FakeExecution implements OperationExecution<Payload> {
  readonly job: JobRef<Payload> = {
    id: 'job-1',
    type: 'archive.verify-store',
    tenantId: 'acme',
    payload: { storeId: '1' },
    requestId: 'req-1',
    delivery: 1,
  };
  readonly checkpoints: Record<string, unknown>[] = [];
  readonly progress: { percent?: number | null; message?: string | null }[] = [];
  readonly audits: Omit<AuditRecord, 'actor' | 'tenantId' | 'jobId' | 'requestId'>[] = [];
  private readonly controller = new AbortController();
  private reason: StopReason | null = null;

  constructor(public checkpoint: Record<string, unknown> | null = null) {}

  get signal(): AbortSignal {
    return this.controller.signal;
  }
  get stopReason(): StopReason | null {
    return this.reason;
  }
  stop(reason: StopReason): void {
    this.reason = reason;
    this.controller.abort(new JobStoppedError(reason));
  }
  throwIfStopped(): void {
    if (this.reason) throw new JobStoppedError(this.reason);
  }
  callOrigin(): CallOrigin & { vendorCalls: VendorCallLog } {
    return { requestId: 'req-1', vendorCalls: new VendorCallLog(), signal: this.signal };
  }
  async audit(event: Omit<AuditRecord, 'actor' | 'tenantId' | 'jobId' | 'requestId'>): Promise<void> {
    this.audits.push(event);
  }
  async saveCheckpoint(state: Record<string, unknown>): Promise<void> {
    this.checkpoints.push(state);
    this.checkpoint = state;
  }
  async reportProgress(progress: { percent?: number | null; message?: string | null }): Promise<void> {
    this.progress.push(progress);
  }
}

describe('ArchiveOperationProcessor', () => {
  it('starts the operation, checkpoints its token, mirrors rising progress and stores the report', async () => {
    const archive = new FakeArchive(5);
    const exec = new FakeExecution();
    const outcome = await new FakeProcessor(new FakePorts(archive)).run(exec);

    expect(archive.started).toEqual(['tok-1']);
    expect(exec.checkpoints[0]).toEqual({ token: 'tok-1', statusVersion: 1, resumed: null, restarts: 0 });
    const percents = exec.progress.map((p) => p.percent);
    expect(percents).toEqual([...percents].sort((a, b) => (a ?? 0) - (b ?? 0)));
    expect(percents.at(-1)).toBe(100);
    expect(exec.progress.some((p) => p.message?.startsWith('Verifying'))).toBe(true);
    // Each long-poll passes the last statusVersion seen, so the archive answers only on change.
    expect(archive.polls.map((p) => p.lastKnown)).toEqual([1, 2, 3, 4, 5]);
    expect(outcome.error).toBeUndefined();
    expect(outcome.result).toMatchObject({
      consistent: false,
      stores: [{ storeId: '1', consistent: false, problems: ['Message 4711 is missing.'] }],
      resumed: null,
      restarts: 0,
    });
    expect(exec.audits.map((a) => [a.action, a.outcome])).toEqual([
      ['archive.store.verification.started', 'success'],
      ['archive.store.verification.finished', 'success'],
    ]);
    expect(exec.audits[0].vendorCalls?.map((c) => c.path)).toEqual(['/api/invoke/VerifyStore']);
    expect(exec.audits[1].vendorCalls).toHaveLength(5);
  });

  it('after a crash polls the checkpointed token instead of starting again', async () => {
    const archive = new FakeArchive(4);
    archive.start();
    const exec = new FakeExecution({ token: 'tok-1', statusVersion: 2, resumed: null, restarts: 0 });
    const outcome = await new FakeProcessor(new FakePorts(archive)).run(exec);

    expect(archive.started).toEqual(['tok-1']);
    expect(archive.polls[0]).toEqual({ token: 'tok-1', lastKnown: 0 });
    expect(outcome.result).toMatchObject({ resumed: 'polled-existing-token', restarts: 0 });
    expect(exec.checkpoints.at(-1)).toMatchObject({ token: 'tok-1', resumed: 'polled-existing-token' });
  });

  it('restarts the operation when the archive no longer knows the checkpointed token', async () => {
    const archive = new FakeArchive(3);
    const exec = new FakeExecution({ token: 'forgotten', statusVersion: 7, resumed: null, restarts: 0 });
    const outcome = await new FakeProcessor(new FakePorts(archive)).run(exec);

    expect(archive.started).toEqual(['tok-1']);
    expect(exec.checkpoints[0]).toEqual({
      token: 'tok-1',
      statusVersion: 1,
      resumed: 'restarted',
      restarts: 1,
    });
    expect(outcome.result).toMatchObject({ resumed: 'restarted', restarts: 1, consistent: false });
  });

  it("maps the archive's failure to a failed job with its message", async () => {
    const outcome = await new FakeProcessor(new FakePorts(new FakeArchive(2, 'failed'))).run(
      new FakeExecution(),
    );
    expect(outcome.error).toEqual({
      code: 'provider_rejected',
      detail: 'fake reported the operation failed: Store database is locked.',
    });
  });

  it('on cancel asks the archive to cancel on a context that is not aborted, then stops', async () => {
    const archive = new FakeArchive(100);
    const exec = new FakeExecution();
    archive.onPoll = () => {
      if (archive.polls.length === 3) exec.stop('cancel');
    };
    const processor = new FakeProcessor(new FakePorts(archive));
    await expect(processor.run(exec)).rejects.toEqual(new JobStoppedError('cancel'));

    expect(archive.cancelled).toEqual(['tok-1']);
    const cancelled = exec.audits.find((a) => a.action === 'archive.store.verification.cancelled');
    expect(cancelled).toMatchObject({
      outcome: 'success',
      detail: expect.objectContaining({ confirmed: true }),
    });
    expect(cancelled?.vendorCalls?.map((c) => c.path)).toContain('/api/cancel-async');
    expect(processor.origins.at(-1)?.signal).toBeUndefined();
  });

  it('on shutdown leaves the operation running with its token checkpointed', async () => {
    const archive = new FakeArchive(100);
    const exec = new FakeExecution();
    archive.onPoll = () => {
      if (archive.polls.length === 2) exec.stop('shutdown');
    };
    await expect(new FakeProcessor(new FakePorts(archive)).run(exec)).rejects.toEqual(
      new JobStoppedError('shutdown'),
    );
    expect(archive.cancelled).toEqual([]);
    expect(exec.checkpoint).toMatchObject({ token: 'tok-1' });
  });

  it('gives up on a token the archive forgets again and again', async () => {
    const archive = new FakeArchive(100);
    const exec = new FakeExecution();
    // Every token is forgotten right after it is issued.
    archive.onPoll = (token) => archive.forget(token);
    const error = await new FakeProcessor(new FakePorts(archive)).run(exec).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(GatewayError);
    expect((error as GatewayError).detail).toMatch(/forgot the operation token 4 times/);
    expect(archive.started).toHaveLength(4);
  });
});
