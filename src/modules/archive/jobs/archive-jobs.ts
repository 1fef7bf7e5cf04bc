import { defineJob, type JobDefinition } from '../../../jobs/job-definition';
import type { JobPayloads } from '../../../jobs/job-payloads';
import { CompactStoreProcessor } from './compact-store.processor';
import { VerifyStoreProcessor } from './verify-store.processor';
import { VerifyStoresProcessor } from './verify-stores.processor';

declare module '../../../jobs/job-payloads' {
  interface JobPayloads {
    'archive.verify-store': { storeId: string; includeIndexes?: boolean };
    'archive.verify-stores': { includeIndexes?: boolean };
    'archive.compact-store': { storeId: string };
  }
}

/** Archive operations mostly wait on long-polls, so a worker can follow many at once. */
const QUEUE = 'archive-operations';
const CONCURRENCY = 8;
/** Long operations one tenant's archive runs at once; more wait their turn in the queue. */
const PER_ARCHIVE = 2;
/** Transient vendor failures while following retry the delivery, which resumes from the checkpointed token. */
const RETRY = { attempts: 8, backoffMs: 2000, itemAttempts: 1 };
const archiveOf = (job: { tenantId: string | null }): string | null =>
  job.tenantId ? `archive:${job.tenantId}` : null;

/** One archive job type: every archive operation queues, limits and retries the same way. */
const archiveJob = <T extends 'archive.verify-store' | 'archive.verify-stores' | 'archive.compact-store'>(
  type: T,
  processor: JobDefinition<JobPayloads[T]>['processor'],
): JobDefinition =>
  defineJob({
    type,
    queue: QUEUE,
    processor,
    concurrency: CONCURRENCY,
    itemConcurrency: 1,
    perConnectionLimit: PER_ARCHIVE,
    connectionKey: archiveOf,
    retry: RETRY,
  });

/** The archive feature's job types, declared to the engine by ArchiveJobsModule. */
export const ARCHIVE_JOB_TYPES: readonly JobDefinition[] = [
  archiveJob('archive.verify-store', VerifyStoreProcessor),
  archiveJob('archive.verify-stores', VerifyStoresProcessor),
  archiveJob('archive.compact-store', CompactStoreProcessor),
];
