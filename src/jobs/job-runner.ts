import {
  type BeforeApplicationShutdown,
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
} from '@nestjs/common';
import { DelayedError, type Job, UnrecoverableError, WaitingError, type Worker } from 'bullmq';
import { GatewayError } from '../domain/errors';
import { AuditService } from '../modules/audit/audit.service';
import { FINISHED_STATES, type JobEntity, type JobErrorRecord } from './job.entity';
import { type ItemCheckpoint, JobsRepository } from './jobs.repository';
import { toJobView } from './job-view.mapper';
import { BatchRun } from './batch-run';
import type {
  BatchProcessor,
  ItemsProcessor,
  ItemsSummary,
  JobDefinition,
  JobExecution,
  JobProcessor,
  OperationProcessor,
} from './job-definition';
import { JobCatalogue } from './job-catalogue';
import { JobDispatcher, type QueuedJobData } from './job-dispatcher';
import { backoffDelay, isTransient, JobStoppedError, toErrorRecord } from './job-errors';
import { JobDelivery } from './job-execution';
import { JobMetrics } from './job-metrics';
import { LeaseLimiter } from './lease-limiter';
import { QueueFactory } from './queue-factory';
import { abortableSleep } from './abortable-sleep';

/** Timings of the runner; tests shorten them to recover killed workers quickly. */
export interface RunnerSettings {
  /** BullMQ lock of an active job; a dead worker's job is recovered after it lapses. */
  lockDurationMs: number;
  /** How often workers look for stalled jobs. */
  stalledIntervalMs: number;
  /** Recoveries of a stalled job before BullMQ gives up on it (the sweeper then fails it). */
  maxStalledCount: number;
  /** Heartbeat and cancel-check period of a running job. */
  heartbeatMs: number;
  /** Lifetime of a per-connection slot lease; renewed by the heartbeat. */
  leaseTtlMs: number;
  /** Delay before a job postponed by a concurrency limit is offered again. */
  postponeMs: number;
  /** Sweeper period, and how long an unfinished job must be idle before it is checked. */
  sweepIntervalMs: number;
  sweepIdleMs: number;
}

export const RUNNER_SETTINGS = Symbol('RUNNER_SETTINGS');

export const DEFAULT_RUNNER_SETTINGS: RunnerSettings = {
  lockDurationMs: 30_000,
  stalledIntervalMs: 30_000,
  maxStalledCount: 10,
  heartbeatMs: 1000,
  leaseTtlMs: 30_000,
  postponeMs: 1000,
  sweepIntervalMs: 30_000,
  sweepIdleMs: 120_000,
};

const ITEM_PAGE = 200;

type RunOutcome =
  | {
      kind: 'finished';
      state: 'succeeded' | 'failed' | 'partially_failed';
      result: Record<string, unknown> | null;
      error: JobErrorRecord | null;
    }
  | { kind: 'stopped' };

/**
 * The worker half (ROLE=worker|all): one BullMQ worker per queue, at-least-once deliveries
 * made safe by per-item checkpoints in Postgres, bounded concurrency per type and per
 * connection, retries with backoff, cancellation at checkpoints and a graceful shutdown.
 */
