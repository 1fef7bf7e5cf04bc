import { performance } from 'node:perf_hooks';
import { setTimeout as delay } from 'node:timers/promises';
import { Semaphore } from './semaphore';

/** The limits one connection's vendor calls keep to (connection settings, provider defaults). */
export interface ThrottleLimits {
  maxConcurrency: number;
  maxRequestsPerSecond: number;
}

/**
 * Keeps one connection's attempts within its limits in this process: at most `maxConcurrency`
 * in flight, and starts spaced at least 1/`maxRequestsPerSecond` apart.
 */
export class ConnectionThrottle {
  private readonly slots: Semaphore;
  private readonly spacingMs: number;
  private nextStart = 0;

  constructor(readonly limits: ThrottleLimits) {
    this.slots = new Semaphore(limits.maxConcurrency);
    this.spacingMs = 1000 / limits.maxRequestsPerSecond;
  }

  sameAs(limits: ThrottleLimits): boolean {
    return (
      limits.maxConcurrency === this.limits.maxConcurrency &&
      limits.maxRequestsPerSecond === this.limits.maxRequestsPerSecond
    );
  }

  run<T>(attempt: () => Promise<T>): Promise<T> {
    return this.slots.run(async () => {
      const now = performance.now();
      const start = Math.max(now, this.nextStart);
      this.nextStart = start + this.spacingMs;
      if (start > now) await delay(start - now);
      return attempt();
    });
  }
}
