import { Controller, Param, Post, Res } from '@nestjs/common';
import { ApiAcceptedResponse, ApiBody, ApiConsumes, ApiQuery, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { Endpoint, VENDOR_ERRORS } from '../../common/http/endpoint.decorator';
import { Meta, type RequestMeta } from '../../common/http/request-meta';
import { RouteBody } from '../../common/http/route-bodies';
import { SERVICES } from '../../domain/model';
import { Audited } from '../audit/audited.decorator';
import { acceptedJob } from '../jobs/jobs.controller';
import { JobView } from '../jobs/jobs.dto';
import { MigrationIntakeService } from './migration-intake.service';
import { type MigrationUpload, MigrationUploadParam } from './migration-upload.decorator';
import { CreateMigrationDto, MAX_JSON_USERS, MIGRATION_MODES } from './migrations.dto';

/** 10,000 users of up to ~1.6 KB each; larger migrations come as CSV, which is streamed. */
const JSON_UPLOAD_LIMIT = 16 * 1024 * 1024;

@ApiTags('Migrations')
@Controller('v1/tenants/:tenantId/migrations')
export class MigrationsController {
  constructor(private readonly intake: MigrationIntakeService) {}

  @Post()
  @RouteBody({ jsonLimit: JSON_UPLOAD_LIMIT, streamed: ['text/csv'] })
  @Endpoint({
    summary: 'Migrate users in bulk (job)',
    description:
      `JSON (\`{service, users[], options}\`, up to ${MAX_JSON_USERS} users, 16 MiB) or \`text/csv\` with a header row ` +
      '(columns `email, firstName, lastName, password, externalId, quotaMb, plan, aliases` and `extras.<name>`; ' +
      '`aliases` separated by `;`), options in the query. Streamed, up to 1,000,000 rows. Every row becomes an item of ' +
      'the job; a bad or repeated row is a failed item (`validation_failed`, `bad_request`, `duplicate_in_upload`, ' +
      'with `line <n>` for CSV), never a refused upload. 409 when the tenant has no connection for the service; ' +
      '413 past the size limits; 422 for a bad envelope or an unknown CSV column.',
    scopes: ['migrations:write'],
    errors: [...VENDOR_ERRORS, 'bad_request', 'payload_too_large', 'unsupported_media_type'],
  })
  @ApiConsumes('application/json', 'text/csv')
  @ApiBody({ type: CreateMigrationDto })
  @ApiQuery({ name: 'service', required: false, enum: SERVICES, description: 'CSV only (required there).' })
  @ApiQuery({ name: 'dryRun', required: false, type: Boolean, description: 'CSV only.' })
  @ApiQuery({ name: 'mode', required: false, enum: MIGRATION_MODES, description: 'CSV only.' })
  @ApiQuery({ name: 'batchSize', required: false, type: Number, description: 'CSV only; 1-1000.' })
  @ApiAcceptedResponse({
    type: JobView,
    description: 'The `migration` job with its items stored; follow it at `Location`.',
    headers: { Location: { description: '/v1/jobs/{id}', schema: { type: 'string' } } },
  })
  @Audited({
    action: 'migration.requested',
    resourceType: 'job',
    resourceId: ({ result }) => (result as JobView | undefined)?.id,
    // Never the users: they can hold passwords, and a million of them is no audit detail.
    request: ({ body }) =>
      body && typeof body === 'object' && 'users' in body
        ? {
            service: (body as CreateMigrationDto).service,
            users: (body as CreateMigrationDto).users.length,
            options: (body as CreateMigrationDto).options,
          }
        : body,
  })
  async create(
    @Meta() meta: RequestMeta,
    @Param('tenantId') tenantId: string,
    @MigrationUploadParam() upload: MigrationUpload,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<JobView> {
    const job =
      upload.kind === 'json'
        ? await this.intake.fromJson(meta, tenantId, upload.body)
        : await this.intake.fromCsv(meta, tenantId, upload.query, upload.body);
    return acceptedJob(reply, job);
  }
}
