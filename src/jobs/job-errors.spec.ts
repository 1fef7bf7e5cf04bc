import { UnrecoverableError } from 'bullmq';
import { GatewayError } from '../domain/errors';
import { backoffDelay, isTransient, JobStoppedError, toErrorRecord } from './job-errors';

describe('job errors', () => {
  it('retries vendor outages, rate limits and unknown failures; not permanent refusals', () => {
    expect(isTransient(new GatewayError('provider_unavailable', 'down'))).toBe(true);
    expect(isTransient(new GatewayError('rate_limited', 'slow down'))).toBe(true);
    expect(isTransient(new Error('Connection terminated unexpectedly'))).toBe(true);
    expect(isTransient(new GatewayError('provider_rejected', 'no'))).toBe(false);
    expect(isTransient(new GatewayError('provider_auth_failed', 'bad credentials'))).toBe(false);
    expect(isTransient(new UnrecoverableError('give up'))).toBe(false);
    expect(isTransient(new JobStoppedError('cancel'))).toBe(false);
  });

  it("follows the vendor's own retry verdict when the error carries one", () => {
    expect(isTransient(new GatewayError('conflict', 'taken', { retryable: true }))).toBe(true);
    expect(isTransient(new GatewayError('provider_unavailable', 'broken', { retryable: false }))).toBe(false);
  });

  it('keeps the code and detail of gateway errors but never the message of unknown ones', () => {
    expect(toErrorRecord(new GatewayError('provider_rejected', 'mailbox exists'))).toEqual({
      code: 'provider_rejected',
      detail: 'mailbox exists',
    });
    const record = toErrorRecord(new TypeError('postgres://user:secret@db/x refused'));
    expect(record.code).toBe('internal');
    expect(record.detail).not.toContain('secret');
    expect(record.detail).toContain('TypeError');
  });

  it('backs off exponentially with jitter, capped', () => {
    for (let attempt = 1; attempt <= 4; attempt++) {
      const full = 100 * 2 ** (attempt - 1);
      const delay = backoffDelay(100, attempt);
      expect(delay).toBeGreaterThanOrEqual(full / 2);
      expect(delay).toBeLessThanOrEqual(full);
    }
    expect(backoffDelay(1000, 30, 5000)).toBeLessThanOrEqual(5000);
  });
});
