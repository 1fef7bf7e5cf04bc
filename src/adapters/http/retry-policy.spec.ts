import {
  backoffDelayMs,
  DEFAULT_RETRY,
  isRetryableStatus,
  isSafeToRepeat,
  retryAfterMs,
  retryAfterSeconds,
} from './retry-policy';

describe('retry policy', () => {
  it('repeats reads always and writes only when marked idempotent', () => {
    expect(isSafeToRepeat({ method: 'GET' })).toBe(true);
    expect(isSafeToRepeat({ method: 'HEAD' })).toBe(true);
    expect(isSafeToRepeat({ method: 'POST' })).toBe(false);
    expect(isSafeToRepeat({ method: 'PUT' })).toBe(false);
    expect(isSafeToRepeat({ method: 'DELETE', idempotent: true })).toBe(true);
    expect(isSafeToRepeat({ method: 'PUT', idempotent: false })).toBe(false);
  });

  it('retries 429, 502, 503 and 504 only', () => {
    expect([429, 502, 503, 504].every(isRetryableStatus)).toBe(true);
    expect([200, 400, 404, 409, 500, 501].some(isRetryableStatus)).toBe(false);
  });

  it('uses full jitter below an exponential ceiling capped at maxDelayMs', () => {
    expect(backoffDelayMs(1, DEFAULT_RETRY, () => 0.999)).toBe(99);
    expect(backoffDelayMs(3, DEFAULT_RETRY, () => 0.5)).toBe(200);
    expect(backoffDelayMs(10, DEFAULT_RETRY, () => 0.999)).toBe(1998);
    expect(backoffDelayMs(2, DEFAULT_RETRY, () => 0)).toBe(0);
  });

  it('reads Retry-After as seconds or an HTTP date, on 429 and 503 only', () => {
    const now = Date.parse('2025-01-01T00:00:00Z');
    expect(retryAfterMs(429, '1', now)).toBe(1000);
    expect(retryAfterMs(503, ['2'], now)).toBe(2000);
    expect(retryAfterMs(503, 'Wed, 01 Jan 2025 00:00:03 GMT', now)).toBe(3000);
    expect(retryAfterMs(429, 'Tue, 31 Dec 2024 23:00:00 GMT', now)).toBe(0);
    expect(retryAfterMs(429, 'soon', now)).toBeUndefined();
    expect(retryAfterMs(502, '1', now)).toBeUndefined();
    expect(retryAfterMs(429, undefined, now)).toBeUndefined();
  });

  it('gives Retry-After in whole seconds, rounded up, for adapters to pass on', () => {
    const now = Date.parse('2025-01-01T00:00:00Z');
    expect(retryAfterSeconds(' 7 ', now)).toBe(7);
    expect(retryAfterSeconds('Wed, 01 Jan 2025 00:00:02 GMT', now + 500)).toBe(2);
    expect(retryAfterSeconds('Tue, 31 Dec 2024 23:00:00 GMT', now)).toBe(0);
    expect(retryAfterSeconds('', now)).toBeUndefined();
    expect(retryAfterSeconds(undefined, now)).toBeUndefined();
  });
});
