import { Injectable } from '@nestjs/common';
import type { ArchiveOperationStatus } from '../../../domain/ports/archive-service.port';
import { ARCHIVE_FOLLOW_METHODS } from '../../../domain/ports/archive-service.port';
import { ServicePortResolver } from '../../tenants/service-port.resolver';
import type { CallOrigin } from '../../tenants/call-context.factory';
import type { JobRef } from '../../../jobs/job-definition';
import type { JobPayloads } from '../../../jobs/job-payloads';
import { ArchiveOperationProcessor, type BoundOperation } from './archive-operation.processor';

type Payload = JobPayloads['archive.compact-store'];

/** `archive.compact-store`: MailStore CompactStore on one store, followed to its end. */
@Injectable()
export class CompactStoreProcessor extends ArchiveOperationProcessor<Payload> {
  protected readonly auditAction = 'archive.store.compaction';

  constructor(private readonly ports: ServicePortResolver) {
    super();
  }

  protected async bind(origin: CallOrigin, job: JobRef<Payload>, tenantId: string): Promise<BoundOperation> {
    const { port, ctx, provider } = await this.ports.bind(
      origin,
      tenantId,
      'archive',
      'stores.compact',
      ARCHIVE_FOLLOW_METHODS,
    );
    return { port, ctx, provider, start: () => port.startCompactStore(ctx, job.payload.storeId) };
  }

  protected resource(job: JobRef<Payload>): { type: string; id: string } {
    return { type: 'archive-store', id: job.payload.storeId };
  }

  protected resultOf(_job: JobRef<Payload>, status: ArchiveOperationStatus): Record<string, unknown> {
    return { statusText: status.statusText, archiveResult: status.result ?? null };
  }
}
