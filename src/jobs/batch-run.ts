import { UnrecoverableError } from 'bullmq';
import { GatewayError } from '../domain/errors';
import type { BatchItemCheckpoint, JobsRepository } from './jobs.repository';
import type { BatchOutcome, BatchPlan, BatchProcessor, JobDefinition, JobItemRef } from './job-definition';
import { backoffDelay, isTransient, JobStoppedError, toErrorRecord } from './job-errors';
import type { JobDelivery } from './job-execution';
import type { JobMetrics } from './job-metrics';
import { abortableSleep } from './abortable-sleep';

/** How often a running batch job reports its stats (items in flight, rate, waiting). */
const STATS_MS = 1000;
/** The rate is measured over this much of the recent past. */
const RATE_WINDOW_MS = 10_000;
/** The longest a job waits between tries while its vendor keeps refusing whole batches (as long as an open circuit). */
const MAX_PAUSE_MS = 10_000;
/** A round that found nothing to do (items held by another delivery) waits this long before looking again. */
const IDLE_ROUND_MS = 200;

/**
 * One delivery of a batch job: `plan.concurrency` lanes each claim `plan.size` pending items
 * (one statement that answers the items), hand them to the processor and checkpoint the outcome
 * in one transaction. Items the vendor could not take go back to pending; a vendor that asks to
 * wait (Retry-After, an open circuit) or keeps refusing whole batches pauses every lane, so an
 * outage costs time, not items.
 */
export class BatchRun {
  private pausedUntil = 0;
  private refusedStreak = 0;
  private running = 0;
  private finished = 0;
  private readonly samples: { at: number; finished: number }[] = [];
  private readonly timer: NodeJS.Timeout;

  constructor(
    private readonly processor: BatchProcessor<unknown>,
    private readonly definition: JobDefinition,
    private readonly delivery: JobDelivery,
    private readonly plan: BatchPlan,
    private readonly repository: JobsRepository,
    private readonly metrics: JobMetrics,
  ) {
    this.timer = setInterval(() => void this.reportStats().catch(() => undefined), STATS_MS);
    this.timer.unref();
  }

  /** Runs every pending item once (given-back items wait for the next round); false when there was none. */
  async round(): Promise<boolean> {
    let after = -1;
    let exhausted = false;
    let buffer: number[] = [];
    let fetching: Promise<void> | null = null;
    let fatal: unknown;
    let worked = false;
    const page = this.plan.size * this.plan.concurrency;
    // The next batch's seqs, from pages of pending seqs read ahead; lanes claim their batches concurrently.
    const nextBatch = async (): Promise<number[] | undefined> => {
      for (;;) {
        if (this.delivery.stopReason || fatal !== undefined) return undefined;
        if (buffer.length >= this.plan.size || (exhausted && buffer.length))
          return buffer.splice(0, this.plan.size);
        if (exhausted) return undefined;
        fetching ??= this.repository
          .pendingSeqs(this.delivery.job.id, after, page)
          .then((seqs) => {
            exhausted = seqs.length < page;
            if (seqs.length) after = seqs[seqs.length - 1];
            buffer = buffer.concat(seqs);
          })
          .finally(() => (fetching = null));
        await fetching;
      }
    };
    const lane = async (claimed: () => void) => {
      try {
        for (;;) {
          if (!(await this.waitWhilePaused())) return;
          const seqs = await nextBatch();
          if (!seqs) return;
          worked = (await this.runBatch(seqs, claimed)) || worked;
        }
      } catch (error) {
        fatal ??= error;
      } finally {
        claimed();
      }
    };
    // Each lane starts once the one before has claimed its first batch: the first batch is on its
    // way to the vendor while the next is claimed, instead of every lane's claim contending at once.
    let started: Promise<void> = Promise.resolve();
    const lanes = Array.from({ length: this.plan.concurrency }, () => {
      const previous = started;
      let claimed = () => {};
      started = new Promise<void>((resolve) => (claimed = resolve));
      return previous.then(() => lane(claimed));
    });
    await Promise.all(lanes);
    if (fatal !== undefined) throw fatal;
    if (!worked) await this.sleep(IDLE_ROUND_MS);
    return worked;
  }

  /** Stops reporting; the last report shows nothing in flight. */
  async close(): Promise<void> {
    clearInterval(this.timer);
    this.pausedUntil = 0;
    await this.reportStats().catch(() => undefined);
  }

