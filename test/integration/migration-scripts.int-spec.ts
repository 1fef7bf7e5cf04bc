import { execFile } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { Client } from 'pg';
import { runMigrations } from '../../src/database/data-source';
import { dropDatabase, testDatabaseUrl, uniqueName } from '../support/test-env';

const run = promisify(execFile);
const ROOT = join(__dirname, '..', '..');

/** `npm run <script> -- args` with DATABASE_URL, and no developer .env. */
function npm(script: string, databaseUrl: string, ...args: string[]) {
  return run('npm', ['run', '--silent', script, '--', ...args], {
    cwd: ROOT,
    env: { ...process.env, DATABASE_URL: databaseUrl, ENV_FILE: '' },
  });
}

describe('migration scripts (TypeORM CLI against the project data source)', () => {
  const database = uniqueName('mailroom_test');
  const databaseUrl = testDatabaseUrl(database);
  let db: Client;

  beforeAll(async () => {
    await runMigrations(databaseUrl);
    db = new Client({ connectionString: databaseUrl });
    await db.connect();
  });

  afterAll(async () => {
    await db.end();
    await dropDatabase(database);
  });

  const applied = async () =>
    (await db.query<{ name: string }>('SELECT name FROM schema_migrations ORDER BY id')).rows.map(
      (r) => r.name,
    );

  it('migration:generate writes <epoch-ms>-<PascalName>.ts with a class of that name', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mailroom-migration-'));
    const before = Date.now();
    await npm('migration:generate', databaseUrl, join(dir, 'ProbeChange'));
    const [file] = readdirSync(dir);
    const epoch = Number(/^(\d{13})-ProbeChange\.ts$/.exec(file)?.[1]);
    expect(epoch).toBeGreaterThanOrEqual(before);
    expect(readFileSync(join(dir, file), 'utf8')).toContain(
      `export class ProbeChange${epoch} implements MigrationInterface`,
    );
  }, 120_000);

  it('migration:revert undoes the last migration, and migrating again restores it', async () => {
    const all = await applied();
    await npm('migration:revert', databaseUrl);
    expect(await applied()).toEqual(all.slice(0, -1));
    await runMigrations(databaseUrl);
    expect(await applied()).toEqual(all);
  }, 120_000);
});
