import { Injectable, Logger, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import { IdempotencyService } from './idempotency.service';

const PURGE_EVERY_MS = 60 * 60 * 1000;

/** Deletes idempotency records past their 24 h, hourly; expired keys are already ignored on use. */
@Injectable()
export class IdempotencyPurger implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger(IdempotencyPurger.name);
  private timer?: NodeJS.Timeout;

  constructor(private readonly idempotency: IdempotencyService) {}

  onModuleInit(): void {
    this.timer = setInterval(() => void this.purge(), PURGE_EVERY_MS);
    this.timer.unref();
  }

  onApplicationShutdown(): void {
    if (this.timer) clearInterval(this.timer);
  }

  private async purge(): Promise<void> {
    try {
      const removed = await this.idempotency.purgeExpired();
      if (removed > 0) this.logger.log(`purged ${removed} expired idempotency records`);
    } catch (error) {
      this.logger.warn(`idempotency purge failed: ${(error as Error).message}`);
    }
  }
}