  private async runBatch(seqs: number[], claimed: () => void): Promise<boolean> {
    const items = await this.repository.claimItems(this.delivery.job.id, seqs);
    claimed();
    if (!items.length) return false;
    this.running += items.length;
    try {
      const outcome = await this.outcomeOf(items);
      if (outcome) await this.settle(items, outcome);
      return true;
    } finally {
      this.running -= items.length;
    }
  }

  /** The processor's outcome, or null when the job stopped mid-batch (its items went back untouched). */
  private async outcomeOf(items: JobItemRef[]): Promise<BatchOutcome | null> {
    try {
      const outcome = await this.processor.processBatch(this.delivery, items);
      if (outcome.items.length !== items.length) {
        throw new UnrecoverableError(
          `the ${this.definition.type} processor answered ${outcome.items.length} outcomes for ${items.length} items`,
        );
      }
      return outcome;
    } catch (error) {
      // The job fails, not its items: they stay pending for a retry of the job.
      if (
        error instanceof UnrecoverableError ||
        error instanceof JobStoppedError ||
        this.delivery.signal.aborted
      ) {
        const seqs = items.map((i) => i.seq);
        await this.repository.giveBackItems(this.delivery.job.id, seqs, seqs);
        if (error instanceof UnrecoverableError) throw error;
        return null;
      }
      if (isTransient(error)) {
        return { items: items.map(() => ({ state: 'pending', error, countsAsTry: false })) };
      }
      return { items: items.map(() => ({ state: 'failed', ...toErrorRecord(error) })) };
    }
  }

  private async settle(items: JobItemRef[], outcome: BatchOutcome): Promise<void> {
    const done: BatchItemCheckpoint[] = [];
    const back: number[] = [];
    const uncounted: number[] = [];
    let askedMs = 0;
    let counted = false;
    items.forEach((item, n) => {
      const o = outcome.items[n];
      if (o.state !== 'pending') {
        done.push({ seq: item.seq, state: o.state, code: o.code, detail: o.detail, result: o.result });
        return;
      }
      if (o.countsAsTry && item.attempts >= this.definition.retry.itemAttempts) {
        done.push({ seq: item.seq, state: 'failed', ...toErrorRecord(o.error) });
        return;
      }
      back.push(item.seq);
      if (o.countsAsTry) counted = true;
      else uncounted.push(item.seq);
      if (o.error instanceof GatewayError && o.error.retryAfterSeconds)
        askedMs = Math.max(askedMs, o.error.retryAfterSeconds * 1000);
    });
    await this.repository.giveBackItems(this.delivery.job.id, back, uncounted);
    const { signal, finished } = await this.repository.checkpointItems(
      this.delivery.job.id,
      done,
      outcome.record,
    );
    for (const f of finished) this.metrics.itemDone(this.definition.type, f.state);
    this.finished += finished.length;
    this.delivery.observe(signal);
    // Only the vendor's own trouble (nothing finished, no answer about a user) backs the job off.
    const refused = back.length > 0 && !done.length && !counted;
    this.refusedStreak = refused ? this.refusedStreak + 1 : 0;
    const backoff = refused
      ? backoffDelay(this.definition.retry.backoffMs, this.refusedStreak, MAX_PAUSE_MS)
      : 0;
    const wait = Math.max(askedMs, backoff);
    if (wait > 0) this.pausedUntil = Math.max(this.pausedUntil, Date.now() + wait);
  }

  /** False when the job stopped while waiting. */
  private async waitWhilePaused(): Promise<boolean> {
    for (;;) {
      if (this.delivery.stopReason) return false;
      const remaining = this.pausedUntil - Date.now();
      if (remaining <= 0) return true;
      if (!(await this.sleep(remaining))) return false;
    }
  }

  private sleep(ms: number): Promise<boolean> {
    return abortableSleep(ms, this.delivery.signal);
  }

  private async reportStats(): Promise<void> {
    const now = Date.now();
    this.samples.push({ at: now, finished: this.finished });
    while (this.samples.length > 1 && now - this.samples[0].at > RATE_WINDOW_MS) this.samples.shift();
    const oldest = this.samples[0];
    const seconds = (now - oldest.at) / 1000;
    const ratePerSecond =
      seconds > 0 ? Math.round(((this.finished - oldest.finished) / seconds) * 10) / 10 : 0;
    const signal = await this.repository.reportStats(this.delivery.job.id, {
      running: this.running,
      ratePerSecond,
      waitingUntil: this.pausedUntil > now ? new Date(this.pausedUntil).toISOString() : null,
    });
    this.delivery.observe(signal);
  }
}
