import { Controller, Param, Post, Res } from '@nestjs/common';
import { ApiAcceptedResponse, ApiBody, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { Endpoint, VENDOR_ERRORS } from '../../common/http/endpoint.decorator';
import { Meta, type RequestMeta } from '../../common/http/request-meta';
import { Audited } from '../audit/audited.decorator';
import { acceptedJob } from '../jobs/jobs.controller';
import { JobView } from '../jobs/jobs.dto';
import { ArchiveVerifyDto } from './archive.dto';
import { ArchiveJobsService } from './archive-jobs.service';
import { OptionalBody } from './optional-body.decorator';

const ACCEPTED = {
  type: JobView,
  description: 'The job; follow it at `Location` (`GET /v1/jobs/{id}`, `…/events`).',
  headers: { Location: { description: '/v1/jobs/{id}', schema: { type: 'string' } } },
};
const FOLLOWED =
  'The job starts the operation in the archive and follows it by token: `progress.percent` and `progress.message` mirror the archive (and so do the job events). Cancelling the job asks the archive to cancel. A tenant without an archive connection answers 409 before any job exists.';

@ApiTags('Archive')
@Controller('v1/tenants/:tenantId/archive')
export class ArchiveOperationsController {
  constructor(private readonly jobs: ArchiveJobsService) {}

  @Post('stores/:storeId/verify')
  @Endpoint({
    summary: "Verify an archive store's consistency (job)",
    description: `MailStore VerifyStore. The job result lists the store as \`consistent\` or with the \`problems\` found. ${FOLLOWED}`,
    scopes: ['archive:write'],
    errors: VENDOR_ERRORS,
  })
  @ApiBody({ type: ArchiveVerifyDto, required: false })
  @ApiAcceptedResponse(ACCEPTED)
  @Audited({ action: 'archive.store.verification.requested', resourceType: 'archive-store' })
  async verifyStore(
    @Meta() meta: RequestMeta,
    @Param('tenantId') tenantId: string,
    @Param('storeId') storeId: string,
    @OptionalBody(ArchiveVerifyDto) body: ArchiveVerifyDto,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<JobView> {
    return acceptedJob(
      reply,
      await this.jobs.verifyStore(meta, tenantId, storeId, body.includeIndexes ?? false),
    );
  }

  @Post('verify')
  @Endpoint({
    summary: 'Verify every archive store (job)',
    description: `MailStore VerifyStores. The job result has one entry per store, each \`consistent\` or with its \`problems\`. ${FOLLOWED}`,
    scopes: ['archive:write'],
    errors: VENDOR_ERRORS,
  })
  @ApiBody({ type: ArchiveVerifyDto, required: false })
  @ApiAcceptedResponse(ACCEPTED)
  @Audited({
    action: 'archive.verification.requested',
    resourceType: 'archive',
    resourceId: ({ params }) => params.tenantId,
  })
  async verifyStores(
    @Meta() meta: RequestMeta,
    @Param('tenantId') tenantId: string,
    @OptionalBody(ArchiveVerifyDto) body: ArchiveVerifyDto,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<JobView> {
    return acceptedJob(reply, await this.jobs.verifyStores(meta, tenantId, body.includeIndexes ?? false));
  }

  @Post('stores/:storeId/compact')
  @Endpoint({
    summary: 'Compact an archive store (job)',
    description: `MailStore CompactStore: reclaims the space of deleted messages. ${FOLLOWED}`,
    scopes: ['archive:write'],
    errors: VENDOR_ERRORS,
  })
  @ApiAcceptedResponse(ACCEPTED)
  @Audited({ action: 'archive.store.compaction.requested', resourceType: 'archive-store' })
  async compactStore(
    @Meta() meta: RequestMeta,
    @Param('tenantId') tenantId: string,
    @Param('storeId') storeId: string,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<JobView> {
    return acceptedJob(reply, await this.jobs.compactStore(meta, tenantId, storeId));
  }
}
