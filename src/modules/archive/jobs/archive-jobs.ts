import { defineJob, type JobDefinition } from '../../../jobs/job-definition';
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

/** The archive feature's job types, declared to the engine by ArchiveJobsModule. */
export const ARCHIVE_JOB_TYPES: readonly JobDefinition[] = [
  defineJob({
    type: 'archive.verify-store',
    queue: QUEUE,
    processor: VerifyStoreProcessor,
    concurrency: CONCURRENCY,
    itemConcurrency: 1,
    perConnectionLimit: PER_ARCHIVE,
    connectionKey: archiveOf,
    retry: RETRY,
  }),
  defineJob({
    type: 'archive.verify-stores',
    queue: QUEUE,
    processor: VerifyStoresProcessor,
    concurrency: CONCURRENCY,
    itemConcurrency: 1,
    perConnectionLimit: PER_ARCHIVE,
    connectionKey: archiveOf,
    retry: RETRY,
  }),
  defineJob({
    type: 'archive.compact-store',
    queue: QUEUE,
    processor: CompactStoreProcessor,
    concurrency: CONCURRENCY,
    itemConcurrency: 1,
    perConnectionLimit: PER_ARCHIVE,
    connectionKey: archiveOf,
    retry: RETRY,
  }),
];
