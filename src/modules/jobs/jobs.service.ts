import { Injectable } from '@nestjs/common';
import { GatewayError } from '../../domain/errors';
import type { Page } from '../../domain/model';
import { JobCatalogue } from '../../jobs/job-catalogue';
import { JobDispatcher } from '../../jobs/job-dispatcher';
import type { JobPayloads, JobType } from '../../jobs/job-payloads';
import { AuditService } from '../audit/audit.service';
import type { Principal } from '../../common/auth/principal';
import type { ItemState, JobEntity, JobState } from '../../jobs/job.entity';
import type { JobItemView, JobView } from './jobs.dto';
import { type ItemsWriter, JobsRepository, type NewJobItem } from '../../jobs/jobs.repository';
import { toJobItemView, toJobView } from '../../jobs/job-view.mapper';

export interface EnqueueOptions {
  /** Who asked: an API key id, `webhook:<source>` or `system`. */
  createdBy: string;
  /** The request that asked, so the job's audit events correlate with it. */
  requestId?: string | null;
  /**
   * Per-item work; may be a stream. Keys must be unique within the job. An ItemsWriter writes
   * them itself (in bulk, some already failed) in the transaction that creates the job.
   */
  items?: Iterable<NewJobItem> | AsyncIterable<NewJobItem> | ItemsWriter;
}

/** The jobs of API.md: enqueue for other modules, read, cancel and retry for dashboards. */
@Injectable()
export class JobsService {
  constructor(
    private readonly repository: JobsRepository,
    private readonly catalogue: JobCatalogue,
    private readonly dispatcher: JobDispatcher,
    private readonly audit: AuditService,
  ) {}

  /** Records the job (and its items) in Postgres, then queues it; answer it with 202 + Location. */
  async enqueue<T extends JobType>(
    type: T,
    tenantId: string | null,
    payload: JobPayloads[T],
    options: EnqueueOptions,
  ): Promise<JobView> {
    this.catalogue.get(type);
    const job = await this.repository.create(
      {
        type,
        tenantId,
        payload: payload as unknown as Record<string, unknown>,
        createdBy: options.createdBy,
        requestId: options.requestId ?? null,
      },
      options.items,
    );
    await this.dispatcher.dispatch(job);
    return toJobView(job);
  }

  /**
   * Records and queues several item-less jobs of one type at once (one insert, one queue round
   * trip): for producers of many small jobs. Answers the job ids in the order of `jobs`.
   */
  async enqueueMany<T extends JobType>(
    type: T,
    jobs: readonly { tenantId: string | null; payload: JobPayloads[T]; options: EnqueueOptions }[],
  ): Promise<string[]> {
    this.catalogue.get(type);
    const created = await this.repository.createMany(
      jobs.map((job) => ({
        type,
        tenantId: job.tenantId,
        payload: job.payload as unknown as Record<string, unknown>,
        createdBy: job.options.createdBy,
        requestId: job.options.requestId ?? null,
      })),
    );
    await this.dispatcher.dispatchMany(created);
    return created.map((job) => job.id);
  }

  async list(
    principal: Principal,
    filter: { tenantId?: string; type?: string; state?: JobState; limit: number; cursor?: string },
  ): Promise<Page<JobView>> {
    const bound = principal.tenantId;
    if (bound && filter.tenantId && filter.tenantId !== bound)
      throw GatewayError.notFound(`Tenant "${filter.tenantId}"`);
    const page = await this.repository.list({ ...filter, tenantId: bound ?? filter.tenantId });
    return { data: page.data.map(toJobView), nextCursor: page.nextCursor };
  }

  async get(principal: Principal, id: string): Promise<JobView> {
    return toJobView(await this.visible(principal, id));
  }

  async items(
    principal: Principal,
    id: string,
    state: ItemState | undefined,
    limit: number,
    cursor?: string,
  ): Promise<Page<JobItemView>> {
    const job = await this.visible(principal, id);
    const page = await this.repository.listItems(job.id, state, limit, cursor);
    return { data: page.data.map(toJobItemView), nextCursor: page.nextCursor };
  }

  /** Queued jobs end at once; running ones stop at their next checkpoint. */
  async cancel(principal: Principal, id: string, requestId: string): Promise<JobView> {
    const job = await this.visible(principal, id);
    if (job.state !== 'queued' && job.state !== 'running') {
      throw new GatewayError('conflict', `Job "${id}" already finished (${job.state}).`);
    }
    const { job: after, cancelledNow } = await this.repository.requestCancel(id);
    if (cancelledNow) {
      await this.dispatcher.withdraw(after);
      await this.audit.record({
        actor: { type: 'api-key', id: principal.id },
        tenantId: after.tenantId,
        action: 'job.finished',
        resource: { type: 'job', id },
        outcome: 'success',
        requestId,
        jobId: id,
        detail: { type: after.type, state: after.state, progress: toJobView(after).progress },
      });
    }
    return toJobView(after);
  }

  /**
   * Runs the job again for its failed items only (those its type calls retryable), or the
   * whole operation when it has no items.
   */
  async retry(principal: Principal, id: string): Promise<{ job: JobView; items: number }> {
    const job = await this.visible(principal, id);
    if (!this.catalogue.has(job.type))
      throw new GatewayError('conflict', `Job type "${job.type}" is no longer available.`);
    const retried = await this.repository.retry(id, this.catalogue.get(job.type).retryableItemCodes);
    if (!retried) {
      throw new GatewayError(
        'conflict',
        `Only failed or partially failed jobs can be retried; job "${id}" is ${job.state}.`,
      );
    }
    await this.dispatcher.dispatch(retried.job);
    return { job: toJobView(retried.job), items: retried.items };
  }

  /** The job, if the principal may see it; another tenant's job is not found. */
  async visible(principal: Principal, id: string): Promise<JobEntity> {
    const job = await this.repository.find(id);
    if (!job || (principal.tenantId && job.tenantId !== principal.tenantId))
      throw GatewayError.notFound(`Job "${id}"`);
    return job;
  }
}
