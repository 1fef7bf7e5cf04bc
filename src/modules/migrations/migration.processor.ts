import { Injectable } from '@nestjs/common';
import { UnrecoverableError } from 'bullmq';
import { AdapterRegistry } from '../../adapters/adapter-registry';
import { connectionLimits } from '../../adapters/connection-limits';
import { Semaphore } from '../../adapters/http';
import { GatewayError } from '../../domain/errors';
import { VendorCallLog } from '../../domain/vendor-call';
import { isTransient } from '../../jobs/job-errors';
import type {
  BatchOutcome,
  BatchPlan,
  BatchProcessor,
  ItemsSummary,
  JobExecution,
  JobItemRef,
} from '../../jobs/job-definition';
import { JobsRepository } from '../../jobs/jobs.repository';
import { ServicePortResolver } from '../tenants/service-port.resolver';
import { BulkMigrationService } from './run/bulk-migration.service';
import { isRetryableItemCode } from './run/migration-item.mapper';
import { ItemSecretsRepository } from './run/item-secrets.repository';
import type { MigrationPayload, MigrationRun } from './run/migration-run';
import { PerUserMigrationService } from './run/per-user-migration.service';

/** Per-user vendors: batches (checkpoints) in flight at once, so one batch's slow tail never idles the connection. */
const PER_USER_LANES = 3;
/**
 * Bulk vendors: lanes per allowed vendor call, so one lane's claim, decryption and checkpoint
 * overlap another's call instead of idling the connection; `run.calls` still caps the calls.
 */
const BULK_LANES_PER_CALL = 3;

/**
 * `migration`: creates (or in upsert mode updates) the uploaded users in the tenant's service,
 * through the same ports the users API uses. DataMotion goes in bulk (`migrateUsers`, one call
 * per batch); the others one user per call. Vendor limits come from the connection.
 */
@Injectable()
export class MigrationProcessor implements BatchProcessor<MigrationPayload> {
  readonly kind = 'batch';
  private readonly runs = new WeakMap<JobExecution<MigrationPayload>, { run: MigrationRun; bulk: boolean }>();

  constructor(
    private readonly ports: ServicePortResolver,
    private readonly registry: AdapterRegistry,
    private readonly perUser: PerUserMigrationService,
    private readonly bulk: BulkMigrationService,
    private readonly secrets: ItemSecretsRepository,
    private readonly jobs: JobsRepository,
  ) {}

  async plan(exec: JobExecution<MigrationPayload>): Promise<BatchPlan> {
    const { job } = exec;
    if (!job.tenantId) throw new UnrecoverableError('A migration job needs a tenant.');
    const origin = { requestId: requestIdOf(exec), vendorCalls: new VendorCallLog(), signal: exec.signal };
    const { service, dryRun, mode } = job.payload;
    // The operations the run will use must exist before any item is tried: else the job fails, its items wait.
    let bound;
    try {
      bound =
        service === 'secure-mail' && !dryRun
          ? await this.ports.bind(origin, job.tenantId, service, 'users.migrate')
          : await this.ports.bind(
              origin,
              job.tenantId,
              service,
              dryRun ? 'users.get' : 'users.create',
              !dryRun && mode === 'upsert' ? ['updateUser'] : [],
            );
    } catch (error) {
      // No tenant, no connection for the service or no such operation is for good; a database hiccup is not.
      throw error instanceof GatewayError && !isTransient(error) ? jobFailure(error) : error;
    }
    const { ctx, provider } = bound;
    const bulk = service === 'secure-mail';
    const descriptor = this.registry.get(provider).descriptor;
    const limits = connectionLimits(descriptor, ctx.connection.settings);
    const run: MigrationRun = {
      jobId: job.id,
      tenantId: job.tenantId,
      requestId: origin.requestId,
      payload: job.payload,
      signal: exec.signal,
      calls: new Semaphore(limits.maxConcurrency),
    };
    this.runs.set(exec, { run, bulk });
    const size = job.payload.batchSize ?? 100;
    return { size, concurrency: bulk ? limits.maxConcurrency * BULK_LANES_PER_CALL : PER_USER_LANES };
  }

  async processBatch(exec: JobExecution<MigrationPayload>, items: JobItemRef[]): Promise<BatchOutcome> {
    const state = this.runs.get(exec);
    if (!state) throw new UnrecoverableError('The migration was not planned.');
    const passwords = await this.secrets.passwords(
      exec.job.id,
      items.map((i) => i.seq),
    );
    const outcomes = state.bulk
      ? await this.bulk.migrate(state.run, items, passwords)
      : await this.perUser.migrate(state.run, items, passwords);
    const authFailure = outcomes.find((o) => o.state === 'failed' && o.code === 'provider_auth_failed');
    // Bad credentials are the connection's fault, not the users': the job fails and its items wait for a retry.
    if (authFailure && authFailure.state === 'failed') {
      throw jobFailure(
        new GatewayError('provider_auth_failed', authFailure.detail ?? 'The vendor refused the credentials.'),
      );
    }
    // A password is erased with its item, unless a retry may need it again (see RETRYABLE_ITEM_CODES).
    const keep = new Set(
      items
        .filter((item, n) => {
          const o = outcomes[n];
          return o.state === 'pending' || (o.state === 'failed' && isRetryableItemCode(o.code));
        })
        .map((item) => item.seq),
    );
    return {
      items: outcomes,
      record: (tx, finished) =>
        this.secrets.erase(
          tx,
          exec.job.id,
          finished.filter((seq) => !keep.has(seq)),
        ),
    };
  }

  async summarize(
    exec: JobExecution<MigrationPayload>,
    summary: ItemsSummary,
  ): Promise<Record<string, unknown>> {
    return {
      service: exec.job.payload.service,
      mode: exec.job.payload.mode,
      dryRun: exec.job.payload.dryRun,
      total: summary.total,
      codes: await this.jobs.countItemsByCode(exec.job.id),
    };
  }
}

const requestIdOf = (exec: JobExecution<unknown>): string => exec.job.requestId ?? `job:${exec.job.id}`;

/** Fails the whole job (its items stay pending for a retry), keeping the reason's code. */
function jobFailure(error: unknown): UnrecoverableError {
  const failure = new UnrecoverableError(error instanceof Error ? error.message : String(error));
  (failure as { cause?: unknown }).cause = error;
  return failure;
}
