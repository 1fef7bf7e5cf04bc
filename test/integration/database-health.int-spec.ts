import { DataSource } from 'typeorm';
import { dataSourceOptions, runMigrations } from '../../src/database/data-source';
import { DatabaseHealth } from '../../src/database/database-health';
import { dropDatabase, testDatabaseUrl, uniqueName } from '../support/test-env';

describe('DatabaseHealth on Postgres', () => {
  const database = uniqueName('mailroom_test');
  let db: DataSource;

  beforeAll(async () => {
    const url = testDatabaseUrl(database);
    await runMigrations(url);
    db = new DataSource({ ...dataSourceOptions(url), entities: [] });
    await db.initialize();
  });

  afterAll(async () => {
    if (db?.isInitialized) await db.destroy();
    await dropDatabase(database);
  });

  it('answers true while Postgres answers, false once the pool is gone', async () => {
    const health = new DatabaseHealth(db);
    expect(await health.ping()).toBe(true);
    await db.destroy();
    expect(await health.ping()).toBe(false);
  });
});
