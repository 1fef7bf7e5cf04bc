import type { ProviderAdapter } from '../../../adapters/provider-adapter';
import type { Semaphore } from '../../../adapters/http';
import type { ServiceKind } from '../../../domain/model';
import type { CallContext } from '../../../domain/ports/call-context';
import type { SecureMailServicePort } from '../../../domain/ports/secure-mail-service.port';
import type { UserDirectoryPort } from '../../../domain/ports/user-directory.port';
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

/** The port serving the job's service, bound to one call context (one audit trail). */
export interface BoundPort {
  port: UserDirectoryPort & SecureMailServicePort;
  ctx: CallContext;
  provider: string;
}

const PORT_FIELD = { mail: 'mail', archive: 'archive', 'secure-mail': 'secureMail' } as const;

export function portOf(adapter: ProviderAdapter, service: ServiceKind): BoundPort['port'] | undefined {
  return adapter[PORT_FIELD[service]] as BoundPort['port'] | undefined;
}
