import { Controller, Get, HttpCode, Param, Post, Req, Res } from '@nestjs/common';
import { Query } from '../../common/http/validated-params';
import { ApiAcceptedResponse, ApiOkResponse, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Endpoint } from '../../common/http/endpoint.decorator';
import { Meta, type RequestMeta } from '../../common/http/request-meta';
import { DEFAULT_PAGE_SIZE } from '../../common/pagination/list-query.dto';
import { Audited } from '../audit/audited.decorator';
import { JobEventsService } from './job-events.service';
import { JobItemListView, JobItemQueryDto, JobListQueryDto, JobListView, JobView } from './jobs.dto';
import { JobsService } from './jobs.service';

/** Answers a long operation: 202, `Location: /v1/jobs/{id}`, the job as body. */
export function acceptedJob(reply: FastifyReply, job: JobView): JobView {
  void reply.code(202).header('location', `/v1/jobs/${job.id}`);
  return job;
}

@ApiTags('Jobs')
@Controller('v1/jobs')
export class JobsController {
  constructor(
    private readonly jobs: JobsService,
    private readonly events: JobEventsService,
  ) {}

  @Get()
  @Endpoint({
    summary: 'List jobs, newest first',
    description: 'Tenant-bound keys see only their tenant; asking for another tenant answers 404.',
    scopes: ['jobs:read'],
    errors: ['not_found'],
  })
  @ApiOkResponse({ type: JobListView })
  list(@Meta() meta: RequestMeta, @Query() query: JobListQueryDto): Promise<JobListView> {
    return this.jobs.list(meta.principal, {
      tenantId: query.tenantId,
      type: query.type,
      state: query.state,
      limit: query.limit ?? DEFAULT_PAGE_SIZE,
      cursor: query.cursor,
    });
  }

  @Get(':id')
  @Endpoint({ summary: 'Get a job with its progress', scopes: ['jobs:read'], errors: ['not_found'] })
  @ApiOkResponse({ type: JobView })
  get(@Meta() meta: RequestMeta, @Param('id') id: string): Promise<JobView> {
    return this.jobs.get(meta.principal, id);
  }

  @Get(':id/items')
  @Endpoint({
    summary: "List a job's items (e.g. per-user results of a migration)",
    scopes: ['jobs:read'],
    errors: ['not_found'],
  })
  @ApiOkResponse({ type: JobItemListView })
  items(
    @Meta() meta: RequestMeta,
    @Param('id') id: string,
    @Query() query: JobItemQueryDto,
  ): Promise<JobItemListView> {
    return this.jobs.items(meta.principal, id, query.state, query.limit ?? DEFAULT_PAGE_SIZE, query.cursor);
  }

  @Post(':id/cancel')
  @HttpCode(200)
  @Endpoint({
    summary: 'Cancel a job',
    description:
      'A queued job is cancelled at once; a running one stops at its next checkpoint (`cancelRequestedAt` is set until then) and ends `cancelled`.',
    scopes: ['jobs:write'],
    errors: ['not_found', 'conflict'],
  })
  @ApiOkResponse({ type: JobView })
  @Audited({ action: 'job.cancel-requested', resourceType: 'job' })
  cancel(@Meta() meta: RequestMeta, @Param('id') id: string): Promise<JobView> {
    return this.jobs.cancel(meta.principal, id, meta.requestId);
  }

  @Post(':id/retry')
  @Endpoint({
    summary: 'Retry the failed items of a job',
    description: 'Only items that failed run again; succeeded items are kept. The job is queued again (202).',
    scopes: ['jobs:write'],
    errors: ['not_found', 'conflict'],
  })
  @ApiAcceptedResponse({
    type: JobView,
    headers: { Location: { description: '/v1/jobs/{id}', schema: { type: 'string' } } },
  })
  @Audited({ action: 'job.retried', resourceType: 'job' })
  async retry(
    @Meta() meta: RequestMeta,
    @Param('id') id: string,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<JobView> {
    const { job, items } = await this.jobs.retry(meta.principal, id);
    meta.auditDetail = { retriedItems: items };
    return acceptedJob(reply, job);
  }

  @Get(':id/events')
  @Endpoint({
    summary: 'Follow a job (Server-Sent Events)',
    description:
      'A `progress` event (the job) whenever it changes, at most four a second, then one `done` event with the final job; the stream then ends.',
    scopes: ['jobs:read'],
    errors: ['not_found'],
  })
  @ApiProduces('text/event-stream')
  @ApiOkResponse({
    description: 'text/event-stream of `progress` and `done` events whose data is a Job.',
    content: {
      'text/event-stream': {
        schema: { type: 'string' },
        example:
          'event: progress\ndata: {"id":"0d7f5a6e-3c1b-4a8e-9f4d-2b6c8e1a7f30","state":"running","progress":{"percent":40}}\n\n' +
          'event: done\ndata: {"id":"0d7f5a6e-3c1b-4a8e-9f4d-2b6c8e1a7f30","state":"succeeded","progress":{"percent":100}}\n\n',
      },
    },
  })
  async follow(
    @Meta() meta: RequestMeta,
    @Param('id') id: string,
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const job = await this.jobs.visible(meta.principal, id);
    this.events.stream(request, reply, job.id);
  }
}
