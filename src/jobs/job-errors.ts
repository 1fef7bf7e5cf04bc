import { UnrecoverableError } from 'bullmq';
import { GatewayError } from '../domain/errors';
import type { JobErrorRecord } from './job.entity';
import type { StopReason } from './job-definition';

/** Thrown inside a processor once its job was asked to stop (cancel or shutdown). */
export class JobStoppedError extends Error {
  constructor(readonly reason: StopReason) {
    super(`job stopped: ${reason}`);
    this.name = 'JobStoppedError';
  }
}

/** Codes worth another try: the vendor or our own infrastructure may recover. */
const TRANSIENT_CODES = new Set(['provider_unavailable', 'rate_limited', 'internal']);

/**
 * Transient errors are retried with backoff; UnrecoverableError and GatewayErrors with a
 * permanent code (validation, not found, provider_rejected, auth…) are not, unless the vendor's
 * answer said otherwise (GatewayError.retryable). Anything else
 * (a dropped database connection, a Redis hiccup) is presumed transient.
 */
export function isTransient(error: unknown): boolean {
  if (error instanceof UnrecoverableError || error instanceof JobStoppedError) return false;
  if (error instanceof GatewayError) return error.retryable ?? TRANSIENT_CODES.has(error.code);
  return true;
}

/** What a job or item records about a failure: a stable code and a safe message. */
export function toErrorRecord(error: unknown): JobErrorRecord {
  if (error instanceof GatewayError) return { code: error.code, detail: error.detail };
  if (error instanceof UnrecoverableError) {
    // A processor failing its whole job for a vendor reason (bad credentials) keeps the reason's code.
    const cause = (error as { cause?: unknown }).cause;
    if (cause instanceof GatewayError) return { code: cause.code, detail: cause.detail };
    return { code: 'internal', detail: error.message };
  }
  // Unknown errors may carry connection strings or vendor bodies; keep only their class.
  const name = error instanceof Error ? error.name : typeof error;
  return { code: 'internal', detail: `The job step failed unexpectedly (${name}); see the worker log.` };
}

/** Milliseconds to wait before try `attempt` (1-based): exponential with jitter, capped. */
export function backoffDelay(baseMs: number, attempt: number, capMs = 60_000): number {
  const exponential = Math.min(capMs, baseMs * 2 ** Math.max(0, attempt - 1));
  return Math.round(exponential / 2 + (Math.random() * exponential) / 2);
}
