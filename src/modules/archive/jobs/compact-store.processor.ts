import { Injectable } from '@nestjs/common';
import type { ArchiveOperationStatus } from '../../../domain/ports/archive-service.port';
import type { CallContext } from '../../../domain/ports/call-context';
import { ServicePortResolver } from '../../tenants/service-port.resolver';
import type { JobRef } from '../../../jobs/job-definition';
import type { JobPayloads } from '../../../jobs/job-payloads';
import { ArchiveOperationProcessor, type OperationPort } from './archive-operation.processor';

type Payload = JobPayloads['archive.compact-store'];

/** `archive.compact-store`: MailStore CompactStore on one store, followed to its end. */
@Injectable()
export class CompactStoreProcessor extends ArchiveOperationProcessor<Payload, 'stores.compact'> {
  protected readonly auditAction = 'archive.store.compaction';
  protected readonly operation = 'stores.compact';

  constructor(ports: ServicePortResolver) {
    super(ports);
  }

  protected begin(port: OperationPort<'stores.compact'>, ctx: CallContext, job: JobRef<Payload>) {
    return port.startCompactStore(ctx, job.payload.storeId);
  }

  protected resource(job: JobRef<Payload>): { type: string; id: string } {
    return { type: 'archive-store', id: job.payload.storeId };
  }

  protected resultOf(_job: JobRef<Payload>, status: ArchiveOperationStatus): Record<string, unknown> {
    return { statusText: status.statusText, archiveResult: status.result ?? null };
  }
}
