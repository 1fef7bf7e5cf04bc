import { DataSource } from 'typeorm';
import { dataSourceOptions, runMigrations } from '../../src/database/data-source';
import { AuditEventEntity } from '../../src/modules/audit/audit-event.entity';
import { AuditEventsRepository, type NewAuditEvent } from '../../src/modules/audit/audit-events.repository';
import { dropDatabase, testDatabaseUrl, uniqueName } from '../support/test-env';

describe('AuditEventsRepository on Postgres', () => {
  const database = uniqueName('mailroom_test');
  let db: DataSource;
  let events: AuditEventsRepository;

  const event = (action: string, overrides: Partial<NewAuditEvent> = {}): NewAuditEvent => ({
    actorType: 'api-key',
    actorId: 'admin',
    action,
    resourceType: 'user',
    resourceId: null,
    outcome: 'success',
    requestId: null,
    jobId: null,
    provider: null,
    vendorCalls: [],
    detail: {},
    ...overrides,
  });
  const actions = async (
    tenantId: string | null,
    query: Partial<Parameters<AuditEventsRepository['page']>[1]> = {},
  ) => (await events.page(tenantId, { limit: 100, ...query })).data.map((e) => e.action);

  beforeAll(async () => {
    const url = testDatabaseUrl(database);
    await runMigrations(url);
    db = new DataSource({ ...dataSourceOptions(url), entities: [AuditEventEntity] });
    await db.initialize();
    events = new AuditEventsRepository(db);
    await events.insert('audit-a', event('a.1', { requestId: 'req-1', resourceId: 'u1' }));
    await events.insert('audit-b', event('b.1', { requestId: 'req-1', actorId: 'key-b' }));
    await events.insert(null, event('system.1', { actorType: 'system', actorId: 'system' }));
    await events.insert('audit-a', event('a.2', { outcome: 'failure', resourceType: 'alias' }));
    await events.insert('audit-a', event('a.3', { requestId: 'req-3', provider: 'ox', jobId: 'job-1' }));
  });

  afterAll(async () => {
    await db?.destroy();
    await dropDatabase(database);
  });

  it('stores every column and gives the event its id and time', async () => {
    await events.insert(
      'audit-c',
      event('c.1', {
        vendorCalls: [{ method: 'POST', path: '/users', status: 201, durationMs: 3 }],
        detail: { email: 'x@example.com' },
      }),
    );
    const [stored] = (await events.page('audit-c', { limit: 1 })).data;
    expect(stored).toMatchObject({
      tenantId: 'audit-c',
      action: 'c.1',
      actorType: 'api-key',
      detail: { email: 'x@example.com' },
      vendorCalls: [{ method: 'POST', path: '/users', status: 201, durationMs: 3 }],
    });
    expect(stored.id).toMatch(/^\d+$/);
    expect(stored.occurredAt).toBeInstanceOf(Date);
  });

  it('keeps each tenant to its own events; null reads every event, newest first', async () => {
    expect(await actions('audit-a')).toEqual(['a.3', 'a.2', 'a.1']);
    expect(await actions('audit-b')).toEqual(['b.1']);
    expect(await actions('audit-none')).toEqual([]);
    expect(await actions(null)).toEqual(['c.1', 'a.3', 'a.2', 'system.1', 'b.1', 'a.1']);
  });

  it('filters by action, actor, resource, outcome and request id, within the tenant', async () => {
    expect(await actions(null, { requestId: 'req-1' })).toEqual(['b.1', 'a.1']);
    expect(await actions('audit-a', { requestId: 'req-1' })).toEqual(['a.1']);
    expect(await actions('audit-a', { requestId: 'req-3' })).toEqual(['a.3']);
    expect(await actions(null, { actorId: 'key-b' })).toEqual(['b.1']);
    expect(await actions('audit-a', { actorId: 'key-b' })).toEqual([]);
    expect(await actions('audit-a', { outcome: 'failure' })).toEqual(['a.2']);
    expect(await actions('audit-a', { resourceType: 'alias' })).toEqual(['a.2']);
    expect(await actions('audit-a', { resourceType: 'user', resourceId: 'u1' })).toEqual(['a.1']);
    expect(await actions(null, { action: 'system.1' })).toEqual(['system.1']);
  });

  it('filters by time: from is inclusive, to exclusive', async () => {
    const all = (await events.page('audit-a', { limit: 100 })).data;
    const middle = all.find((e) => e.action === 'a.2')!.occurredAt;
    expect(await actions('audit-a', { from: middle })).toEqual(['a.3', 'a.2']);
    expect(await actions('audit-a', { to: middle })).toEqual(['a.1']);
    expect(await actions('audit-a', { from: middle, to: middle })).toEqual([]);
  });

  it('pages through cursors, with the filters kept, and refuses a cursor it did not make', async () => {
    const first = await events.page(null, { limit: 2 });
    expect(first.data.map((e) => e.action)).toEqual(['c.1', 'a.3']);
    const second = await events.page(null, { limit: 2, cursor: first.nextCursor! });
    expect(second.data.map((e) => e.action)).toEqual(['a.2', 'system.1']);
    const third = await events.page(null, { limit: 2, cursor: second.nextCursor! });
    expect(third.data.map((e) => e.action)).toEqual(['b.1', 'a.1']);
    expect(third.nextCursor).toBeNull();

    const tenantFirst = await events.page('audit-a', { limit: 1 });
    expect(await actions('audit-a', { cursor: tenantFirst.nextCursor! })).toEqual(['a.2', 'a.1']);

    const tooBig = Buffer.from(JSON.stringify({ id: '9'.repeat(19) })).toString('base64url');
    await expect(events.page(null, { limit: 2, cursor: tooBig })).rejects.toMatchObject({
      code: 'validation_failed',
    });
  });

  it('stores several events of different tenants in one insert, or none of them', async () => {
    await events.insertMany([
      { tenantId: 'audit-d', event: event('d.1') },
      { tenantId: 'audit-e', event: event('e.1') },
    ]);
    expect(await actions('audit-d')).toEqual(['d.1']);
    expect(await actions('audit-e')).toEqual(['e.1']);
    await expect(
      events.insertMany([
        { tenantId: 'audit-f', event: event('f.1') },
        { tenantId: 'audit-f', event: event('f.2', { outcome: 'neither' as never }) },
      ]),
    ).rejects.toThrow();
    expect(await actions('audit-f')).toEqual([]);
  });

  it('is append-only: the database refuses changes and removals', async () => {
    await expect(db.query(`UPDATE audit_events SET action = 'changed'`)).rejects.toThrow(/append-only/);
    await expect(db.query(`DELETE FROM audit_events`)).rejects.toThrow(/append-only/);
    expect(await actions(null)).toHaveLength(8);
  });
});
