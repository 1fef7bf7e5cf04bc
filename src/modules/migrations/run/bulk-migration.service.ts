import { Injectable } from '@nestjs/common';
import { GatewayError } from '../../../domain/errors';
import type { CreateUserInput } from '../../../domain/model';
import type { BulkUserResult } from '../../../domain/ports/secure-mail-service.port';
import { VendorCallLog } from '../../../domain/vendor-call';
import type { BatchItemOutcome, JobItemRef } from '../../../jobs/job-definition';
import { AuditService } from '../../audit/audit.service';
import { failedOutcome, succeeded, userOf, withLine } from './migration-item.mapper';
import type { BoundUsers, MigrationRun } from './migration-run';
import { PerUserMigrationService } from './per-user-migration.service';

const RECONCILED = 'found at the vendor after an interrupted try; not sent again';

/**
 * Batches through the vendor's bulk call (DataMotion MigrateUsers): one call per batch, each
 * user's result mapped to its item. A batch that may have reached the vendor before (its items
 * have `attempts > 1`: claimed, i.e. marked in flight, by an earlier try) is reconciled first:
 * users the port's read finds are done without being sent again. Without a read (DataMotion
 * without the /Remote API) the batch is resent: MigrateUsers is keyed by UserTag, so a resent
 * user is updated, not duplicated, and reported `created` because the earlier try created it.
 */
@Injectable()
export class BulkMigrationService {
  constructor(
    private readonly perUser: PerUserMigrationService,
    private readonly audit: AuditService,
  ) {}

  async migrate(
    run: MigrationRun,
    items: JobItemRef[],
    passwords: Map<number, string>,
  ): Promise<BatchItemOutcome[]> {
    const log = new VendorCallLog();
    const outcomes: (BatchItemOutcome | undefined)[] = new Array(items.length);
    const users: (CreateUserInput | undefined)[] = items.map((item, n) => {
      try {
        return userOf(item, passwords.get(item.seq));
      } catch (error) {
        outcomes[n] = failedOutcome(item, error);
        return undefined;
      }
    });
    let provider: string | undefined;
    try {
      const bound = await this.perUser.bind(run, log, true);
      provider = bound.provider;
      if (run.payload.dryRun) {
        const previewed = items.flatMap((_, n) => (users[n] && !outcomes[n] ? [n] : []));
        await this.each(run, previewed, async (n) => {
          outcomes[n] = await this.perUser.preview(run, bound, items[n], users[n]!);
        });
      } else {
        await this.reconcile(run, bound, items, users, outcomes);
        await this.send(bound, run, items, users, outcomes, log);
      }
    } catch (error) {
      items.forEach((item, n) => (outcomes[n] ??= failedOutcome(item, error)));
    }
    const done = items.map(
      (item, n) => outcomes[n] ?? failedOutcome(item, new GatewayError('internal', 'no outcome')),
    );
    await this.record(run, items, done, log, provider);
    return done;
  }

  private async reconcile(
    run: MigrationRun,
    bound: BoundUsers,
    items: JobItemRef[],
    users: (CreateUserInput | undefined)[],
    outcomes: (BatchItemOutcome | undefined)[],
  ): Promise<void> {
    // Only items an earlier try may have sent are looked up (each lookup is a vendor call).
    const suspects = items.flatMap((item, n) => (users[n] && !outcomes[n] && item.attempts > 1 ? [n] : []));
    await this.each(run, suspects, async (n) => {
      if (await this.perUser.exists(bound, users[n]!.email))
        outcomes[n] = succeeded('created', null, RECONCILED);
    });
  }

  private async send(
    bound: BoundUsers,
    run: MigrationRun,
    items: JobItemRef[],
    users: (CreateUserInput | undefined)[],
    outcomes: (BatchItemOutcome | undefined)[],
    log: VendorCallLog,
  ): Promise<void> {
    const pending = items.map((_, n) => n).filter((n) => users[n] && !outcomes[n]);
    if (!pending.length || !bound.port.migrateUsers) return;
    const migrateUsers = bound.port.migrateUsers.bind(bound.port);
    let results: BulkUserResult[];
    try {
      results = await run.calls.run(() =>
        migrateUsers(
          bound.ctx,
          pending.map((n) => users[n]!),
        ),
      );
    } catch (error) {
      for (const n of pending) outcomes[n] = failedOutcome(items[n], error);
      return;
    }
    // The bulk call (the batch's last vendor call) was processed: its per-user verdicts are the users' own.
    const last = log.calls[log.calls.length - 1];
    const answered = last?.status != null && last.status >= 200 && last.status < 300;
    pending.forEach((n, i) => {
      const result = results[i];
      outcomes[n] = result
        ? this.outcomeOf(run, items[n], result, bound.provider, answered)
        : failedOutcome(
            items[n],
            new GatewayError('internal', `${bound.provider} answered no result for the user`),
          );
    });
  }

  private outcomeOf(
    run: MigrationRun,
    item: JobItemRef,
    result: BulkUserResult,
    provider: string,
    answered: boolean,
  ): BatchItemOutcome {
    if (!result.ok) return failedOutcome(item, result.error, answered);
    const externalId = result.user.externalId;
    if (result.action === 'created') return succeeded('created', { externalId });
    // An update of a user this job's earlier try created is that creation, seen again.
    if (item.attempts > 1) return succeeded('created', { externalId }, 'sent again after an interrupted try');
    if (run.payload.mode === 'upsert') return succeeded('updated', { externalId });
    return {
      state: 'failed',
      code: 'conflict',
      detail: withLine(
        item,
        `${result.email} already existed at ${provider} (UserTag ${externalId ?? result.email}); MigrateUsers creates or updates, so its fields were updated`,
      ),
    };
  }

  /** Runs `task` for each of the item indexes, as many at once as the connection allows. */
  private async each(
    run: MigrationRun,
    indexes: number[],
    task: (n: number) => Promise<void>,
  ): Promise<void> {
    await Promise.all(indexes.map((n) => run.calls.run(() => task(n))));
  }

  /** One audit event per batch: the batch's vendor calls and what became of its items. */
  private async record(
    run: MigrationRun,
    items: JobItemRef[],
    outcomes: BatchItemOutcome[],
    log: VendorCallLog,
    provider: string | undefined,
  ): Promise<void> {
    if (!log.calls.length) return;
    const codes: Record<string, number> = {};
    for (const o of outcomes) {
      const code = o.state === 'pending' ? 'retrying' : (o.code ?? o.state);
      codes[code] = (codes[code] ?? 0) + 1;
    }
    await this.audit.record({
      actor: { type: 'job', id: run.jobId },
      tenantId: run.tenantId,
      action: 'migration.batch',
      resource: { type: 'job', id: run.jobId },
      outcome: outcomes.every((o) => o.state === 'succeeded') ? 'success' : 'failure',
      requestId: run.requestId,
      jobId: run.jobId,
      provider,
      vendorCalls: log.calls,
      detail: {
        firstSeq: items[0].seq,
        lastSeq: items[items.length - 1].seq,
        users: items.length,
        codes,
        dryRun: run.payload.dryRun,
      },
    });
  }
}