@Injectable()
export class JobRunner implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(JobRunner.name);
  private readonly workers: Worker[] = [];
  private readonly running = new Map<string, number>();
  private readonly deliveries = new Set<JobDelivery>();
  private sweeper?: NodeJS.Timeout;
  private stopping = false;

  constructor(
    private readonly catalogue: JobCatalogue,
    private readonly queues: QueueFactory,
    private readonly repository: JobsRepository,
    private readonly dispatcher: JobDispatcher,
    private readonly limiter: LeaseLimiter,
    private readonly audit: AuditService,
    private readonly metrics: JobMetrics,
    @Inject(RUNNER_SETTINGS) private readonly settings: RunnerSettings,
  ) {}

  onApplicationBootstrap(): void {
    for (const queue of this.catalogue.queues()) {
      const types = this.catalogue.definitions().filter((d) => d.queue === queue);
      const worker = this.queues.worker(
        queue,
        (job: Job<QueuedJobData>, token?: string) => this.deliver(job, token),
        {
          concurrency: types.reduce((sum, d) => sum + d.concurrency, 0),
          lockDuration: this.settings.lockDurationMs,
          stalledInterval: this.settings.stalledIntervalMs,
          maxStalledCount: this.settings.maxStalledCount,
        },
      );
      worker.on('stalled', (jobId: string) => this.logger.warn(`job ${jobId} stalled; redelivering`));
      this.workers.push(worker);
    }
    this.sweeper = setInterval(() => void this.sweep(), this.settings.sweepIntervalMs);
    this.sweeper.unref();
  }

  /** SIGTERM: stop taking jobs, let running items finish and checkpoint, hand the rest back. */
  async beforeApplicationShutdown(): Promise<void> {
    this.stopping = true;
    if (this.sweeper) clearInterval(this.sweeper);
    for (const delivery of this.deliveries) delivery.stop('shutdown');
    await Promise.allSettled(this.workers.map((w) => w.close()));
  }

  private async deliver(bullJob: Job<QueuedJobData>, token: string | undefined): Promise<void> {
    const definition = this.catalogue.get(bullJob.name);
    const { jobId, run } = bullJob.data;
    if (this.stopping) return this.handBack(bullJob, token);
    if ((this.running.get(definition.type) ?? 0) >= definition.concurrency)
      return this.postpone(bullJob, token);
    const record = await this.repository.find(jobId);
    if (!record || record.run !== run || FINISHED_STATES.includes(record.state)) return;
    const connection = definition.connectionKey({ tenantId: record.tenantId, payload: record.payload });
    if (
      connection &&
      !(await this.limiter.acquire(
        connection,
        jobId,
        definition.perConnectionLimit,
        this.settings.leaseTtlMs,
      ))
    ) {
      return this.postpone(bullJob, token);
    }
    this.running.set(definition.type, (this.running.get(definition.type) ?? 0) + 1);
    try {
      await this.execute(definition, bullJob, token, connection);
    } finally {
      this.running.set(definition.type, (this.running.get(definition.type) ?? 1) - 1);
      if (connection) await this.limiter.release(connection, jobId).catch(() => undefined);
    }
  }

  private async execute(
    definition: JobDefinition,
    bullJob: Job<QueuedJobData>,
    token: string | undefined,
    connection: string | null,
  ) {
    const started = await this.repository.start(bullJob.data.jobId, bullJob.data.run);
    if (!started) return;
    const delivery = new JobDelivery(started, this.repository, this.audit);
    if (started.cancelRequestedAt) {
      await this.end(delivery, 'cancelled', null, null);
      return;
    }
    await delivery.audit({
      action: 'job.started',
      resource: { type: 'job', id: started.id },
      outcome: 'success',
      detail: {
        type: started.type,
        delivery: started.deliveries,
        attempt: bullJob.attemptsMade + 1,
        resumed: started.deliveries > 1,
      },
    });
    this.deliveries.add(delivery);
    if (this.stopping) delivery.stop('shutdown');
    const heartbeat = this.startHeartbeat(delivery, definition, connection);
    try {
      const processor = this.catalogue.processor(definition.type);
      const outcome = await this.run(processor, definition, delivery);
      if (outcome.kind === 'finished') {
        await this.end(delivery, outcome.state, outcome.result, outcome.error);
        return;
      }
    } catch (error) {
      // Once a job is asked to stop, whatever its processor throws is how it stopped.
      if (!delivery.stopReason) {
        await this.failed(delivery, bullJob, error);
        return;
      }
    } finally {
      clearInterval(heartbeat);
      this.deliveries.delete(delivery);
    }
    if (delivery.stopReason === 'cancel') await this.end(delivery, 'cancelled', null, null);
    else await this.handBack(bullJob, token);
  }

  private run(
    processor: JobProcessor<unknown>,
    definition: JobDefinition,
    delivery: JobDelivery,
  ): Promise<RunOutcome> {
    switch (processor.kind) {
      case 'items':
        return this.runItems(processor, definition, delivery);
      case 'batch':
        return this.runBatches(processor, definition, delivery);
      default:
        return this.runOperation(processor, delivery);
    }
  }

  private async runOperation(
    processor: OperationProcessor<unknown>,
    delivery: JobDelivery,
  ): Promise<RunOutcome> {
    const outcome = await processor.run(delivery);
    const items = outcome.items ?? [];
    if (items.length) await this.repository.recordOperationItems(delivery.job.id, items);
    const failed = items.filter((item) => item.state === 'failed').length;
    if (outcome.error || failed === 0) {
      return {
        kind: 'finished',
        state: outcome.error ? 'failed' : 'succeeded',
        result: outcome.result ?? null,
        error: outcome.error ?? null,
      };
    }
    // The operation ran to its end and found problems: what it found is the job's failed items.
    return {
      kind: 'finished',
      state: 'partially_failed',
      result: outcome.result ?? null,
      error: { code: 'items_failed', detail: `${failed} of ${items.length} items failed.` },
    };
  }

  private async runItems(
    processor: ItemsProcessor<unknown>,
    definition: JobDefinition,
    delivery: JobDelivery,
  ): Promise<RunOutcome> {
    const jobId = delivery.job.id;
    await this.repository.releaseRunningItems(jobId);
    for (;;) {
      await this.processPendingItems(processor, definition, delivery);
      if (delivery.stopReason) return { kind: 'stopped' };
      const job = await this.repository.get(jobId);
      // Items a lane gave back (a retry cut short) are still pending: go round again.
      if (job.done < job.total) continue;
      return this.itemsFinished(processor, delivery, job);
    }
  }

  private async runBatches(
    processor: BatchProcessor<unknown>,
    definition: JobDefinition,
    delivery: JobDelivery,
  ): Promise<RunOutcome> {
    const jobId = delivery.job.id;
    await this.repository.releaseRunningItems(jobId);
    const before = await this.repository.get(jobId);
    // Nothing left to do (every item failed at intake, say): no reason to reach the vendor.
    if (before.done >= before.total) return this.itemsFinished(processor, delivery, before);
    const plan = await processor.plan(delivery);
    const run = new BatchRun(processor, definition, delivery, plan, this.repository, this.metrics);
    try {
      for (;;) {
        await run.round();
        if (delivery.stopReason) return { kind: 'stopped' };
        const job = await this.repository.get(jobId);
        // Items the vendor could not take yet are still pending: go round again.
        if (job.done < job.total) continue;
        return await this.itemsFinished(processor, delivery, job);
      }
    } finally {
      await run.close();
    }
  }

  private async itemsFinished(
    processor: {
      summarize?(exec: JobExecution<unknown>, summary: ItemsSummary): Promise<Record<string, unknown> | null>;
    },
    delivery: JobDelivery,
    job: JobEntity,
  ): Promise<RunOutcome> {
    const summary = { total: job.total, succeeded: job.succeeded, failed: job.failed };
    const state = job.failed === 0 ? 'succeeded' : job.succeeded === 0 ? 'failed' : 'partially_failed';
    const result = processor.summarize ? await processor.summarize(delivery, summary) : null;
    const error =
      state === 'succeeded'
        ? null
        : { code: 'items_failed', detail: `${job.failed} of ${job.total} items failed.` };
    return { kind: 'finished', state, result, error };
  }

  /** Runs every pending item once, `itemConcurrency` at a time, until none is left or the job stops. */
  private async processPendingItems(
    processor: ItemsProcessor<unknown>,
    definition: JobDefinition,
    delivery: JobDelivery,
  ) {
    const jobId = delivery.job.id;
    let after = -1;
    let exhausted = false;
    let buffer: { seq: number; key: string; input: Record<string, unknown> | null }[] = [];
    let fetching: Promise<void> | null = null;
    let fatal: unknown;
    const next = async () => {
      for (;;) {
        if (delivery.stopReason || fatal !== undefined) return undefined;
        if (buffer.length) return buffer.shift();
        if (exhausted) return undefined;
        fetching ??= this.repository
          .pendingItems(jobId, after, ITEM_PAGE)
          .then((rows) => {
            exhausted = rows.length < ITEM_PAGE;
            if (rows.length) after = rows[rows.length - 1].seq;
            buffer = buffer.concat(rows);
          })
          .finally(() => (fetching = null));
        await fetching;
      }
    };
    const lane = async () => {
      try {
        for (let item = await next(); item; item = await next())
          await this.processItem(processor, definition, delivery, item);
      } catch (error) {
        fatal ??= error;
      }
    };
    await Promise.all(Array.from({ length: definition.itemConcurrency }, lane));
    if (fatal !== undefined) throw fatal;
  }

  private async processItem(
    processor: ItemsProcessor<unknown>,
    definition: JobDefinition,
    delivery: JobDelivery,
    item: { seq: number; key: string; input: Record<string, unknown> | null },
  ): Promise<void> {
    const jobId = delivery.job.id;
    const claimed = await this.repository.claimItem(jobId, item.seq);
    if (claimed === null) return;
    let outcome: ItemCheckpoint | undefined;
    for (let tries = 1; !outcome; tries++) {
      const attempts = claimed + tries - 1;
      try {
        outcome = { ...(await processor.processItem(delivery, { ...item, attempts })), attempts };
      } catch (error) {
        if (error instanceof UnrecoverableError) {
          await this.checkpoint(definition, delivery, item.seq, {
            state: 'failed',
            ...toErrorRecord(error),
            attempts,
          });
          throw error;
        }
        if (error instanceof JobStoppedError || (delivery.stopReason && delivery.signal.aborted)) {
          await this.repository.unclaimItem(jobId, item.seq);
          return;
        }
        if (isTransient(error) && tries < definition.retry.itemAttempts) {
          const retryAfter =
            error instanceof GatewayError && error.retryAfterSeconds ? error.retryAfterSeconds * 1000 : 0;
          if (
            !(await abortableSleep(
              Math.max(retryAfter, backoffDelay(definition.retry.backoffMs, tries)),
              delivery.signal,
            ))
          ) {
            await this.repository.unclaimItem(jobId, item.seq);
            return;
          }
          continue;
        }
        outcome = { state: 'failed', ...toErrorRecord(error), attempts };
      }
    }
    await this.checkpoint(definition, delivery, item.seq, outcome);
  }

  private async checkpoint(
    definition: JobDefinition,
    delivery: JobDelivery,
    seq: number,
    outcome: ItemCheckpoint,
  ): Promise<void> {
    const signal = await this.repository.checkpointItem(delivery.job.id, seq, outcome);
    if (signal) this.metrics.itemDone(definition.type, outcome.state);
    delivery.observe(signal);
  }

  /** A delivery failed: retry it later if the error is transient and attempts remain, else fail the job. */
  private async failed(delivery: JobDelivery, bullJob: Job<QueuedJobData>, error: unknown): Promise<void> {
    const record = toErrorRecord(error);
    const last = bullJob.attemptsMade + 1 >= (bullJob.opts.attempts ?? 1);
    if (isTransient(error) && !last) {
      this.logger.warn(
        `job ${delivery.job.id} attempt ${bullJob.attemptsMade + 1} failed (${record.code}); retrying with backoff`,
      );
      await this.repository.noteError(delivery.job.id, record).catch(() => undefined);
      throw error;
    }
    if (record.code === 'internal') this.logger.error({ err: error, jobId: delivery.job.id }, 'job failed');
    await this.end(delivery, 'failed', null, record);
    throw new UnrecoverableError(record.detail);
  }

  private async end(
    delivery: JobDelivery,
    state: 'succeeded' | 'failed' | 'partially_failed' | 'cancelled',
    result: Record<string, unknown> | null,
    error: JobErrorRecord | null,
  ): Promise<JobEntity | null> {
    const finished = await this.repository.finish(delivery.job.id, state, { result, error });
    if (!finished) return null;
    const seconds =
      finished.startedAt && finished.finishedAt
        ? (finished.finishedAt.getTime() - finished.startedAt.getTime()) / 1000
        : null;
    this.metrics.jobFinished(finished.type, state, seconds);
    await delivery.audit({
      action: 'job.finished',
      resource: { type: 'job', id: finished.id },
      outcome: state === 'failed' || state === 'partially_failed' ? 'failure' : 'success',
      detail: {
        type: finished.type,
        state,
        progress: toJobView(finished).progress,
        ...(error ? { error } : {}),
      },
    });
    return finished;
  }

  /** Back to the queue without using an attempt: another worker (or this one, restarted) resumes it. */
  private async handBack(bullJob: Job<QueuedJobData>, token: string | undefined): Promise<void> {
    await bullJob.moveToWait(token);
    throw new WaitingError();
  }

  private async postpone(bullJob: Job<QueuedJobData>, token: string | undefined): Promise<void> {
    await bullJob.moveToDelayed(Date.now() + this.settings.postponeMs * (1 + Math.random()), token);
    throw new DelayedError();
  }

  private startHeartbeat(
    delivery: JobDelivery,
    definition: JobDefinition,
    connection: string | null,
  ): NodeJS.Timeout {
    let beats = 0;
    const renewEvery = Math.max(1, Math.floor(this.settings.leaseTtlMs / 3 / this.settings.heartbeatMs));
    const timer = setInterval(() => {
      beats++;
      void this.repository
        .heartbeat(delivery.job.id)
        .then((signal) => delivery.observe(signal))
        .catch((error: unknown) =>
          this.logger.warn(`heartbeat of job ${delivery.job.id} failed: ${String(error)}`),
        );
      if (connection && beats % renewEvery === 0) {
        void this.limiter
          .acquire(connection, delivery.job.id, definition.perConnectionLimit, this.settings.leaseTtlMs)
          .catch(() => undefined);
      }
    }, this.settings.heartbeatMs);
    timer.unref();
    return timer;
  }

  /**
   * Re-delivers unfinished records Redis lost (enqueued while it was down, or flushed) and
   * fails those BullMQ gave up on (stalled too often), so no record stays unfinished forever.
   */
  async sweep(): Promise<void> {
    try {
      for (const job of await this.repository.idle(this.settings.sweepIdleMs, 100)) {
        if (!this.catalogue.has(job.type)) continue;
        const queue = this.queues.queue(this.catalogue.get(job.type).queue);
        const bullJob = await queue.getJob(JobDispatcher.bullJobId(job));
        const state = bullJob ? await bullJob.getState() : 'missing';
        if (state === 'missing' || state === 'unknown') {
          await this.dispatcher.dispatch(job);
        } else if (state === 'failed' || state === 'completed') {
          const delivery = new JobDelivery(job, this.repository, this.audit);
          const detail = bullJob?.failedReason
            ? `The queue gave up on the job: ${bullJob.failedReason}.`
            : 'The job was lost by the queue.';
          const finished = await this.repository.finish(
            job.id,
            'failed',
            { error: { code: 'internal', detail } },
            ['queued', 'running'],
          );
          if (finished) {
            this.metrics.jobFinished(job.type, 'failed', null);
            await delivery.audit({
              action: 'job.finished',
              resource: { type: 'job', id: job.id },
              outcome: 'failure',
              detail: { type: job.type, state: 'failed', error: finished.error },
            });
          }
        }
      }
    } catch (error) {
      this.logger.warn(`job sweep failed: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
}
