import { DataSource } from 'typeorm';
import { dataSourceOptions, runMigrations } from '../../src/database/data-source';
import { GatewayError } from '../../src/domain/errors';
import { ConnectionEntity, ConnectionServiceEntity } from '../../src/modules/tenants/connection.entity';
import {
  type ConnectionWrite,
  ConnectionsRepository,
} from '../../src/modules/tenants/connections.repository';
import { TenantEntity } from '../../src/modules/tenants/tenant.entity';
import { TenantsRepository } from '../../src/modules/tenants/tenants.repository';
import { dropDatabase, testDatabaseUrl, uniqueName } from '../support/test-env';

function write(overrides: Partial<ConnectionWrite> = {}): ConnectionWrite {
  return {
    provider: 'mailstore',
    baseUrl: 'http://127.0.0.1:9',
    settings: { instance: 'main' },
    credentialsCiphertext: 'ciphertext',
    services: ['archive'],
    ...overrides,
  };
}

describe('ConnectionsRepository on Postgres', () => {
  const database = uniqueName('mailroom_test');
  let db: DataSource;
  let connections: ConnectionsRepository;

  const services = async (tenantId: string, id: string) =>
    ((await connections.find(tenantId, id))?.serviceRows ?? []).map((s) => s.service).sort();
  const claimRows = async (tenantId: string) =>
    db.query(`SELECT service, connection_id FROM connection_services WHERE tenant_id = $1 ORDER BY service`, [
      tenantId,
    ]);

  beforeAll(async () => {
    const url = testDatabaseUrl(database);
    await runMigrations(url);
    db = new DataSource({
      ...dataSourceOptions(url),
      entities: [TenantEntity, ConnectionEntity, ConnectionServiceEntity],
    });
    await db.initialize();
    connections = new ConnectionsRepository(db);
    const tenants = new TenantsRepository(db);
    for (const id of ['tenant-a', 'tenant-b', 'tenant-c']) await tenants.insert(id, id);
  });

  afterAll(async () => {
    await db?.destroy();
    await dropDatabase(database);
  });

  it('inserts a connection with its service claims and finds it by (tenant, id)', async () => {
    expect(await connections.insert('tenant-a', 'archive-main', write())).toBe('inserted');
    expect(await connections.find('tenant-a', 'archive-main')).toMatchObject({
      tenantId: 'tenant-a',
      id: 'archive-main',
      provider: 'mailstore',
      baseUrl: 'http://127.0.0.1:9',
      settings: { instance: 'main' },
      credentialsCiphertext: 'ciphertext',
    });
    expect(await services('tenant-a', 'archive-main')).toEqual(['archive']);
    expect(await connections.find('tenant-a', 'none-such')).toBeNull();
  });

  it('keeps the same id in two tenants as two rows, each query seeing its own tenant only', async () => {
    const other = write({ provider: 'open-xchange', baseUrl: 'http://127.0.0.1:10', services: ['mail'] });
    expect(await connections.insert('tenant-b', 'archive-main', other)).toBe('inserted');
    expect(await db.query(`SELECT tenant_id FROM connections WHERE id = 'archive-main' ORDER BY 1`)).toEqual([
      { tenant_id: 'tenant-a' },
      { tenant_id: 'tenant-b' },
    ]);
    expect(await connections.find('tenant-a', 'archive-main')).toMatchObject({ provider: 'mailstore' });
    expect(await connections.find('tenant-b', 'archive-main')).toMatchObject({ provider: 'open-xchange' });
    expect(await services('tenant-b', 'archive-main')).toEqual(['mail']);
    expect(await connections.find('tenant-c', 'archive-main')).toBeNull();
  });

  it('reports a taken id and a claimed service, writing nothing for either', async () => {
    expect(await connections.insert('tenant-a', 'archive-main', write({ baseUrl: 'http://x' }))).toBe(
      'id_taken',
    );
    expect(await connections.find('tenant-a', 'archive-main')).toMatchObject({
      baseUrl: 'http://127.0.0.1:9',
    });
    expect(
      await connections.insert('tenant-a', 'archive-two', write({ services: ['mail', 'archive'] })),
    ).toBe('service_taken');
    expect(await connections.find('tenant-a', 'archive-two')).toBeNull();
    expect(await claimRows('tenant-a')).toEqual([{ service: 'archive', connection_id: 'archive-main' }]);
  });

  it("finds the connection claiming a service within the tenant, with all of that connection's claims", async () => {
    expect(
      await connections.insert('tenant-a', 'mail-main', write({ services: ['mail', 'secure-mail'] })),
    ).toBe('inserted');
    const claimer = await connections.findForService('tenant-a', 'mail');
    expect(claimer).toMatchObject({ tenantId: 'tenant-a', id: 'mail-main' });
    expect(claimer!.serviceRows.map((s) => s.service).sort()).toEqual(['mail', 'secure-mail']);
    expect(await connections.findForService('tenant-b', 'mail')).toMatchObject({
      tenantId: 'tenant-b',
      id: 'archive-main',
    });
    expect(await connections.findForService('tenant-c', 'mail')).toBeNull();
    expect(await connections.findForService('tenant-b', 'archive')).toBeNull();
  });

  it("pages one tenant's connections in creation order after a cursor, never another tenant's", async () => {
    for (const id of ['page-1', 'page-2', 'page-3']) {
      expect(await connections.insert('tenant-c', id, write({ services: [] }))).toBe('inserted');
    }
    const first = await connections.page('tenant-c', 2);
    expect(first.data.map((c) => c.id)).toEqual(['page-1', 'page-2']);
    expect(first.nextCursor).not.toBeNull();
    const second = await connections.page('tenant-c', 2, first.nextCursor!);
    expect(second.data.map((c) => c.id)).toEqual(['page-3']);
    expect(second.nextCursor).toBeNull();
    const tenantA = await connections.page('tenant-a', 10);
    expect(tenantA.data.map((c) => `${c.tenantId}/${c.id}`)).toEqual([
      'tenant-a/archive-main',
      'tenant-a/mail-main',
    ]);
    expect(tenantA.data[1].serviceRows.map((s) => s.service).sort()).toEqual(['mail', 'secure-mail']);
    await expect(connections.page('tenant-c', 2, 'not-a-cursor')).rejects.toBeInstanceOf(GatewayError);
  });

  it('updates the columns and replaces the claims, touching updated_at', async () => {
    const before = (await connections.find('tenant-a', 'mail-main'))!;
    const changed = write({ baseUrl: 'http://127.0.0.1:11', settings: {}, services: ['secure-mail'] });
    expect(await connections.update('tenant-a', 'mail-main', changed)).toBe('updated');
    const after = (await connections.find('tenant-a', 'mail-main'))!;
    expect(after).toMatchObject({ baseUrl: 'http://127.0.0.1:11', settings: {} });
    expect(after.updatedAt.getTime()).toBeGreaterThanOrEqual(before.updatedAt.getTime());
    expect(after.createdAt).toEqual(before.createdAt);
    expect(await services('tenant-a', 'mail-main')).toEqual(['secure-mail']);
    expect(await connections.findForService('tenant-a', 'mail')).toBeNull();
  });

  it('reports a missing connection and a claimed service on update, changing nothing', async () => {
    expect(await connections.update('tenant-a', 'none-such', write())).toBe('missing');
    expect(await connections.update('tenant-c', 'archive-main', write())).toBe('missing');
    expect(await connections.find('tenant-c', 'archive-main')).toBeNull();
    const taken = write({ baseUrl: 'http://changed', services: ['secure-mail', 'archive'] });
    expect(await connections.update('tenant-a', 'mail-main', taken)).toBe('service_taken');
    expect(await connections.find('tenant-a', 'mail-main')).toMatchObject({ baseUrl: 'http://127.0.0.1:11' });
    expect(await services('tenant-a', 'mail-main')).toEqual(['secure-mail']);
  });

  it("deletes a connection with its claims, leaving the other tenant's same id alone", async () => {
    expect(await connections.delete('tenant-a', 'archive-main')).toBe(true);
    expect(await connections.delete('tenant-a', 'archive-main')).toBe(false);
    expect(await connections.find('tenant-a', 'archive-main')).toBeNull();
    expect(await claimRows('tenant-a')).toEqual([{ service: 'secure-mail', connection_id: 'mail-main' }]);
    expect(await connections.find('tenant-b', 'archive-main')).toMatchObject({ provider: 'open-xchange' });
    expect(await services('tenant-b', 'archive-main')).toEqual(['mail']);
  });
});
