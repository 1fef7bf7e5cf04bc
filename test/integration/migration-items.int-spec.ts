import { randomBytes, randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { dataSourceOptions, runMigrations } from '../../src/database/data-source';
import { GatewayError } from '../../src/domain/errors';
import { MigrationItemsRepository } from '../../src/modules/migrations/migration-items.repository';
import { rowRules, type RowVerdict, validateRow } from '../../src/modules/migrations/migration-row.mapper';
import { MigrationSecretsService } from '../../src/modules/migrations/migration-secrets.service';
import { CredentialsCipher } from '../../src/modules/tenants/credentials-cipher';
import { dropDatabase, testDatabaseUrl, uniqueName } from '../support/test-env';

const rules = rowRules('hostway', undefined);

async function* rowsOf(verdicts: RowVerdict[], failAfter?: number): AsyncGenerator<RowVerdict> {
  for (let i = 0; i < verdicts.length; i++) {
    if (failAfter !== undefined && i === failAfter)
      throw new GatewayError('payload_too_large', 'too many rows');
    yield verdicts[i];
  }
}

describe('MigrationItemsRepository on Postgres', () => {
  const database = uniqueName('mailroom_test');
  let db: DataSource;
  let repository: MigrationItemsRepository;
  const cipher = new CredentialsCipher(randomBytes(32));

  /** A job row and its items in one transaction, as JobsRepository.create runs an ItemsWriter. */
  const writeJob = async (rows: AsyncIterable<RowVerdict>) => {
    const jobId = randomUUID();
    let counts: unknown;
    await db.transaction(async (tx) => {
      await tx.query(
        `INSERT INTO jobs (id, type, state, created_by) VALUES ($1, 'migration', 'queued', 'spec')`,
        [jobId],
      );
      counts = await repository.write(tx, jobId, rows);
    });
    return { jobId, counts };
  };
  const tableCounts = async () =>
    (
      await db.query(
        `SELECT (SELECT count(*) FROM jobs)::int AS jobs, (SELECT count(*) FROM job_items)::int AS items,
           (SELECT count(*) FROM migration_item_secrets)::int AS secrets`,
      )
    )[0];

  beforeAll(async () => {
    const url = testDatabaseUrl(database);
    await runMigrations(url);
    db = new DataSource(dataSourceOptions(url));
    await db.initialize();
    repository = new MigrationItemsRepository(new MigrationSecretsService(cipher), db);
  });

  afterAll(async () => {
    await db.destroy();
    await dropDatabase(database);
  });

  it('writes one item per row across batches, repeats as duplicate_in_upload, passwords encrypted per item', async () => {
    const n = 12_003;
    const verdicts = Array.from({ length: n }, (_, i) => {
      const user =
        i % 1000 === 999 ? { email: `user${i - 500}@example.com` } : { email: `user${i}@example.com` };
      const password = i % 2 === 0 ? { password: `Pw-${i}\t"x"\\` } : {};
      return validateRow({ ...user, ...password, firstName: `F\n${i}` }, rules, { n: i + 1, line: i + 2 });
    });
    const { jobId, counts } = await writeJob(rowsOf(verdicts));

    expect(counts).toEqual({ total: n, failed: 12 });
    const items = await db.query(
      `SELECT seq, key, state, code, detail, input FROM job_items WHERE job_id = $1 ORDER BY seq`,
      [jobId],
    );
    expect(items).toHaveLength(n);
    expect(items[0]).toEqual({
      seq: 1,
      key: 'user0@example.com',
      state: 'pending',
      code: null,
      detail: null,
      input: { line: 2, user: { email: 'user0@example.com', firstName: 'F\n0' } },
    });
    expect(items[999]).toEqual({
      seq: 1000,
      key: 'user499@example.com#line:1001',
      state: 'failed',
      code: 'duplicate_in_upload',
      detail: 'line 1001: user499@example.com is already on line 501; only that row is migrated',
      input: { line: 1001 },
    });
    const secrets = await db.query(
      `SELECT seq, password_ciphertext FROM migration_item_secrets WHERE job_id = $1 ORDER BY seq`,
      [jobId],
    );
    // Even rows carry a password; the repeats (odd positions 999, 1999, …) carry none.
    expect(secrets).toHaveLength(Math.ceil(n / 2));
    expect(cipher.decrypt(secrets[0].password_ciphertext, `${jobId}:1`)).toEqual({ password: 'Pw-0\t"x"\\' });
    expect(() => cipher.decrypt(secrets[0].password_ciphertext, `${jobId}:3`)).toThrow();
  });

  it('leaves nothing behind when the upload fails part-way (the transaction rolls back)', async () => {
    const verdicts = Array.from({ length: 9000 }, (_, i) =>
      validateRow({ email: `late${i}@example.com`, password: 'Secret-1!' }, rules, { n: i + 1 }),
    );
    const before = await tableCounts();
    await expect(writeJob(rowsOf(verdicts, 7000))).rejects.toMatchObject({ code: 'payload_too_large' });
    const after = await tableCounts();
    expect(after).toEqual(before);
  });

  it('keeps the first valid row of an address, whatever failed before it', async () => {
    const verdicts = [
      validateRow({ email: 'Ann@example.com', firstName: '' }, rules, { n: 2, line: 2 }),
      validateRow({ email: 'ann@example.com', firstName: 'Ann' }, rules, { n: 3, line: 3 }),
      validateRow({ email: 'ANN@example.com', firstName: 'Again' }, rules, { n: 4, line: 4 }),
    ];
    const { jobId } = await writeJob(rowsOf(verdicts));
    const items = await db.query(`SELECT key, state, code FROM job_items WHERE job_id = $1 ORDER BY seq`, [
      jobId,
    ]);
    expect(items).toEqual([
      { key: 'ann@example.com#line:2', state: 'failed', code: 'validation_failed' },
      { key: 'ann@example.com', state: 'pending', code: null },
      { key: 'ann@example.com#line:4', state: 'failed', code: 'duplicate_in_upload' },
    ]);
  });
});
