import { Injectable } from '@nestjs/common';
import { QueueFactory } from './queue-factory';

// Drops expired leases, renews the caller's own, or takes a free slot; 1 = held, 0 = full.
const ACQUIRE = `
local now = tonumber(ARGV[1])
local ttl = tonumber(ARGV[2])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now)
if redis.call('ZSCORE', KEYS[1], ARGV[4]) or redis.call('ZCARD', KEYS[1]) < tonumber(ARGV[3]) then
  redis.call('ZADD', KEYS[1], now + ttl, ARGV[4])
  redis.call('PEXPIRE', KEYS[1], ttl)
  return 1
end
return 0`;

/**
 * A counting semaphore shared by every worker process: leases in a Redis sorted set scored by
 * their expiry, so a slot held by a killed worker frees itself after `ttlMs`.
 */
@Injectable()
export class LeaseLimiter {
  constructor(private readonly queues: QueueFactory) {}

  /** Takes (or renews) `holder`'s slot under `key` if fewer than `limit` are held. */
  async acquire(key: string, holder: string, limit: number, ttlMs: number): Promise<boolean> {
    const held = await this.queues.client.eval(
      ACQUIRE,
      1,
      this.redisKey(key),
      Date.now(),
      ttlMs,
      limit,
      holder,
    );
    return held === 1;
  }

  async release(key: string, holder: string): Promise<void> {
    await this.queues.client.zrem(this.redisKey(key), holder);
  }

  private redisKey(key: string): string {
    return `${this.queues.prefix}:mailroom-limits:${key}`;
  }
}
