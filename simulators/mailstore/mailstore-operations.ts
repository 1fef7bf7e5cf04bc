import { randomUUID } from 'node:crypto';
import type { MailStoreState, SimOperation } from './mailstore-state';

/** One phase of a long-running command, shown as `statusText` while it runs. */
export interface OperationStep {
  label: string;
  durationMs: number;
}

export interface OperationTimings {
  /** How long a finished operation's token stays known to get-status. */
  tokenTtlMs: number;
  /** How soon after cancel-async a running operation ends as failed. */
  cancelDelayMs: number;
}

/**
 * Runs long-running commands the way MailStore does: a token, a `statusVersion` that rises with
 * each visible change, `percentProgress`/`statusText`, cancellation on request, and tokens that
 * are forgotten some time after the operation ends.
 */
export class OperationRunner {
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly waiters = new Map<string, Set<() => void>>();
  private readonly cancellers = new Map<string, () => void>();

  constructor(
    private readonly state: MailStoreState,
    private readonly timings: OperationTimings,
  ) {}

  start(instanceId: string, command: string, steps: OperationStep[], finish: () => unknown): SimOperation {
    const operation: SimOperation = {
      token: randomUUID(),
      command,
      instanceId,
      statusVersion: 1,
      statusCode: 'running',
      percentProgress: 0,
      statusText: steps[0]?.label ?? command,
      result: null,
      error: null,
      cancelRequested: false,
      startedAt: Date.now(),
      finishedAt: null,
    };
    this.state.operations.set(operation.token, operation);
    const total = Math.max(
      1,
      steps.reduce((sum, s) => sum + s.durationMs, 0),
    );
    const tickMs = Math.min(500, Math.max(10, Math.floor(total / 20)));
    const ticker = setInterval(() => {
      const elapsed = Date.now() - operation.startedAt;
      if (elapsed >= total) {
        this.stop(ticker);
        this.end(operation, 'succeeded', finish(), null);
        return;
      }
      const percent = Math.min(99, Math.floor((elapsed / total) * 100));
      const text = currentLabel(steps, elapsed) ?? command;
      if (percent !== operation.percentProgress || text !== operation.statusText) {
        operation.percentProgress = percent;
        operation.statusText = text;
        this.bump(operation);
      }
    }, tickMs);
    this.timers.add(ticker);
    this.cancellers.set(operation.token, () => {
      this.stop(ticker);
      this.later(this.timings.cancelDelayMs, () =>
        this.end(operation, 'failed', null, { message: 'The operation has been cancelled by the user.' }),
      );
    });
    return operation;
  }

  /** Records the request; the operation ends shortly after, as MailStore decides when to stop. */
  cancel(operation: SimOperation): void {
    this.state.cancelRequests.push(operation.token);
    if (operation.statusCode !== 'running' || operation.cancelRequested) return;
    operation.cancelRequested = true;
    this.cancellers.get(operation.token)?.();
  }

  /** Resolves when the operation's statusVersion passes `lastKnown`, it is forgotten, or the timeout ends. */
  waitForChange(token: string, lastKnown: number, timeoutMs: number): Promise<void> {
    const operation = this.state.operations.get(token);
    if (!operation || operation.statusVersion > lastKnown || timeoutMs <= 0) return Promise.resolve();
    return new Promise((resolve) => {
      const set = this.waiters.get(token) ?? new Set<() => void>();
      this.waiters.set(token, set);
      const done = (): void => {
        clearTimeout(timer);
        this.timers.delete(timer);
        set.delete(done);
        resolve();
      };
      const timer = setTimeout(done, timeoutMs);
      this.timers.add(timer);
      set.add(done);
    });
  }

  /** Ends every timer and answers every waiting long-poll (server close or reset). */
  stopAll(): void {
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
    for (const set of this.waiters.values()) for (const done of [...set]) done();
    this.waiters.clear();
    this.cancellers.clear();
  }

  private end(
    operation: SimOperation,
    code: 'succeeded' | 'failed',
    result: unknown,
    error: SimOperation['error'],
  ): void {
    if (operation.statusCode !== 'running') return;
    operation.statusCode = code;
    operation.result = result;
    operation.error = error;
    operation.percentProgress = code === 'succeeded' ? 100 : operation.percentProgress;
    operation.statusText = code === 'succeeded' ? 'Completed.' : 'Cancelled.';
    operation.finishedAt = Date.now();
    this.cancellers.delete(operation.token);
    this.bump(operation);
    this.later(this.timings.tokenTtlMs, () => {
      this.state.operations.delete(operation.token);
      this.notify(operation.token);
    });
  }

  private bump(operation: SimOperation): void {
    operation.statusVersion += 1;
    this.notify(operation.token);
  }

  private notify(token: string): void {
    for (const done of [...(this.waiters.get(token) ?? [])]) done();
  }

  private later(ms: number, fn: () => void): void {
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      fn();
    }, ms);
    this.timers.add(timer);
  }

  private stop(ticker: NodeJS.Timeout): void {
    clearInterval(ticker);
    this.timers.delete(ticker);
  }
}

function currentLabel(steps: OperationStep[], elapsed: number): string | undefined {
  let start = 0;
  for (const step of steps) {
    if (elapsed < start + step.durationMs) return step.label;
    start += step.durationMs;
  }
  return steps.at(-1)?.label;
}
