import { Injectable, Logger, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import { ItemSecretsRepository } from './item-secrets.repository';

/** How long a failed or partially failed migration keeps the passwords a retry would need. */
export const SECRETS_RETENTION_MS = 24 * 3600 * 1000;
const PURGE_EVERY_MS = 10 * 60 * 1000;

/** Erases, every few minutes, the passwords of migrations that ended longer ago than the retention. */
@Injectable()
export class SecretsRetentionService implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(SecretsRetentionService.name);
  private timer?: NodeJS.Timeout;

  constructor(private readonly secrets: ItemSecretsRepository) {}

  onApplicationBootstrap(): void {
    const purge = () =>
      void this.secrets
        .purgeExpired(SECRETS_RETENTION_MS)
        .catch((error: unknown) => this.logger.warn(`migration secrets purge failed: ${String(error)}`));
    purge();
    this.timer = setInterval(purge, PURGE_EVERY_MS);
    this.timer.unref();
  }

  onModuleDestroy(): void {
    if (this.timer) clearInterval(this.timer);
  }
}
