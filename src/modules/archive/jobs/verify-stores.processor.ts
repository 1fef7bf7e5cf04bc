import { Injectable } from '@nestjs/common';
import type { ArchiveOperationStatus } from '../../../domain/ports/archive-service.port';
import type { CallContext } from '../../../domain/ports/call-context';
import { ServicePortResolver } from '../../tenants/service-port.resolver';
import type { JobRef, OperationItem } from '../../../jobs/job-definition';
import type { JobPayloads } from '../../../jobs/job-payloads';
import { ArchiveOperationProcessor, type OperationPort } from './archive-operation.processor';
import { verificationItems, verificationResult } from './verification-result';

type Payload = JobPayloads['archive.verify-stores'];

/** `archive.verify-stores`: MailStore VerifyStores over every store, one verdict per store. */
@Injectable()
export class VerifyStoresProcessor extends ArchiveOperationProcessor<Payload, 'verify'> {
  protected readonly auditAction = 'archive.verification';
  protected readonly operation = 'verify';

  constructor(ports: ServicePortResolver) {
    super(ports);
  }

  protected begin(port: OperationPort<'verify'>, ctx: CallContext, job: JobRef<Payload>) {
    return port.startVerifyStores(ctx, job.payload.includeIndexes ?? false);
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
