import { Injectable } from '@nestjs/common';
import type { ArchiveOperationStatus } from '../../../domain/ports/archive-service.port';
import { ARCHIVE_FOLLOW_METHODS } from '../../../domain/ports/archive-service.port';
import { ServicePortResolver } from '../../tenants/service-port.resolver';
import type { CallOrigin } from '../../tenants/call-context.factory';
import type { JobRef, OperationItem } from '../../../jobs/job-definition';
import type { JobPayloads } from '../../../jobs/job-payloads';
import { ArchiveOperationProcessor, type BoundOperation } from './archive-operation.processor';
import { verificationItems, verificationResult } from './verification-result';

type Payload = JobPayloads['archive.verify-stores'];

/** `archive.verify-stores`: MailStore VerifyStores over every store, one verdict per store. */
@Injectable()
export class VerifyStoresProcessor extends ArchiveOperationProcessor<Payload> {
  protected readonly auditAction = 'archive.verification';

  constructor(private readonly ports: ServicePortResolver) {
    super();
  }

  protected async bind(origin: CallOrigin, job: JobRef<Payload>, tenantId: string): Promise<BoundOperation> {
    const { port, ctx, provider } = await this.ports.bind(
      origin,
      tenantId,
      'archive',
      'verify',
      ARCHIVE_FOLLOW_METHODS,
    );
    const includeIndexes = job.payload.includeIndexes ?? false;
    return { port, ctx, provider, start: () => port.startVerifyStores(ctx, includeIndexes) };
  }

  protected resource(job: JobRef<Payload>): { type: string; id: string | null } {
    return { type: 'archive', id: job.tenantId };
  }

  protected resultOf(job: JobRef<Payload>, status: ArchiveOperationStatus): Record<string, unknown> {
    return verificationResult(status, job.payload.includeIndexes ?? false);
  }

  protected override itemsOf(status: ArchiveOperationStatus): OperationItem[] {
    return verificationItems(status);
  }
}
