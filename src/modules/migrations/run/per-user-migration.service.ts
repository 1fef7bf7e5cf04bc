import { Injectable } from '@nestjs/common';
import { GatewayError } from '../../../domain/errors';
import type { CreateUserInput } from '../../../domain/model';
import type { SecureMailServicePort } from '../../../domain/ports/secure-mail-service.port';
import { VendorCallLog } from '../../../domain/vendor-call';
import type { BatchItemOutcome, JobItemRef } from '../../../jobs/job-definition';
import { type AuditRecord, AuditService } from '../../audit/audit.service';
import { ServicePortResolver } from '../../tenants/service-port.resolver';
import { failedOutcome, patchOf, succeeded, userOf, withLine } from './migration-item.mapper';
import type { BoundUsers, MigrationRun } from './migration-run';

/**
 * One user per vendor call (Open-Xchange, Hostway, MailStore): the same port methods the users
 * API calls, each item with its own call context so its audit event holds exactly its calls.
 */
@Injectable()
export class PerUserMigrationService {
  constructor(
    private readonly ports: ServicePortResolver,
    private readonly audit: AuditService,
  ) {}

  /**
   * Migrates the items at once, at most the connection's concurrency calls in flight, then
   * stores their audit events (one per item) in one insert.
   */
  async migrate(
    run: MigrationRun,
    items: JobItemRef[],
    passwords: Map<number, string>,
  ): Promise<BatchItemOutcome[]> {
    const events: AuditRecord[] = [];
    const outcomes = await Promise.all(items.map((item) => this.migrateOne(run, item, passwords, events)));
    await this.audit.recordMany(events);
    return outcomes;
  }

  /** Whether the user exists: true, false, or null when the port cannot tell (no read operation). */
  async exists(bound: BoundUsers, email: string): Promise<boolean | null> {
    if (!bound.port.getUser) return null;
    try {
      await bound.port.getUser(bound.ctx, email, { includeRaw: false });
      return true;
    } catch (error) {
      if (error instanceof GatewayError && error.code === 'not_found') return false;
      if (error instanceof GatewayError && error.code === 'unsupported_operation') return null;
      throw error;
    }
  }

  /** Dry run of one item: a read, no mutating call. */
  async preview(
    run: MigrationRun,
    bound: BoundUsers,
    item: JobItemRef,
    user: CreateUserInput,
  ): Promise<BatchItemOutcome> {
    const exists = await this.exists(bound, user.email);
    if (exists === null) {
      return succeeded(
        'would_create',
        null,
        `${bound.provider} offers no read here, so whether the user exists was not checked`,
      );
    }
    if (!exists) return succeeded('would_create');
    if (run.payload.mode === 'upsert') return succeeded('would_update');
    return {
      state: 'failed',
      code: 'conflict',
      detail: withLine(
        item,
        `${user.email} already exists at ${bound.provider}; mode create would not change it`,
      ),
    };
  }

  private async migrateOne(
    run: MigrationRun,
    item: JobItemRef,
    passwords: Map<number, string>,
    events: AuditRecord[],
  ): Promise<BatchItemOutcome> {
    const log = new VendorCallLog();
    let provider: string | undefined;
    let outcome: BatchItemOutcome;
    let email = item.key;
    try {
      const user = userOf(item, passwords.get(item.seq));
      email = user.email;
      const bound = await this.bind(run, log);
      provider = bound.provider;
      // Only the vendor calls hold one of the connection's slots; binding and auditing do not.
      outcome = await run.calls.run(() =>
        run.payload.dryRun ? this.preview(run, bound, item, user) : this.send(run, bound, item, user),
      );
    } catch (error) {
      outcome = failedOutcome(item, error);
    }
    if (log.calls.length > 0 || outcome.state !== 'pending') {
      events.push({
        actor: { type: 'job', id: run.jobId },
        tenantId: run.tenantId,
        action: 'migration.user',
        resource: { type: 'user', id: email },
        outcome: outcome.state === 'succeeded' ? 'success' : 'failure',
        requestId: run.requestId,
        jobId: run.jobId,
        provider,
        vendorCalls: log.calls,
        detail: {
          seq: item.seq,
          attempt: item.attempts,
          code: outcome.state === 'pending' ? 'retrying' : outcome.code,
          dryRun: run.payload.dryRun,
        },
      });
    }
    return outcome;
  }

  /**
   * Creates the user, or in upsert mode updates it when it exists. An item whose earlier try
   * may have reached the vendor (`attempts > 1`) is looked up first, so a user created by a try
   * that was cut short is not reported as a conflict of its own creation.
   */
  private async send(
    run: MigrationRun,
    bound: BoundUsers,
    item: JobItemRef,
    user: CreateUserInput,
  ): Promise<BatchItemOutcome> {
    const { port, ctx } = bound;
    if (item.attempts > 1 && run.payload.mode === 'create' && (await this.exists(bound, user.email))) {
      return succeeded('created', null, 'found at the vendor after an interrupted try; not sent again');
    }
    if (!port.createUser) throw unsupported(bound, 'users.create');
    try {
      const created = await port.createUser(ctx, user);
      return succeeded('created', { externalId: created.externalId });
    } catch (error) {
      if (!(error instanceof GatewayError && error.code === 'conflict' && run.payload.mode === 'upsert'))
        throw error;
    }
    if (!port.updateUser) throw unsupported(bound, 'users.update');
    const updated = await port.updateUser(ctx, user.email, patchOf(user));
    return succeeded('updated', { externalId: updated.externalId });
  }

  /**
   * The job's port through the users API's resolver, recording into `log`; secure mail's bulk
   * path asks for `users.migrate`.
   */
  async bind(run: MigrationRun, log: VendorCallLog, bulk = false): Promise<BoundUsers> {
    const origin = { requestId: run.requestId, vendorCalls: log, signal: run.signal };
    const { dryRun, service } = run.payload;
    const { port, ctx, provider } =
      bulk && !dryRun
        ? await this.ports.bind(origin, run.tenantId, 'secure-mail', 'users.migrate')
        : await this.ports.bind(origin, run.tenantId, service, dryRun ? 'users.get' : 'users.create');
    return { port: port as SecureMailServicePort, ctx, provider };
  }
}

function unsupported(bound: BoundUsers, operation: string): GatewayError {
  return new GatewayError(
    'unsupported_operation',
    `${bound.provider} does not support ${operation} (see GET /v1/providers).`,
    { provider: bound.provider },
  );
}
