import { Injectable } from '@nestjs/common';
import type { ArchiveOperationStatus } from '../../../domain/ports/archive-service.port';
import type { CallContext } from '../../../domain/ports/call-context';
import { ServicePortResolver } from '../../tenants/service-port.resolver';
import type { JobRef, OperationItem } from '../../../jobs/job-definition';
import type { JobPayloads } from '../../../jobs/job-payloads';
import { ArchiveOperationProcessor, type OperationPort } from './archive-operation.processor';
import { verificationItems, verificationResult } from './verification-result';

type Payload = JobPayloads['archive.verify-store'];

/** `archive.verify-store`: MailStore VerifyStore on one store, followed to its report. */
@Injectable()
export class VerifyStoreProcessor extends ArchiveOperationProcessor<Payload, 'stores.verify'> {
  protected readonly auditAction = 'archive.store.verification';
  protected readonly operation = 'stores.verify';

  constructor(ports: ServicePortResolver) {
    super(ports);
  }

  protected begin(port: OperationPort<'stores.verify'>, ctx: CallContext, job: JobRef<Payload>) {
    return port.startVerifyStore(ctx, job.payload.storeId, job.payload.includeIndexes ?? false);
  }

  protected resource(job: JobRef<Payload>): { type: string; id: string } {
    return { type: 'archive-store', id: job.payload.storeId };
  }

  protected resultOf(job: JobRef<Payload>, status: ArchiveOperationStatus): Record<string, unknown> {
    return verificationResult(status, job.payload.includeIndexes ?? false);
  }

  protected override itemsOf(status: ArchiveOperationStatus): OperationItem[] {
    return verificationItems(status);
  }
}
