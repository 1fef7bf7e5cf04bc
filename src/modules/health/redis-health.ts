import { Inject, Injectable, Logger, type OnApplicationShutdown } from '@nestjs/common';
import IORedis from 'ioredis';
import { AppConfig } from '../../config/app-config';

/**
 * A Redis connection used only to answer readiness: it never queues commands while Redis is
 * down and its errors are logged (throttled), never thrown, so an outage shows in health
 * instead of crashing the process.
 */
@Injectable()
export class RedisHealth implements OnApplicationShutdown {
  private readonly logger = new Logger(RedisHealth.name);
  private readonly client: IORedis;
  private lastErrorLog = 0;

  constructor(@Inject(AppConfig) config: AppConfig) {
    this.client = new IORedis(config.redisUrl, {
      lazyConnect: true,
      enableOfflineQueue: false,
      maxRetriesPerRequest: 0,
      connectTimeout: 1000,
      retryStrategy: (times) => Math.min(times * 200, 2000),
    });
    this.client.on('error', (error: Error) => {
      if (Date.now() - this.lastErrorLog > 10_000) {
        this.lastErrorLog = Date.now();
        this.logger.warn(`redis unavailable: ${error.message}`);
      }
    });
    this.client.connect().catch(() => undefined);
  }

  async ping(timeoutMs = 1000): Promise<boolean> {
    try {
      const answer = await Promise.race([
        this.client.ping(),
        new Promise<never>((_, reject) => setTimeout(() => reject(new Error('timeout')), timeoutMs).unref()),
      ]);
      return answer === 'PONG';
    } catch {
      return false;
    }
  }

  async onApplicationShutdown(): Promise<void> {
    this.client.disconnect();
  }
}
