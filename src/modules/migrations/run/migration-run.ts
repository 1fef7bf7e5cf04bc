import type { Semaphore } from '../../../adapters/http';
import type { CallContext } from '../../../domain/ports/call-context';
import type { SecureMailServicePort } from '../../../domain/ports/secure-mail-service.port';
import type { JobPayloads } from '../../../jobs/job-payloads';

export type MigrationPayload = JobPayloads['migration'];

/** One delivery of a migration: its job, options and the vendor calls it may have in flight. */
export interface MigrationRun {
  jobId: string;
  tenantId: string;
  requestId: string;
  payload: MigrationPayload;
  signal: AbortSignal;
  /** Bounds this delivery's vendor calls to the connection's `maxConcurrency`. */
  calls: Semaphore;
}

/**
 * The job's service port bound to one call context (one audit trail). Every service's port
 * has the users operations; `migrateUsers` only secure mail's.
 */
export interface BoundUsers {
  port: SecureMailServicePort;
  ctx: CallContext;
  provider: string;
}
