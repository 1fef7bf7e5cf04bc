import {
  createMailStoreSimulator,
  type MailStoreSimulator,
} from '../../simulators/mailstore/mailstore.simulator';
import { startTestApp, type TestApp } from '../support/test-app';

const TENANT = 'archive-acme';
const INSTANCE = 'acme01';

interface AuditEvent {
  action: string;
  outcome: string;
  resource: { type: string; id: string | null };
  provider: string | null;
  vendorCalls: { method: string; path: string; status: number | null }[];
  detail: Record<string, unknown>;
}

interface Store {
  id: string;
  name: string;
  requestedState: string;
  sizeMb?: number;
}

describe('archive API through the gateway (MailStore simulator over HTTP)', () => {
  let sim: MailStoreSimulator;
  let simUrl: string;
  let t: TestApp;

  beforeAll(async () => {
    sim = createMailStoreSimulator({
      username: 'spe-admin',
      password: 'spe-secret',
      instances: [
        {
          id: INSTANCE,
          stores: [{ name: 'Archive 2025', requestedState: 'current', sizeMb: 512 }],
          users: [{ userName: 'admin', fullName: 'Administrator', privileges: ['admin'] }],
        },
      ],
    });
    simUrl = await sim.listen();
    t = await startTestApp();
    expect((await t.request('POST', '/v1/tenants', { body: { id: TENANT, name: 'Acme' } })).status).toBe(201);
    expect(
      (await t.request('POST', '/v1/tenants', { body: { id: 'no-archive', name: 'None' } })).status,
    ).toBe(201);
    const conn = await t.request('POST', `/v1/tenants/${TENANT}/connections`, {
      body: {
        provider: 'mailstore',
        baseUrl: simUrl,
        credentials: { username: 'spe-admin', password: 'spe-secret' },
        settings: { instanceId: INSTANCE },
      },
    });
    expect(conn.status).toBe(201);
  });

  afterAll(async () => {
    await t?.close();
    await sim?.close();
  });

  beforeEach(() => sim.faults.reset());

  const instance = () => sim.state.instances.get(INSTANCE)!;
  const invoked = (command: string) => sim.faults.requests.filter((r) => r.url === `/api/invoke/${command}`);

  async function lastAudit(action: string): Promise<AuditEvent> {
    const res = await t.request<{ data: AuditEvent[] }>(
      'GET',
      `/v1/audit-events?tenantId=${TENANT}&action=${encodeURIComponent(action)}&limit=1`,
    );
    expect(res.status).toBe(200);
    expect(res.body.data).toHaveLength(1);
    return res.body.data[0];
  }

  function expectVendorCalls(event: AuditEvent, commands: string[]): void {
    expect(event.provider).toBe('mailstore');
    const paths = event.vendorCalls.map((c) => c.path);
    for (const command of commands) expect(paths).toContain(`/api/invoke/${command}`);
    for (const call of event.vendorCalls) expect(call).toMatchObject({ method: 'POST', status: 200 });
  }

  it('lists the providers archive operations, stores and verify included', async () => {
    const res = await t.request<{ data: { name: string; operations: Record<string, string[]> }[] }>(
      'GET',
      '/v1/providers',
    );
    const mailstore = res.body.data.find((p) => p.name === 'mailstore')!;
    expect(mailstore.operations.archive).toEqual(
      expect.arrayContaining([
        'users.create',
        'users.rename',
        'stores.create',
        'stores.detach',
        'stores.verify',
        'verify',
      ]),
    );
  });

  it('documents the archive routes in the OpenAPI document, detach as no data deletion', async () => {
    const res = await t.request<{
      paths: Record<string, Record<string, { summary?: string; description?: string }>>;
    }>('GET', '/docs-json', { key: null });
    expect(res.status).toBe(200);
    const base = '/v1/tenants/{tenantId}/archive';
    expect(Object.keys(res.body.paths)).toEqual(
      expect.arrayContaining([
        `${base}/stores`,
        `${base}/stores/{storeId}`,
        `${base}/stores/{storeId}/verify`,
        `${base}/stores/{storeId}/compact`,
        `${base}/verify`,
      ]),
    );
    expect(res.body.paths[`${base}/stores/{storeId}`].delete.summary).toMatch(/NOT deleted/);
  });

  it('creates, renames, disables and detaches a store: seen by the simulator and audited with vendor calls', async () => {
    const created = await t.request<Store>('POST', `/v1/tenants/${TENANT}/archive/stores`, {
      body: {
        name: 'Archive 2026',
        databasePath: 'D:\\MailArchive\\acme\\Archive 2026',
        requestedState: 'normal',
      },
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ name: 'Archive 2026', requestedState: 'normal' });
    const id = created.body.id;
    expect(instance().stores.get(Number(id))).toMatchObject({
      name: 'Archive 2026',
      requestedState: 'normal',
    });
    const createCall = invoked('CreateStore')[0];
    expect(createCall.contentType).toMatch(/^application\/x-www-form-urlencoded/);
    expect(createCall.body).toEqual({
      instanceID: INSTANCE,
      name: 'Archive 2026',
      databasePath: 'D:\\MailArchive\\acme\\Archive 2026',
      requestedState: 'normal',
    });
    const createdEvent = await lastAudit('archive.store.created');
    expect(createdEvent).toMatchObject({ outcome: 'success', resource: { type: 'archive-store', id } });
    expectVendorCalls(createdEvent, ['CreateStore']);

    const renamed = await t.request<Store>('PATCH', `/v1/tenants/${TENANT}/archive/stores/${id}`, {
      body: { name: 'Archive 2026 (old)' },
    });
    expect(renamed.status).toBe(200);
    expect(renamed.body.name).toBe('Archive 2026 (old)');
    expect(instance().stores.get(Number(id))!.name).toBe('Archive 2026 (old)');
    expect(invoked('RenameStore')[0].body).toEqual({ instanceID: INSTANCE, id, name: 'Archive 2026 (old)' });
    expectVendorCalls(await lastAudit('archive.store.updated'), ['RenameStore']);

    const disabled = await t.request<Store>('PATCH', `/v1/tenants/${TENANT}/archive/stores/${id}`, {
      body: { requestedState: 'disabled' },
    });
    expect(disabled.status).toBe(200);
    expect(disabled.body.requestedState).toBe('disabled');
    expect(instance().stores.get(Number(id))!.requestedState).toBe('disabled');
    expect(invoked('SetStoreRequestedState')[0].body).toEqual({
      instanceID: INSTANCE,
      id,
      requestedState: 'disabled',
    });
    const disabledEvent = await lastAudit('archive.store.updated');
    expectVendorCalls(disabledEvent, ['SetStoreRequestedState']);
    expect(disabledEvent.detail.request).toEqual({ requestedState: 'disabled' });

    const listed = await t.request<{ data: Store[]; nextCursor: string | null }>(
      'GET',
      `/v1/tenants/${TENANT}/archive/stores?includeSize=true&limit=1`,
    );
    expect(listed.status).toBe(200);
    expect(listed.body.data).toHaveLength(1);
    expect(listed.body.data[0]).toMatchObject({ name: 'Archive 2025', sizeMb: 512 });
    expect(invoked('GetStores')[0].body).toEqual({ instanceID: INSTANCE, includeSize: 'true' });
    const next = await t.request<{ data: Store[]; nextCursor: string | null }>(
      'GET',
      `/v1/tenants/${TENANT}/archive/stores?limit=1&cursor=${listed.body.nextCursor}`,
    );
    expect(next.body.data.map((s) => s.id)).toEqual([id]);
    expect(next.body.nextCursor).toBeNull();

    const detached = await t.request('DELETE', `/v1/tenants/${TENANT}/archive/stores/${id}`);
    expect(detached.status).toBe(204);
    expect(instance().stores.has(Number(id))).toBe(false);
    expect(invoked('DetachStore')[0].body).toEqual({ instanceID: INSTANCE, id });
    expect(await lastAudit('archive.store.detached')).toMatchObject({
      outcome: 'success',
      resource: { type: 'archive-store', id },
    });
    expect((await t.request('GET', `/v1/tenants/${TENANT}/archive/stores/${id}`)).status).toBe(404);
  });

  it('runs the explicit store operations a portal needs', async () => {
    expect((await t.request('POST', `/v1/tenants/${TENANT}/archive/stores/refresh-statistics`)).status).toBe(
      204,
    );
    expect(invoked('RefreshAllStoreStatistics')[0].body).toEqual({ instanceID: INSTANCE });
    expectVendorCalls(await lastAudit('archive.stores.statistics-refreshed'), ['RefreshAllStoreStatistics']);

    expect((await t.request('POST', `/v1/tenants/${TENANT}/archive/stores/retry-open`)).status).toBe(204);
    expect(invoked('RetryOpenStores')).toHaveLength(1);

    const repaired = await t.request<Store>('POST', `/v1/tenants/${TENANT}/archive/stores/1/repair-database`);
    expect(repaired.status).toBe(200);
    expect(repaired.body).toMatchObject({ id: '1', name: 'Archive 2025' });
    expect(invoked('RepairStoreDatabase')[0].body).toEqual({ instanceID: INSTANCE, id: '1' });
  });

  it('answers clear 4xx for bad store ids, bad bodies and tenants without an archive', async () => {
    sim.faults.reset();
    const nonNumeric = await t.request('GET', `/v1/tenants/${TENANT}/archive/stores/abc`);
    expect(nonNumeric.status).toBe(404);
    expect(nonNumeric.body).toMatchObject({ code: 'not_found' });
    expect(sim.faults.requests).toHaveLength(0);

    const unknown = await t.request('PATCH', `/v1/tenants/${TENANT}/archive/stores/999`, {
      body: { name: 'x' },
    });
    expect(unknown.status).toBe(404);
    expect(unknown.body).toMatchObject({ code: 'not_found', detail: expect.stringContaining('999') });
    expect(await lastAudit('archive.store.updated')).toMatchObject({ outcome: 'failure' });

    const empty = await t.request('PATCH', `/v1/tenants/${TENANT}/archive/stores/1`, { body: {} });
    expect(empty.status).toBe(422);
    const badState = await t.request('PATCH', `/v1/tenants/${TENANT}/archive/stores/1`, {
      body: { requestedState: 'closed' },
    });
    expect(badState.status).toBe(422);
    expect(badState.body).toMatchObject({ errors: [expect.objectContaining({ field: 'requestedState' })] });
    const unknownField = await t.request('POST', `/v1/tenants/${TENANT}/archive/stores`, {
      body: { name: 'x', databasePath: 'D:\\x', sizeMb: 5 },
    });
    expect(unknownField.status).toBe(422);
    const missingPath = await t.request('POST', `/v1/tenants/${TENANT}/archive/stores`, {
      body: { name: 'x' },
    });
    expect(missingPath.status).toBe(422);
    expect(invoked('CreateStore')).toHaveLength(0);

    const duplicate = await t.request('POST', `/v1/tenants/${TENANT}/archive/stores`, {
      body: { name: 'Archive 2025', databasePath: 'D:\\dup' },
    });
    expect(duplicate.status).toBe(409);
    expect(duplicate.body).toMatchObject({
      code: 'conflict',
      detail: expect.stringContaining('already exists'),
    });

    const noArchive = await t.request('GET', '/v1/tenants/no-archive/archive/stores');
    expect(noArchive.status).toBe(409);
    expect(noArchive.body).toMatchObject({ code: 'conflict', detail: expect.stringContaining('archive') });
    expect((await t.request('GET', '/v1/tenants/nobody-here/archive/stores')).status).toBe(404);
  });

  it('enforces archive scopes', async () => {
    const key = await t.request<{ key: string }>('POST', '/v1/api-keys', {
      body: { name: 'reader', tenantId: TENANT, scopes: ['archive:read'] },
    });
    const reader = key.body.key;
    expect((await t.request('GET', `/v1/tenants/${TENANT}/archive/stores`, { key: reader })).status).toBe(
      200,
    );
    const refused = await t.request('DELETE', `/v1/tenants/${TENANT}/archive/stores/1`, { key: reader });
    expect(refused.status).toBe(403);
    expect(instance().stores.has(1)).toBe(true);
  });

  it('creates an archive user with two extra addresses, changes privileges, renames and deletes it', async () => {
    const created = await t.request<Record<string, unknown>>(
      'POST',
      `/v1/tenants/${TENANT}/users?service=archive`,
      {
        body: {
          email: 'jane@acme.example',
          displayName: 'Jane Doe',
          password: 'Archive-Pass-1',
          aliases: ['j.doe@acme.example', 'jane.doe@acme.example'],
          extras: { privileges: ['login', 'export'] },
        },
      },
    );
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      email: 'jane@acme.example',
      service: 'archive',
      aliases: ['j.doe@acme.example', 'jane.doe@acme.example'],
    });
    const simUser = () => instance().users.get('jane@acme.example');
    expect(simUser()).toMatchObject({
      fullName: 'Jane Doe',
      privileges: ['login', 'export'],
      emailAddresses: ['jane@acme.example', 'j.doe@acme.example', 'jane.doe@acme.example'],
    });
    expect(invoked('CreateUser')[0].body).toMatchObject({
      instanceID: INSTANCE,
      userName: 'jane@acme.example',
      privileges: 'login,export',
    });
    expect(invoked('SetUserEmailAddresses')[0].body).toMatchObject({
      emailAddresses: 'jane@acme.example,j.doe@acme.example,jane.doe@acme.example',
    });
    expect(invoked('SetUserPrivilegesOnFolder')[0].body).toEqual({
      instanceID: INSTANCE,
      userName: 'jane@acme.example',
      folder: 'jane@acme.example',
      privileges: 'read',
    });
    // Signed in as herself at the simulator, Jane can read her own archive folder.
    const ownArchive = await fetch(`${simUrl}/__sim/archive/${INSTANCE}/jane%40acme.example`, {
      headers: {
        authorization: `Basic ${Buffer.from('jane@acme.example:Archive-Pass-1').toString('base64')}`,
      },
    });
    expect(ownArchive.status).toBe(200);
    const createdEvent = await lastAudit('user.created');
    expectVendorCalls(createdEvent, ['CreateUser', 'SetUserPrivilegesOnFolder', 'SetUserEmailAddresses']);
    expect(JSON.stringify(createdEvent)).not.toContain('Archive-Pass-1');

    const changed = await t.request(
      'PATCH',
      `/v1/tenants/${TENANT}/users/jane@acme.example?service=archive`,
      {
        body: { extras: { privileges: ['login', 'changePassword'] } },
      },
    );
    expect(changed.status).toBe(200);
    expect(simUser()!.privileges).toEqual(['login', 'changePassword']);
    expectVendorCalls(await lastAudit('user.updated'), ['SetUserPrivileges']);

    const renamed = await t.request<Record<string, unknown>>(
      'POST',
      `/v1/tenants/${TENANT}/archive/users/jane@acme.example/rename`,
      { body: { newEmail: 'jane.doe@acme.example' } },
    );
    expect(renamed.status).toBe(200);
    expect(renamed.body).toMatchObject({
      email: 'jane.doe@acme.example',
      service: 'archive',
      provider: 'mailstore',
    });
    expect(simUser()).toBeUndefined();
    expect(instance().users.get('jane.doe@acme.example')!.emailAddresses[0]).toBe('jane.doe@acme.example');
    expect(invoked('RenameUser')[0].body).toEqual({
      instanceID: INSTANCE,
      oldUserName: 'jane@acme.example',
      newUserName: 'jane.doe@acme.example',
    });
    expectVendorCalls(await lastAudit('user.renamed'), ['RenameUser']);
    const calls = invoked('RenameUser').length;
    const badName = await t.request<{ code: string }>(
      'POST',
      `/v1/tenants/${TENANT}/archive/users/not-an-address/rename`,
      { body: { newEmail: 'x@acme.example' } },
    );
    expect([badName.status, badName.body.code]).toEqual([422, 'validation_failed']);
    expect(invoked('RenameUser')).toHaveLength(calls);

    const deleted = await t.request(
      'DELETE',
      `/v1/tenants/${TENANT}/users/jane.doe@acme.example?service=archive`,
    );
    expect(deleted.status).toBe(204);
    expect(instance().users.has('jane.doe@acme.example')).toBe(false);
    expectVendorCalls(await lastAudit('user.deleted'), ['DeleteUser']);
  });
});
