import type { ServiceKind } from '../../../domain/model';
import { defineJob, type JobDefinition } from '../../../jobs/job-definition';
import { MigrationProcessor } from '../migration.processor';
import { RETRYABLE_ITEM_CODES } from './migration-item.mapper';

declare module '../../../jobs/job-payloads' {
  interface JobPayloads {
    /** Items come from job_items; `batchSize` (1–1000): items per checkpoint and users per bulk vendor call. */
    migration: { service: ServiceKind; dryRun: boolean; mode: 'create' | 'upsert'; batchSize: number };
  }
}

/** The migrations feature's job type, declared to the engine by MigrationRunModule. */
export const MIGRATION_JOB_TYPES: readonly JobDefinition[] = [
  defineJob({
    type: 'migration',
    queue: 'migrations',
    processor: MigrationProcessor,
    concurrency: 4,
    itemConcurrency: 1,
    // One migration per connection at a time, across workers, so the connection's limits hold.
    perConnectionLimit: 1,
    connectionKey: (job) => (job.tenantId ? `migration:${job.tenantId}:${job.payload.service}` : null),
    // Tries per item that reached the vendor and met trouble that passes (503, 429, a per-user "unexpected error").
    retry: { attempts: 5, backoffMs: 500, itemAttempts: 10 },
    retryableItemCodes: RETRYABLE_ITEM_CODES,
  }),
];
