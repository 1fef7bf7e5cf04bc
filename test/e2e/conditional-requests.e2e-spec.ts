import {
  createOpenXchangeSimulator,
  DEFAULT_OX_BRAND,
  type OpenXchangeSimulator,
} from '../../simulators/open-xchange/open-xchange.simulator';
import { startTestApp, type TestApp } from '../support/test-app';

const TENANT = 'etag-ox';
const BASE = `/v1/tenants/${TENANT}`;
const EMAIL = 'etag.user@etag.example';

describe('safe concurrent edits: ETag and If-Match (e2e against the OX simulator)', () => {
  let t: TestApp;
  let ox: OpenXchangeSimulator;
  let connectionId: string;

  beforeAll(async () => {
    ox = createOpenXchangeSimulator({ seed: { contexts: [{ name: 'etag', id: 11 }] } });
    const oxUrl = await ox.listen();
    t = await startTestApp();
    expect((await t.request('POST', '/v1/tenants', { body: { id: TENANT, name: 'ETag' } })).status).toBe(201);
    const connection = await t.request('POST', `${BASE}/connections`, {
      body: {
        provider: 'open-xchange',
        baseUrl: oxUrl,
        credentials: DEFAULT_OX_BRAND,
        settings: { context: 'etag' },
      },
    });
    expect(connection.status).toBe(201);
    connectionId = (connection.body as { id: string }).id;
    const user = await t.request('POST', `${BASE}/users`, {
      body: { email: EMAIL, firstName: 'Ada', lastName: 'Tag', password: 'Str0ng!Passw0rd' },
    });
    expect(user.status).toBe(201);
  });

  afterAll(async () => {
    await t.close();
    await ox.close();
  });

  const mutatingVendorCalls = () => ox.faults.requests.filter((r) => r.method !== 'GET');

  it('refuses a PATCH with a stale If-Match with 412 and sends the vendor no change', async () => {
    const read = await t.request('GET', `${BASE}/users/${EMAIL}`);
    const tag = read.headers.get('etag');
    expect(tag).toMatch(/^"[A-Za-z0-9_-]{27}"$/);
    expect((await t.request('GET', `${BASE}/users/${EMAIL}`)).headers.get('etag')).toBe(tag);
    const missing = await t.request('GET', `${BASE}/users/nobody@etag.example`);
    expect([missing.status, missing.headers.get('etag')]).toEqual([404, null]);

    const changed = await t.request('PATCH', `${BASE}/users/${EMAIL}`, {
      body: { firstName: 'Grace' },
      headers: { 'if-match': tag as string },
    });
    expect(changed.status).toBe(200);
    const fresh = changed.headers.get('etag');
    expect(fresh).not.toBe(tag);
    expect((await t.request('GET', `${BASE}/users/${EMAIL}`)).headers.get('etag')).toBe(fresh);

    const before = mutatingVendorCalls().length;
    const stale = await t.request('PATCH', `${BASE}/users/${EMAIL}`, {
      body: { firstName: 'Stale' },
      headers: { 'if-match': tag as string, 'idempotency-key': 'stale-patch' },
    });
    expect(stale.status).toBe(412);
    expect(stale.body).toMatchObject({ code: 'precondition_failed', status: 412 });
    expect(mutatingVendorCalls().length).toBe(before);
    const stillThere = await t.request<{ firstName: string }>('GET', `${BASE}/users/${EMAIL}`);
    expect(stillThere.body.firstName).toBe('Grace');

    // The refused request did not spend its key: sent again with the fresh tag, it runs.
    const retried = await t.request('PATCH', `${BASE}/users/${EMAIL}`, {
      body: { firstName: 'Stale' },
      headers: { 'if-match': fresh as string, 'idempotency-key': 'stale-patch' },
    });
    expect(retried.status).toBe(200);
  });

  it('refuses a DELETE with a stale If-Match and keeps the user; If-Match: * passes', async () => {
    const before = mutatingVendorCalls().length;
    const stale = await t.request('DELETE', `${BASE}/users/${EMAIL}`, { headers: { 'if-match': '"stale"' } });
    expect(stale.status).toBe(412);
    expect(mutatingVendorCalls().length).toBe(before);
    expect((await t.request('GET', `${BASE}/users/${EMAIL}`)).status).toBe(200);
    const removed = await t.request('DELETE', `${BASE}/users/${EMAIL}`, { headers: { 'if-match': '*' } });
    expect(removed.status).toBe(204);
  });

  it('tags tenants, connections, aliases and mailboxes, and checks If-Match on their changes', async () => {
    const tenant = await t.request('GET', BASE);
    expect(tenant.headers.get('etag')).toBeTruthy();
    const staleTenant = await t.request('PATCH', BASE, {
      body: { name: 'X' },
      headers: { 'if-match': '"old"' },
    });
    expect(staleTenant.status).toBe(412);
    const renamed = await t.request('PATCH', BASE, {
      body: { name: 'Renamed' },
      headers: { 'if-match': tenant.headers.get('etag') as string },
    });
    expect(renamed.status).toBe(200);

    const connection = await t.request('GET', `${BASE}/connections/${connectionId}`);
    expect(connection.headers.get('etag')).toBeTruthy();
    const staleConnection = await t.request('DELETE', `${BASE}/connections/${connectionId}`, {
      headers: { 'if-match': '"old"' },
    });
    expect(staleConnection.status).toBe(412);
    expect((await t.request('GET', `${BASE}/connections/${connectionId}`)).status).toBe(200);

    const mailboxOwner = 'box.owner@etag.example';
    const owner = await t.request('POST', `${BASE}/users`, {
      body: { email: mailboxOwner, firstName: 'Box', lastName: 'Owner', password: 'Str0ng!Passw0rd' },
    });
    expect(owner.status).toBe(201);
    const mailbox = await t.request('GET', `${BASE}/users/${mailboxOwner}/mailbox`);
    expect(mailbox.status).toBe(200);
    expect(mailbox.headers.get('etag')).toBeTruthy();
    const staleMailbox = await t.request('PATCH', `${BASE}/users/${mailboxOwner}/mailbox`, {
      body: { quotaMb: 99 },
      headers: { 'if-match': '"old"' },
    });
    expect(staleMailbox.status).toBe(412);

    const alias = 'sales@etag.example';
    expect(
      (await t.request('PUT', `${BASE}/aliases/${alias}`, { body: { recipients: [mailboxOwner] } })).status,
    ).toBe(200);
    const aliasRead = await t.request('GET', `${BASE}/aliases/${alias}`);
    const before = mutatingVendorCalls().length;
    const staleAlias = await t.request('PUT', `${BASE}/aliases/${alias}`, {
      body: { recipients: ['other@etag.example'] },
      headers: { 'if-match': '"old"' },
    });
    expect(staleAlias.status).toBe(412);
    expect(mutatingVendorCalls().length).toBe(before);
    const kept = await t.request('DELETE', `${BASE}/aliases/${alias}`, {
      headers: { 'if-match': aliasRead.headers.get('etag') as string },
    });
    expect(kept.status).toBe(204);
  });
});
