import { DataSource } from 'typeorm';
import { dataSourceOptions, runMigrations } from '../../src/database/data-source';
import { TenantEntity } from '../../src/modules/tenants/tenant.entity';
import { TenantsRepository } from '../../src/modules/tenants/tenants.repository';
import { dropDatabase, testDatabaseUrl, uniqueName } from '../support/test-env';

describe('TenantsRepository on Postgres', () => {
  const database = uniqueName('mailroom_test');
  let db: DataSource;
  let tenants: TenantsRepository;

  beforeAll(async () => {
    const url = testDatabaseUrl(database);
    await runMigrations(url);
    db = new DataSource({ ...dataSourceOptions(url), entities: [TenantEntity] });
    await db.initialize();
    tenants = new TenantsRepository(db);
  });

  afterAll(async () => {
    await db?.destroy();
    await dropDatabase(database);
  });

  it('inserts a tenant once and reports a taken id', async () => {
    expect(await tenants.insert('repo-alpha', 'Alpha')).toBe(true);
    expect(await tenants.insert('repo-alpha', 'Again')).toBe(false);
    expect(await tenants.find('repo-alpha')).toMatchObject({ id: 'repo-alpha', name: 'Alpha' });
    expect(await tenants.exists('repo-alpha')).toBe(true);
    expect(await tenants.exists('repo-none')).toBe(false);
    expect(await tenants.find('repo-none')).toBeNull();
  });

  it('pages in id order, after a cursor id, or one tenant alone', async () => {
    for (const id of ['repo-c', 'repo-b', 'repo-d']) await tenants.insert(id, id);
    const ids = async (query: Parameters<TenantsRepository['page']>[0]) =>
      (await tenants.page(query)).map((t) => t.id);
    expect(await ids({ limit: 2 })).toEqual(['repo-alpha', 'repo-b']);
    expect(await ids({ afterId: 'repo-b', limit: 10 })).toEqual(['repo-c', 'repo-d']);
    expect(await ids({ onlyId: 'repo-c', limit: 10 })).toEqual(['repo-c']);
    expect(await ids({ onlyId: 'repo-c', afterId: 'repo-c', limit: 10 })).toEqual([]);
  });

  it('renames a tenant, touching updated_at, and answers null for a missing one', async () => {
    const before = (await tenants.find('repo-b'))!;
    const renamed = await tenants.rename('repo-b', 'Bravo');
    expect(renamed).toMatchObject({ id: 'repo-b', name: 'Bravo' });
    expect(renamed!.updatedAt.getTime()).toBeGreaterThanOrEqual(before.updatedAt.getTime());
    expect(await tenants.rename('repo-none', 'Nobody')).toBeNull();
  });

  it('deletes a tenant with its connections (cascade) and reports a missing one', async () => {
    await db.query(
      `INSERT INTO connections (tenant_id, id, provider, base_url, credentials_ciphertext)
       VALUES ('repo-d', 'archive-main', 'mailstore', 'http://127.0.0.1:9', 'x')`,
    );
    expect(await tenants.delete('repo-d')).toBe(true);
    expect(await tenants.delete('repo-d')).toBe(false);
    expect(await db.query(`SELECT 1 FROM connections WHERE tenant_id = 'repo-d'`)).toHaveLength(0);
    expect(await tenants.exists('repo-c')).toBe(true);
  });
});
