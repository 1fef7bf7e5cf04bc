import { Injectable } from '@nestjs/common';
import type { Readable } from 'node:stream';
import { AdapterRegistry } from '../../adapters/adapter-registry';
import type { RequestMeta } from '../../common/http/request-meta';
import { AppConfig } from '../../config/app-config';
import { GatewayError } from '../../domain/errors';
import type { ServiceKind } from '../../domain/model';
import type { JobPayloads } from '../../jobs/job-payloads';
import type { JobView } from '../jobs/jobs.dto';
import { JobsService } from '../jobs/jobs.service';
import { ServicePortResolver } from '../tenants/service-port.resolver';
import { csvExtraKinds, csvVerdicts } from './migration-csv.mapper';
import { MigrationItemsRepository } from './migration-items.repository';
import { type RowRules, type RowVerdict, rowRules, validateRow } from './migration-row.mapper';
import { type CreateMigrationDto, type CsvMigrationQueryDto, DEFAULT_BATCH_SIZE } from './migrations.dto';

type MigrationOptions = {
  service: ServiceKind;
  dryRun?: boolean;
  mode?: 'create' | 'upsert';
  batchSize?: number;
};

/**
 * Turns an upload into a queued `migration` job: every row becomes an item (a bad row a failed
 * one), stored before the job is queued. Whatever refuses the whole upload (no connection for
 * the service, a bad envelope or header, an upload past the limits) leaves nothing behind.
 */
@Injectable()
export class MigrationIntakeService {
  constructor(
    private readonly ports: ServicePortResolver,
    private readonly adapters: AdapterRegistry,
    private readonly jobs: JobsService,
    private readonly items: MigrationItemsRepository,
    private readonly config: AppConfig,
  ) {}

  async fromJson(meta: RequestMeta, tenantId: string, body: CreateMigrationDto): Promise<JobView> {
    const options = { service: body.service, ...body.options };
    const rules = await this.rulesFor(meta, tenantId, options.service);
    const users = body.users;
    async function* rows(): AsyncGenerator<RowVerdict> {
      for (let i = 0; i < users.length; i++) yield validateRow(users[i], rules, { n: i + 1 });
    }
    return this.enqueue(meta, tenantId, options, rows());
  }

  async fromCsv(
    meta: RequestMeta,
    tenantId: string,
    query: CsvMigrationQueryDto,
    body: Readable,
  ): Promise<JobView> {
    const rules = await this.rulesFor(meta, tenantId, query.service);
    const extras = csvExtraKinds(this.adapters.get(rules.provider).descriptor.extras);
    return this.enqueue(
      meta,
      tenantId,
      query,
      csvVerdicts(body, rules, this.config.migrationCsvLimits, extras),
    );
  }

  /** The target must exist (404/409/501 as on the users API); its declared limits check each row. */
  private async rulesFor(meta: RequestMeta, tenantId: string, service: ServiceKind): Promise<RowRules> {
    const { provider } = await this.ports.bind(meta, tenantId, service, 'users.create');
    return rowRules(provider, this.adapters.get(provider).descriptor.inputLimits);
  }

  private async enqueue(
    meta: RequestMeta,
    tenantId: string,
    options: MigrationOptions,
    rows: AsyncIterable<RowVerdict>,
  ): Promise<JobView> {
    const payload: JobPayloads['migration'] = {
      service: options.service,
      dryRun: options.dryRun ?? false,
      mode: options.mode ?? 'create',
      batchSize: options.batchSize ?? DEFAULT_BATCH_SIZE,
    };
    const job = await this.jobs.enqueue('migration', tenantId, payload, {
      createdBy: meta.principal.id,
      requestId: meta.requestId,
      items: async (tx, jobId) => {
        const counts = await this.items.write(tx, jobId, rows);
        if (counts.total === 0)
          throw GatewayError.validation([{ field: 'body', message: 'the upload has no rows' }]);
        return counts;
      },
    });
    await this.items.refreshStatistics(job.progress.total);
    meta.auditDetail = {
      ...meta.auditDetail,
      jobId: job.id,
      items: job.progress.total,
      failedAtIntake: job.progress.failed,
    };
    return job;
  }
}
