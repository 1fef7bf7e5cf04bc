import { Client } from 'pg';
import type { CreateUserInput, ServiceKind } from '../../src/domain/model';
import type { JobView } from '../../src/modules/jobs/jobs.dto';
import { JobDispatcher } from '../../src/jobs/job-dispatcher';
import { JobsRepository } from '../../src/jobs/jobs.repository';
import { toJobView } from '../../src/jobs/job-view.mapper';
import { itemSecretAad } from '../../src/modules/migrations/run/item-secrets.repository';
import { CredentialsCipher } from '../../src/modules/tenants/credentials-cipher';
import type { TestApp } from './test-app';
import { waitFor } from './wait-for';

export interface MigrationOptions {
  dryRun?: boolean;
  mode?: 'create' | 'upsert';
  batchSize?: number;
}

/**
 * Records a migration job the way intake does (one item per user, passwords in
 * migration_item_secrets, encrypted, before the job is queued), for specs of the run half.
 */
export async function enqueueMigration(
  t: TestApp,
  tenantId: string,
  service: ServiceKind,
  users: CreateUserInput[],
  options: MigrationOptions = {},
): Promise<JobView> {
  const cipher = new CredentialsCipher(t.config.secretsKey);
  const job = await t.app.get(JobsRepository).create(
    {
      type: 'migration',
      tenantId,
      payload: {
        service,
        dryRun: options.dryRun ?? false,
        mode: options.mode ?? 'create',
        batchSize: options.batchSize ?? 100,
      },
      createdBy: 'test',
      requestId: null,
    },
    users.map(({ password: _password, ...user }) => ({ key: user.email.toLowerCase(), input: { user } })),
  );
  const db = new Client({ connectionString: t.config.databaseUrl });
  await db.connect();
  try {
    const rows: { seq: number; key: string }[] = (
      await db.query(`SELECT seq, key FROM job_items WHERE job_id = $1`, [job.id])
    ).rows;
    const passwordOf = new Map(users.map((u) => [u.email.toLowerCase(), u.password]));
    for (const row of rows) {
      const password = passwordOf.get(row.key);
      if (password === undefined) continue;
      await db.query(
        `INSERT INTO migration_item_secrets (job_id, seq, password_ciphertext) VALUES ($1, $2, $3)`,
        [job.id, row.seq, cipher.encrypt({ password }, itemSecretAad(job.id, row.seq))],
      );
    }
  } finally {
    await db.end();
  }
  await t.app.get(JobDispatcher).dispatch(job);
  return toJobView(job);
}

const FINAL = ['succeeded', 'failed', 'partially_failed', 'cancelled'];

/** Waits (without a time limit of its own beyond the test's) for the job to end. */
export function finished(t: TestApp, jobId: string, timeoutMs = 120_000): Promise<JobView> {
  return waitFor(
    async () => {
      const view = (await t.request<JobView>('GET', `/v1/jobs/${jobId}`)).body;
      return FINAL.includes(view.state) && view;
    },
    `job ${jobId} to finish`,
    timeoutMs,
    100,
  );
}

/** `count` users on `domain` with a password every vendor here accepts. */
export function someUsers(count: number, domain: string, prefix = 'user'): CreateUserInput[] {
  return Array.from({ length: count }, (_, i) => ({
    email: `${prefix}${i}@${domain}`,
    firstName: 'Mig',
    lastName: `User${i}`,
    password: `Str0ng!Pass${i}`,
  }));
}
