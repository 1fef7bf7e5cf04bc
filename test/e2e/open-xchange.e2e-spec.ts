import {
  createOpenXchangeSimulator,
  DEFAULT_OX_BRAND,
  DEFAULT_OX_PLUGINS,
  type OpenXchangeSimulator,
} from '../../simulators/open-xchange/open-xchange.simulator';
import { startTestApp, type TestApp } from '../support/test-app';

interface AuditEvent {
  action: string;
  outcome: string;
  resource: { id: string };
  provider: string | null;
  vendorCalls: { method: string; path: string; status: number | null }[];
}

describe('Open-Xchange through Mailroom (e2e against the simulator)', () => {
  let t: TestApp;
  let sim: OpenXchangeSimulator;
  let simUrl: string;
  const T = '/v1/tenants/acme';

  beforeAll(async () => {
    sim = createOpenXchangeSimulator({ seed: { contexts: [{ name: 'acme', id: 42 }] } });
    simUrl = await sim.listen();
    t = await startTestApp();
    await t.request('POST', '/v1/tenants', { body: { id: 'acme', name: 'Acme' } });
    await t.request('POST', '/v1/tenants', { body: { id: 'bare', name: 'No connection' } });
    const conn = await t.request('POST', `${T}/connections`, {
      body: {
        provider: 'open-xchange',
        baseUrl: simUrl,
        credentials: {
          ...DEFAULT_OX_BRAND,
          pluginsUsername: DEFAULT_OX_PLUGINS.username,
          pluginsPassword: DEFAULT_OX_PLUGINS.password,
        },
        settings: { context: 'acme', contextId: 42 },
      },
    });
    expect(conn.status).toBe(201);
  });

  afterAll(async () => {
    await t.close();
    await sim.close();
  });

  const ctx = () => sim.state.contextByName('acme')!;
  const auditFor = async (action: string, resourceId: string): Promise<AuditEvent> => {
    const res = await t.request<{ data: AuditEvent[] }>(
      'GET',
      `/v1/audit-events?tenantId=acme&action=${action}&limit=200`,
    );
    const event = res.body.data.find((e) => e.resource.id === resourceId);
    expect(event).toBeDefined();
    return event!;
  };

  it('lists the provider and its operations', async () => {
    const res = await t.request<{ data: { name: string; operations: { mail: string[] } }[] }>(
      'GET',
      '/v1/providers',
    );
    const ox = res.body.data.find((p) => p.name === 'open-xchange')!;
    expect(ox.operations.mail).toEqual(
      expect.arrayContaining(['users.create', 'aliases.put', 'domains.create']),
    );
  });

  it('runs the whole user, alias and domain lifecycle, visible in the simulator and the audit log', async () => {
    const created = await t.request<{
      email: string;
      provider: string;
      mailbox: { quotaMb: number; plan: string };
    }>('POST', `${T}/users`, {
      body: {
        email: 'john.doe@acme.example',
        firstName: 'John',
        lastName: 'Doe',
        password: 'S3cret!pass',
        mailbox: { quotaMb: 1000, plan: 'cloud_pim' },
      },
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      email: 'john.doe@acme.example',
      provider: 'open-xchange',
      mailbox: { quotaMb: 1000, plan: 'cloud_pim' },
    });
    expect(created.text).not.toContain('S3cret!pass');
    expect(ctx().users.get('john.doe@acme.example')).toMatchObject({
      givenName: 'John',
      surName: 'Doe',
      unifiedQuota: 1000,
    });
    const createdEvent = await auditFor('user.created', 'john.doe@acme.example');
    expect(createdEvent).toMatchObject({ outcome: 'success', provider: 'open-xchange' });
    expect(
      createdEvent.vendorCalls.some((c) => c.method === 'POST' && c.path.startsWith('/cloudapi/v2/users')),
    ).toBe(true);
    expect(JSON.stringify(createdEvent)).not.toContain('S3cret!pass');

    const read = await t.request<{ firstName: string; mailbox: { quotaMb: number } }>(
      'GET',
      `${T}/users/john.doe@acme.example`,
    );
    expect(read.status).toBe(200);
    expect(read.body).toMatchObject({ firstName: 'John', mailbox: { quotaMb: 1000 } });
    const mailbox = await t.request<{ quotaMb: number; plan: string }>(
      'GET',
      `${T}/users/john.doe@acme.example/mailbox`,
    );
    expect(mailbox.body).toMatchObject({ quotaMb: 1000, plan: 'cloud_pim' });
    const raw = await t.request<{ raw: { name: string } }>(
      'GET',
      `${T}/users/john.doe@acme.example?include=raw`,
    );
    expect(raw.body.raw).toMatchObject({ name: 'john.doe@acme.example' });

    for (const [first, email] of [
      ['Joan', 'joan@acme.example'],
      ['Jo', 'jo.x@acme.example'],
      ['Mary', 'mary@acme.example'],
    ]) {
      const res = await t.request('POST', `${T}/users`, {
        body: { email, firstName: first, lastName: 'X', password: 'S3cret!pass' },
      });
      expect(res.status).toBe(201);
    }
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const query: string = `q=jo*&limit=2${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`;
      const page: { status: number; body: { data: { email: string }[]; nextCursor: string | null } } =
        await t.request('GET', `${T}/users?${query}`);
      expect(page.status).toBe(200);
      expect(page.body.data.length).toBeLessThanOrEqual(2);
      seen.push(...page.body.data.map((u) => u.email));
      cursor = page.body.nextCursor;
    } while (cursor);
    expect(seen.sort()).toEqual(['jo.x@acme.example', 'joan@acme.example', 'john.doe@acme.example']);

    const patched = await t.request<{ mailbox: { quotaMb: number; plan: string } }>(
      'PATCH',
      `${T}/users/john.doe@acme.example`,
      {
        body: { mailbox: { quotaMb: 2048, plan: 'cloud_nine' } },
      },
    );
    expect(patched.status).toBe(200);
    expect(patched.body.mailbox).toMatchObject({ quotaMb: 2048, plan: 'cloud_nine' });
    expect(ctx().users.get('john.doe@acme.example')).toMatchObject({
      unifiedQuota: 2048,
      classOfService: ['cloud_nine'],
    });
    expect((await auditFor('user.updated', 'john.doe@acme.example')).vendorCalls.length).toBeGreaterThan(0);

    const alias = await t.request('PUT', `${T}/aliases/sales@acme.example`, {
      body: { recipients: ['john.doe@acme.example', 'mary@acme.example'] },
    });
    expect(alias.status).toBe(200);
    expect(ctx().forwards.get('sales@acme.example')?.forwardTo.sort()).toEqual([
      'john.doe@acme.example',
      'mary@acme.example',
    ]);
    const added = await t.request<{ recipients: string[] }>(
      'POST',
      `${T}/aliases/sales@acme.example/recipients`,
      { body: { recipient: 'joan@acme.example' } },
    );
    expect(added.status).toBe(200);
    expect(ctx().forwards.get('sales@acme.example')?.forwardTo).toContain('joan@acme.example');
    const removed = await t.request('DELETE', `${T}/aliases/sales@acme.example/recipients/mary@acme.example`);
    expect(removed.status).toBe(200);
    expect(ctx().forwards.get('sales@acme.example')?.forwardTo.sort()).toEqual([
      'joan@acme.example',
      'john.doe@acme.example',
    ]);
    expect((await auditFor('alias.set', 'sales@acme.example')).vendorCalls.length).toBeGreaterThan(0);
    expect((await auditFor('alias.recipient_removed', 'sales@acme.example')).outcome).toBe('success');

    const domain = await t.request('POST', `${T}/domains`, {
      body: { name: 'shared.example', kind: 'shared' },
    });
    expect(domain.status).toBe(201);
    expect(sim.state.sharedDomains.has('shared.example')).toBe(true);
    expect((await t.request('DELETE', `${T}/domains/shared.example`)).status).toBe(204);
    expect(sim.state.sharedDomains.has('shared.example')).toBe(false);
    expect(
      (await auditFor('domain.deleted', 'shared.example')).vendorCalls.some((c) => c.method === 'DELETE'),
    ).toBe(true);

    expect((await t.request('DELETE', `${T}/users/john.doe@acme.example`)).status).toBe(204);
    expect(ctx().users.has('john.doe@acme.example')).toBe(false);
    expect((await t.request('GET', `${T}/users/john.doe@acme.example`)).status).toBe(404);
    expect((await auditFor('user.deleted', 'john.doe@acme.example')).outcome).toBe('success');
  });

  it("answers a duplicate with 409 conflict and OX's own reason", async () => {
    const body = { email: 'dup@acme.example', firstName: 'D', lastName: 'Up', password: 'S3cret!pass' };
    expect((await t.request('POST', `${T}/users`, { body })).status).toBe(201);
    const again = await t.request<{ code: string; detail: string }>('POST', `${T}/users`, { body });
    expect(again.status).toBe(409);
    expect(again.body.code).toBe('conflict');
    expect(again.body.detail).toMatch(/already exists/);
    const events = (
      await t.request<{ data: (AuditEvent & { detail: { error?: { code: string } } })[] }>(
        'GET',
        '/v1/audit-events?tenantId=acme&action=user.created&limit=200',
      )
    ).body.data.filter((e) => e.resource.id === 'dup@acme.example');
    expect(events.map((e) => e.outcome).sort()).toEqual(['failure', 'success']);
    expect(events.find((e) => e.outcome === 'failure')).toMatchObject({
      provider: 'open-xchange',
      detail: { error: { code: 'conflict' } },
    });
  });

  it('refuses bad input before any vendor call', async () => {
    const before = sim.faults.requests.length;
    const cases: [string, string, unknown, number][] = [
      [
        'POST',
        '/v1/tenants/bare/users',
        { email: 'a@b.example', firstName: 'A', lastName: 'B', password: 'x' },
        409,
      ],
      ['GET', `${T}/users/not-an-email`, undefined, 422],
      [
        'POST',
        `${T}/users`,
        { email: 'x@acme.example', firstName: 'A', lastName: 'B', password: 'p', nickname: 'x' },
        422,
      ],
      [
        'POST',
        `${T}/users`,
        { email: 'x@acme.example', firstName: 'A', lastName: 'B', password: 'p', mailbox: { quotaMb: -1 } },
        422,
      ],
      ['POST', `${T}/users`, { email: 'x@acme.example', firstName: 'A', lastName: 'B' }, 422],
      ['POST', `${T}/users`, { email: 'not-an-email', firstName: 'A', lastName: 'B', password: 'p' }, 422],
    ];
    for (const [method, path, body, status] of cases) {
      const res = await t.request<{ code: string }>(method, path, { body });
      expect({ path, status: res.status }).toEqual({ path, status });
      expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    }
    expect(sim.faults.requests.length).toBe(before);
  });

  it('waits out a 429 with Retry-After on reads', async () => {
    await t.request('POST', `${T}/users`, {
      body: { email: 'rl@acme.example', firstName: 'R', lastName: 'L', password: 'S3cret!pass' },
    });
    sim.faults.set({ rateLimitNext: 1, rateLimitRetryAfterSeconds: 1 });
    const read = await t.request('GET', `${T}/users/rl@acme.example`);
    expect(read.status).toBe(200);
  });

  it('fails fast with 503 when the vendor is down, opens the breaker, and closes it when the vendor returns', async () => {
    const port = new URL(simUrl).port;
    await sim.close();
    const started = Date.now();
    const down = await t.request<{ code: string }>('GET', `${T}/users/rl@acme.example`);
    expect(down.status).toBe(503);
    expect(down.body.code).toBe('provider_unavailable');
    expect(Date.now() - started).toBeLessThan(5000);
    for (let i = 0; i < 5; i++) await t.request('GET', `${T}/users/rl@acme.example`);
    const open = await t.request<{ code: string; detail: string }>('GET', `${T}/users/rl@acme.example`);
    expect(open.status).toBe(503);
    expect(open.headers.get('retry-after')).toBeTruthy();
    expect(open.body.detail).toMatch(/circuit/i);

    sim = createOpenXchangeSimulator({
      seed: {
        contexts: [{ name: 'acme', id: 42, users: [{ name: 'rl@acme.example', mail: 'rl@acme.example' }] }],
      },
    });
    await sim.listen(Number(port));
    const deadline = Date.now() + 30_000;
    let status = 0;
    while (Date.now() < deadline) {
      status = (await t.request('GET', `${T}/users/rl@acme.example`)).status;
      if (status === 200) break;
      await new Promise((r) => setTimeout(r, 500));
    }
    expect(status).toBe(200);
  });
});
