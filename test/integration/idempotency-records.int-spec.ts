import { DataSource } from 'typeorm';
import { dataSourceOptions, runMigrations } from '../../src/database/data-source';
import { IdempotencyRecordEntity } from '../../src/modules/idempotency/idempotency-record.entity';
import { IdempotencyRecordsRepository } from '../../src/modules/idempotency/idempotency-records.repository';
import { dropDatabase, testDatabaseUrl, uniqueName } from '../support/test-env';

describe('IdempotencyRecordsRepository on Postgres', () => {
  const database = uniqueName('mailroom_test');
  let db: DataSource;
  let records: IdempotencyRecordsRepository;
  const later = () => new Date(Date.now() + 60_000);
  const earlier = () => new Date(Date.now() - 60_000);

  beforeAll(async () => {
    const url = testDatabaseUrl(database);
    await runMigrations(url);
    db = new DataSource({ ...dataSourceOptions(url), entities: [IdempotencyRecordEntity] });
    await db.initialize();
    records = new IdempotencyRecordsRepository(db);
  });

  afterAll(async () => {
    await db?.destroy();
    await dropDatabase(database);
  });

  it('claims a key once per owner; another owner claims the same key for itself', async () => {
    expect(await records.insertClaim('key-a', 'k1', 'hash-1', later())).toBe(true);
    expect(await records.insertClaim('key-a', 'k1', 'hash-2', later())).toBe(false);
    expect(await records.insertClaim('key-b', 'k1', 'hash-b', later())).toBe(true);
    expect(await records.find('key-a', 'k1')).toMatchObject({ requestHash: 'hash-1', state: 'in_progress' });
    expect(await records.find('key-b', 'k1')).toMatchObject({ requestHash: 'hash-b' });
    expect(await records.find('key-c', 'k1')).toBeNull();
  });

  it("completes the owner's claim and keeps the answer; a completed record is not released", async () => {
    const response = { statusCode: 201, headers: { location: '/v1/tenants/x' }, body: '{"id":"x"}' };
    await records.complete('key-a', 'k1', response);
    expect(await records.find('key-a', 'k1')).toMatchObject({
      state: 'completed',
      statusCode: 201,
      responseHeaders: response.headers,
      responseBody: response.body,
    });
    expect(await records.find('key-b', 'k1')).toMatchObject({ state: 'in_progress', statusCode: null });
    await records.deleteClaim('key-a', 'k1');
    expect(await records.find('key-a', 'k1')).not.toBeNull();
    await records.deleteClaim('key-b', 'k1');
    expect(await records.find('key-b', 'k1')).toBeNull();
  });

  it('retakes a claim only once it is stale, locked with the database clock (microseconds)', async () => {
    await records.insertClaim('key-a', 'stale', 'h', later());
    expect(await records.retakeStaleClaim('key-a', 'stale', 60_000)).toBe(false);
    // An abandoned claim: locked ten minutes ago by now(), with its microseconds.
    await db.query(
      `UPDATE idempotency_keys SET locked_at = now() - interval '10 minutes 0.000123 seconds' WHERE owner_id = 'key-a' AND key = 'stale'`,
    );
    const seen = (await records.find('key-a', 'stale'))!.lockedAt;
    expect(await records.retakeStaleClaim('key-b', 'stale', 60_000)).toBe(false);
    expect(await records.retakeStaleClaim('key-a', 'stale', 60_000)).toBe(true);
    expect(await records.retakeStaleClaim('key-a', 'stale', 60_000)).toBe(false);
    expect((await records.find('key-a', 'stale'))!.lockedAt.getTime()).toBeGreaterThan(seen.getTime());
  });

  it('never retakes a completed record', async () => {
    await records.insertClaim('key-a', 'done', 'h', later());
    await records.complete('key-a', 'done', { statusCode: 201, headers: {}, body: '{}' });
    await db.query(`UPDATE idempotency_keys SET locked_at = now() - interval '1 hour' WHERE key = 'done'`);
    expect(await records.retakeStaleClaim('key-a', 'done', 60_000)).toBe(false);
  });

  it('deletes an expired record of the owner, not a live one', async () => {
    await records.insertClaim('key-a', 'old', 'h', earlier());
    await records.insertClaim('key-a', 'live', 'h', later());
    await records.deleteIfExpired('key-b', 'old');
    expect(await records.find('key-a', 'old')).not.toBeNull();
    await records.deleteIfExpired('key-a', 'old');
    await records.deleteIfExpired('key-a', 'live');
    expect(await records.find('key-a', 'old')).toBeNull();
    expect(await records.find('key-a', 'live')).not.toBeNull();
    expect(await records.insertClaim('key-a', 'old', 'h-new', later())).toBe(true);
  });

  it("purges every owner's expired records and counts them", async () => {
    await records.insertClaim('key-a', 'gone-1', 'h', earlier());
    await records.insertClaim('key-b', 'gone-2', 'h', earlier());
    expect(await records.purgeExpired()).toBe(2);
    expect(await records.purgeExpired()).toBe(0);
    expect(await records.find('key-a', 'live')).not.toBeNull();
    expect(await records.find('key-a', 'gone-1')).toBeNull();
  });
});
