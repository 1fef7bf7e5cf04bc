import {
  createMailStoreSimulator,
  type MailStoreSimulator,
} from '../../simulators/mailstore/mailstore.simulator';
import { startTestApp, type TestApp } from '../support/test-app';

const INSTANCE = 'acme01';

interface ConnectionBody {
  id: string;
  tenantId: string;
  baseUrl: string;
  settings: Record<string, unknown>;
}

function simulator(): MailStoreSimulator {
  return createMailStoreSimulator({
    username: 'spe-admin',
    password: 'spe-secret',
    instances: [{ id: INSTANCE, stores: [], users: [] }],
  });
}

describe('client-chosen connection ids (MailStore simulators over HTTP)', () => {
  let first: MailStoreSimulator;
  let second: MailStoreSimulator;
  const urls: Record<string, string> = {};
  let t: TestApp;

  const archiveConnection = (baseUrl: string, id?: string) => ({
    ...(id === undefined ? {} : { id }),
    provider: 'mailstore',
    baseUrl,
    credentials: { username: 'spe-admin', password: 'spe-secret' },
    settings: { instanceId: INSTANCE },
  });

  beforeAll(async () => {
    first = simulator();
    second = simulator();
    urls.first = await first.listen();
    urls.second = await second.listen();
    t = await startTestApp();
    for (const id of ['ids-one', 'ids-two', 'ids-three']) {
      expect((await t.request('POST', '/v1/tenants', { body: { id, name: id } })).status).toBe(201);
    }
  });

  afterAll(async () => {
    await t?.close();
    await first?.close();
    await second?.close();
  });

  it('reads, checks, changes and deletes a connection by the id its creator chose', async () => {
    const created = await t.request<ConnectionBody>('POST', '/v1/tenants/ids-one/connections', {
      body: archiveConnection(urls.first, 'archive-main'),
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ id: 'archive-main', tenantId: 'ids-one' });

    const read = await t.request<ConnectionBody>('GET', '/v1/tenants/ids-one/connections/archive-main');
    expect(read.status).toBe(200);
    expect(read.body.baseUrl).toBe(urls.first);

    const check = await t.request<{ ok: boolean }>(
      'POST',
      '/v1/tenants/ids-one/connections/archive-main/check',
    );
    expect(check.status).toBe(200);
    expect(check.body.ok).toBe(true);

    const patch = (password: string) =>
      t.request<ConnectionBody>('PATCH', '/v1/tenants/ids-one/connections/archive-main', {
        body: { credentials: { username: 'spe-admin', password } },
      });
    const patched = await patch('wrong');
    expect(patched.status).toBe(200);
    expect(patched.body.id).toBe('archive-main');
    const refused = await t.request<{ ok: boolean }>(
      'POST',
      '/v1/tenants/ids-one/connections/archive-main/check',
    );
    expect(refused.body.ok).toBe(false);
    expect((await patch('spe-secret')).status).toBe(200);

    const list = await t.request<{ data: ConnectionBody[] }>('GET', '/v1/tenants/ids-one/connections');
    expect(list.body.data.map((c) => c.id)).toEqual(['archive-main']);
  });

  it('refuses an id taken in the same tenant with 409 and accepts it in another tenant', async () => {
    const taken = await t.request<{ code: string; detail: string }>(
      'POST',
      '/v1/tenants/ids-one/connections',
      {
        body: archiveConnection(urls.first, 'archive-main'),
      },
    );
    expect(taken.status).toBe(409);
    expect(taken.body.code).toBe('conflict');
    expect(taken.body.detail).toContain('archive-main');

    const elsewhere = await t.request<ConnectionBody>('POST', '/v1/tenants/ids-two/connections', {
      body: archiveConnection(urls.second, 'archive-main'),
    });
    expect(elsewhere.status).toBe(201);
    expect(elsewhere.body).toMatchObject({ id: 'archive-main', tenantId: 'ids-two', baseUrl: urls.second });
  });

  it('keeps the vendor state of two tenants sharing a connection id apart', async () => {
    first.faults.reset();
    second.faults.reset();
    const one = await t.request<{ ok: boolean }>(
      'POST',
      '/v1/tenants/ids-one/connections/archive-main/check',
    );
    expect(one.body.ok).toBe(true);
    expect(first.faults.requests.length).toBeGreaterThan(0);
    expect(second.faults.requests).toHaveLength(0);

    const two = await t.request<{ ok: boolean }>(
      'POST',
      '/v1/tenants/ids-two/connections/archive-main/check',
    );
    expect(two.body.ok).toBe(true);
    expect(second.faults.requests.length).toBeGreaterThan(0);

    // A broken connection in one tenant leaves the other tenant's same-named connection working.
    await first.close();
    const broken = await t.request<{ ok: boolean }>(
      'POST',
      '/v1/tenants/ids-one/connections/archive-main/check',
    );
    expect(broken.body.ok).toBe(false);
    const still = await t.request<{ ok: boolean }>(
      'POST',
      '/v1/tenants/ids-two/connections/archive-main/check',
    );
    expect(still.body.ok).toBe(true);

    const deleted = await t.request('DELETE', '/v1/tenants/ids-one/connections/archive-main');
    expect(deleted.status).toBe(204);
    expect((await t.request('GET', '/v1/tenants/ids-one/connections/archive-main')).status).toBe(404);
    expect((await t.request('GET', '/v1/tenants/ids-two/connections/archive-main')).status).toBe(200);
  });

  it.each([
    ['A'],
    ['ab'],
    ['-x-'],
    ['x-'],
    ['Archive-Main'],
    ['archive_main'],
    ['a'.repeat(64)],
    [42],
    [null],
  ])('refuses the malformed id %p with 422', async (id) => {
    const res = await t.request<{ code: string; errors: { field: string }[] }>(
      'POST',
      '/v1/tenants/ids-three/connections',
      { body: { ...archiveConnection(urls.second), id } },
    );
    expect(res.status).toBe(422);
    expect(res.body.code).toBe('validation_failed');
    expect(res.body.errors.map((e) => e.field)).toContain('id');
  });

  it('generates a uuid when the id is omitted, usable in every path, and accepts 63 characters', async () => {
    const generated = await t.request<ConnectionBody>('POST', '/v1/tenants/ids-three/connections', {
      body: archiveConnection(urls.second),
    });
    expect(generated.status).toBe(201);
    expect(generated.body.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    const check = await t.request<{ ok: boolean }>(
      'POST',
      `/v1/tenants/ids-three/connections/${generated.body.id}/check`,
    );
    expect(check.body.ok).toBe(true);
    expect((await t.request('DELETE', `/v1/tenants/ids-three/connections/${generated.body.id}`)).status).toBe(
      204,
    );

    const longest = `a${'-'.repeat(61)}z`;
    const created = await t.request<ConnectionBody>('POST', '/v1/tenants/ids-three/connections', {
      body: archiveConnection(urls.second, longest),
    });
    expect(created.status).toBe(201);
    expect((await t.request('GET', `/v1/tenants/ids-three/connections/${longest}`)).status).toBe(200);
  });
});
