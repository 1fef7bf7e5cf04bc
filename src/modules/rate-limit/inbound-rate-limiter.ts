import { Injectable, Logger } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { RateLimiterMemory, RateLimiterRedis, RateLimiterRes } from 'rate-limiter-flexible';
import { AppConfig } from '../../config/app-config';
import { GatewayError } from '../../domain/errors';
import { QueueFactory } from '../../jobs/queue-factory';
import type { Principal } from '../../common/auth/principal';

/** One fixed-window bucket family shared by every process through Redis. */
interface Bucket {
  name: string;
  limit: number;
  limiter: RateLimiterRedis;
}

interface Verdict {
  limit: number;
  res: RateLimiterRes;
  refused: boolean;
}

/**
 * Inbound limits per API key and per tenant (and per client address for requests without a
 * valid key), counted in Redis under QUEUE_PREFIX so every API process shares the counters.
 * Each answer carries the IETF draft's RateLimit-* headers of its tightest bucket.
 */
@Injectable()
export class InboundRateLimiter {
  private readonly logger = new Logger(InboundRateLimiter.name);
  private readonly perKey: Bucket | null;
  private readonly perTenant: Bucket | null;

  constructor(config: AppConfig, queues: QueueFactory) {
    const bucket = (name: string, limit: number): Bucket | null => {
      if (limit === 0) return null;
      const duration = config.rateLimitWindowSeconds;
      return {
        name,
        limit,
        limiter: new RateLimiterRedis({
          storeClient: queues.client,
          keyPrefix: `${config.queuePrefix}:rate-limit:${name}`,
          points: limit,
          duration,
          // While Redis is unreachable each process counts alone rather than refusing everyone.
          insuranceLimiter: new RateLimiterMemory({ points: limit, duration }),
        }),
      };
    };
    this.perKey = bucket('key', config.rateLimitPerKey);
    this.perTenant = bucket('tenant', config.rateLimitPerTenant);
  }

  /** Counts a request of a known key; throws `rate_limited` once a bucket is spent. */
  async admit(request: FastifyRequest, reply: FastifyReply, principal: Principal): Promise<void> {
    const params = (request.params ?? {}) as Record<string, string | undefined>;
    const tenantId = principal.tenantId ?? params.tenantId;
    const verdicts = await Promise.all([
      this.consume(this.perKey, principal.id),
      tenantId === undefined ? null : this.consume(this.perTenant, tenantId),
    ]);
    this.decide(reply, verdicts);
  }

  /** Requests without a valid key count against their client address, with the per-key limit. */
  async admitAnonymous(request: FastifyRequest, reply: FastifyReply): Promise<void> {
    this.decide(reply, [await this.consume(this.perKey, `ip:${request.ip}`)]);
  }

  private async consume(bucket: Bucket | null, id: string): Promise<Verdict | null> {
    if (!bucket) return null;
    try {
      return { limit: bucket.limit, res: await bucket.limiter.consume(id), refused: false };
    } catch (outcome) {
      if (outcome instanceof RateLimiterRes) return { limit: bucket.limit, res: outcome, refused: true };
      this.logger.warn(`rate limit ${bucket.name} not counted: ${(outcome as Error).message}`);
      return null;
    }
  }

  private decide(reply: FastifyReply, verdicts: (Verdict | null)[]): void {
    let tightest: Verdict | null = null;
    for (const verdict of verdicts) {
      if (!verdict) continue;
      if (!tightest || rank(verdict) < rank(tightest)) tightest = verdict;
    }
    if (!tightest) return;
    const resetSeconds = Math.max(1, Math.ceil(tightest.res.msBeforeNext / 1000));
    void reply.headers({
      'ratelimit-limit': String(tightest.limit),
      'ratelimit-remaining': String(tightest.refused ? 0 : Math.max(0, tightest.res.remainingPoints)),
      'ratelimit-reset': String(resetSeconds),
    });
    if (tightest.refused) {
      throw new GatewayError('rate_limited', `Too many requests; retry in ${resetSeconds} s.`, {
        retryAfterSeconds: resetSeconds,
      });
    }
  }
}

/** A refused bucket first, then the one with the fewest requests left. */
function rank(verdict: Verdict): number {
  return verdict.refused ? -1 : verdict.res.remainingPoints;
}
