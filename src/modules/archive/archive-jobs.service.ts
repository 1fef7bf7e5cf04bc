import { Injectable } from '@nestjs/common';
import type { RequestMeta } from '../../common/http/request-meta';
import type { JobPayloads, JobType } from '../../jobs/job-payloads';
import { JobsService } from '../jobs/jobs.service';
import type { JobView } from '../jobs/jobs.dto';
import { ARCHIVE_FOLLOW_METHODS } from '../../domain/ports/archive-service.port';
import { ServicePortResolver } from '../tenants/service-port.resolver';

/**
 * Starts long archive operations as jobs. Everything that can be refused at once (no archive
 * connection, an unsupported operation, an unknown store) is refused before a job exists.
 */
@Injectable()
export class ArchiveJobsService {
  constructor(
    private readonly ports: ServicePortResolver,
    private readonly jobs: JobsService,
  ) {}

  async verifyStore(
    meta: RequestMeta,
    tenantId: string,
    storeId: string,
    includeIndexes: boolean,
  ): Promise<JobView> {
    const { port, ctx } = await this.ports.bind(meta, tenantId, 'archive', 'stores.verify', [
      ...ARCHIVE_FOLLOW_METHODS,
      'getStore',
    ]);
    await port.getStore(ctx, storeId);
    return this.enqueue(meta, 'archive.verify-store', tenantId, { storeId, includeIndexes });
  }

  async verifyStores(meta: RequestMeta, tenantId: string, includeIndexes: boolean): Promise<JobView> {
    await this.ports.bind(meta, tenantId, 'archive', 'verify', ARCHIVE_FOLLOW_METHODS);
    return this.enqueue(meta, 'archive.verify-stores', tenantId, { includeIndexes });
  }

  async compactStore(meta: RequestMeta, tenantId: string, storeId: string): Promise<JobView> {
    const { port, ctx } = await this.ports.bind(meta, tenantId, 'archive', 'stores.compact', [
      ...ARCHIVE_FOLLOW_METHODS,
      'getStore',
    ]);
    await port.getStore(ctx, storeId);
    return this.enqueue(meta, 'archive.compact-store', tenantId, { storeId });
  }

  private async enqueue<T extends JobType>(
    meta: RequestMeta,
    type: T,
    tenantId: string,
    payload: JobPayloads[T],
  ): Promise<JobView> {
    const job = await this.jobs.enqueue(type, tenantId, payload, {
      createdBy: meta.principal.id,
      requestId: meta.requestId,
    });
    meta.auditDetail = { ...meta.auditDetail, jobId: job.id };
    return job;
  }
}
