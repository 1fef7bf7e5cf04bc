import type { ServiceKind } from '../domain/model';

/**
 * Payload of each job type: ids and options only, never credentials (processors resolve
 * connections at run time). Test suites add their own types by declaration merging.
 */
export interface JobPayloads {
  'archive.verify-store': { storeId: string; includeIndexes?: boolean };
  'archive.verify-stores': { includeIndexes?: boolean };
  /** Items come from job_items; `batchSize` (1–1000): items per checkpoint and users per bulk vendor call. */
  migration: { service: ServiceKind; dryRun: boolean; mode: 'create' | 'upsert'; batchSize: number };
}

export type JobType = keyof JobPayloads & string;
