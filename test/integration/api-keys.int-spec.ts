import { DataSource } from 'typeorm';
import { dataSourceOptions, runMigrations } from '../../src/database/data-source';
import { ApiKeyEntity } from '../../src/modules/auth/api-key.entity';
import { generateKey } from '../../src/modules/auth/api-key-secret';
import { ApiKeysRepository } from '../../src/modules/auth/api-keys.repository';
import { dropDatabase, testDatabaseUrl, uniqueName } from '../support/test-env';

describe('ApiKeysRepository on Postgres', () => {
  const database = uniqueName('mailroom_test');
  let db: DataSource;
  let keys: ApiKeysRepository;

  const newKey = (name: string) => {
    const { id, secretHash } = generateKey();
    return { id, name, scopes: ['users:read'], secretHash, createdBy: 'admin' };
  };
  const ids = async (tenantId: string | null, limit = 100, cursor?: string) =>
    (await keys.page(tenantId, limit, cursor)).data.map((k) => k.name);

  beforeAll(async () => {
    const url = testDatabaseUrl(database);
    await runMigrations(url);
    db = new DataSource({ ...dataSourceOptions(url), entities: [ApiKeyEntity] });
    await db.initialize();
    keys = new ApiKeysRepository(db);
    await db.query(`INSERT INTO tenants (id, name) VALUES ('keys-a', 'A'), ('keys-b', 'B')`);
  });

  afterAll(async () => {
    await db?.destroy();
    await dropDatabase(database);
  });

  it('stores a tenant key and an admin-wide key and returns the stored rows', async () => {
    const input = newKey('a1');
    const stored = await keys.insert('keys-a', input);
    expect(stored).toMatchObject({ id: input.id, name: 'a1', tenantId: 'keys-a', scopes: ['users:read'] });
    expect(stored.secretHash.equals(input.secretHash)).toBe(true);
    expect(stored.createdAt).toBeInstanceOf(Date);
    expect(stored.revokedAt).toBeNull();
    expect(await keys.insert(null, newKey('global'))).toMatchObject({ name: 'global', tenantId: null });
  });

  it('refuses a taken id and leaves the existing key as it was', async () => {
    const first = await keys.insert('keys-a', newKey('a2'));
    await expect(keys.insert('keys-b', { ...newKey('thief'), id: first.id })).rejects.toMatchObject({
      code: '23505',
    });
    expect(await keys.findForAuthentication(first.id)).toMatchObject({ name: 'a2', tenantId: 'keys-a' });
  });

  it("pages one tenant's keys oldest first, or every key for null, through cursors", async () => {
    await keys.insert('keys-b', newKey('b1'));
    await keys.insert('keys-a', newKey('a3'));
    expect(await ids('keys-a')).toEqual(['a1', 'a2', 'a3']);
    expect(await ids('keys-b')).toEqual(['b1']);
    expect(await ids(null)).toEqual(['a1', 'global', 'a2', 'b1', 'a3']);
    const first = await keys.page('keys-a', 2);
    expect(first.data.map((k) => k.name)).toEqual(['a1', 'a2']);
    expect(await ids('keys-a', 2, first.nextCursor!)).toEqual(['a3']);
    expect((await keys.page('keys-a', 3)).nextCursor).toBeNull();
    await expect(keys.page(null, 10, 'not-a-cursor')).rejects.toMatchObject({ code: 'validation_failed' });
  });

  it("revokes a live key of the tenant only, or any tenant's for null", async () => {
    const a = await keys.insert('keys-a', newKey('to-revoke'));
    expect(await keys.revoke('keys-b', a.id)).toBe(false);
    expect((await keys.findForAuthentication(a.id))!.revokedAt).toBeNull();
    expect(await keys.revoke('keys-a', a.id)).toBe(true);
    expect(await keys.revoke('keys-a', a.id)).toBe(false);
    const revoked = await keys.findForAuthentication(a.id);
    expect(revoked!.revokedAt).toBeInstanceOf(Date);

    const b = await keys.insert('keys-b', newKey('admin-revokes'));
    expect(await keys.revoke(null, b.id)).toBe(true);
    expect(await keys.revoke(null, 'nosuchkey0000000')).toBe(false);
  });

  it('finds a key for authentication by id alone, revoked keys included', async () => {
    const [live] = (await keys.page('keys-b', 1)).data;
    expect(await keys.findForAuthentication(live.id)).toMatchObject({ id: live.id, tenantId: 'keys-b' });
    expect(await keys.findForAuthentication('nosuchkey0000000')).toBeNull();
  });
});
