import type { VendorRequest } from '../../domain/ports/vendor-http.port';

export interface RetryOptions {
  /** Attempts in total, the first one included. */
  maxAttempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
  /** A vendor asking to wait longer than this gets its answer returned instead of a retry. */
  maxRetryAfterMs: number;
}

export const DEFAULT_RETRY: RetryOptions = {
  maxAttempts: 3,
  baseDelayMs: 100,
  maxDelayMs: 2000,
  maxRetryAfterMs: 5000,
};

const RETRYABLE_STATUSES = new Set([429, 502, 503, 504]);
const RETRY_AFTER_STATUSES = new Set([429, 503]);

/** Repeating a call must not repeat its effect: reads always, writes only when the vendor documents them idempotent. */
export function isSafeToRepeat(request: Pick<VendorRequest, 'method' | 'idempotent'>): boolean {
  return request.method === 'GET' || request.method === 'HEAD' || request.idempotent === true;
}

export function isRetryableStatus(status: number): boolean {
  return RETRYABLE_STATUSES.has(status);
}

/** Full-jitter exponential backoff before attempt `attempt + 1` (attempt counts from 1). */
export function backoffDelayMs(
  attempt: number,
  options: RetryOptions,
  random: () => number = Math.random,
): number {
  const ceiling = Math.min(options.maxDelayMs, options.baseDelayMs * 2 ** (attempt - 1));
  return Math.floor(random() * ceiling);
}

/** A `Retry-After` value (delta seconds or an HTTP date) in milliseconds; undefined when absent or unreadable. */
function retryAfterHeaderMs(header: string | string[] | undefined, now: number): number | undefined {
  const value = (Array.isArray(header) ? header[0] : header)?.trim();
  if (!value) return undefined;
  if (/^\d+$/.test(value)) return Number(value) * 1000;
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

/**
 * The wait a vendor asked for with `Retry-After` (delta seconds or an HTTP date) on a
 * 429/503, in milliseconds; undefined when the status does not carry one or it is unreadable.
 */
export function retryAfterMs(
  status: number,
  header: string | string[] | undefined,
  now: number = Date.now(),
): number | undefined {
  return RETRY_AFTER_STATUSES.has(status) ? retryAfterHeaderMs(header, now) : undefined;
}

/** A vendor's `Retry-After` in whole seconds, for adapters passing it on with their mapped error. */
export function retryAfterSeconds(
  header: string | string[] | undefined,
  now: number = Date.now(),
): number | undefined {
  const ms = retryAfterHeaderMs(header, now);
  return ms === undefined ? undefined : Math.ceil(ms / 1000);
}
