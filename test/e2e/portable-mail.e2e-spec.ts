import { createHostwaySimulator, type HostwaySimulator } from '../../simulators/hostway/hostway.simulator';
import {
  createOpenXchangeSimulator,
  DEFAULT_OX_BRAND,
  type OpenXchangeSimulator,
} from '../../simulators/open-xchange/open-xchange.simulator';
import { startTestApp, type TestApp } from '../support/test-app';

const DOMAIN = 'portable.example';
const HOSTWAY = { username: 'hw-api', password: 'hw-secret' };

interface AuditEvent {
  action: string;
  outcome: string;
  resource: { id: string };
  vendorCalls: { method: string; path: string; status: number | null }[];
}

describe('one portal, two vendors: the neutral mail API over Open-Xchange and Hostway', () => {
  let t: TestApp;
  let ox: OpenXchangeSimulator;
  let hostway: HostwaySimulator;

  beforeAll(async () => {
    ox = createOpenXchangeSimulator({ seed: { contexts: [{ name: 'portable', id: 9 }] } });
    // Hostway keeps forwards on mailboxes, so the account already has the mailbox the alias lives on.
    hostway = createHostwaySimulator({
      ...HOSTWAY,
      seed: {
        accounts: [{ name: 'acct-1', domains: [{ name: DOMAIN, mailboxes: [{ username: 'sales' }] }] }],
      },
    });
    const [oxUrl, hostwayUrl] = await Promise.all([ox.listen(), hostway.listen()]);
    t = await startTestApp();
    for (const [id, body] of [
      [
        'tenant-ox',
        {
          provider: 'open-xchange',
          baseUrl: oxUrl,
          credentials: DEFAULT_OX_BRAND,
          settings: { context: 'portable' },
        },
      ],
      [
        'tenant-hw',
        { provider: 'hostway', baseUrl: hostwayUrl, credentials: HOSTWAY, settings: { account: 'acct-1' } },
      ],
    ] as const) {
      await t.request('POST', '/v1/tenants', { body: { id, name: id } });
      expect((await t.request('POST', `/v1/tenants/${id}/connections`, { body })).status).toBe(201);
    }
  });

  afterAll(async () => {
    await t.close();
    await Promise.all([ox.close(), hostway.close()]);
  });

  /** The portal's code: written once against the neutral API; only the tenant id changes. */
  async function portalScenario(tenant: string): Promise<void> {
    const base = `/v1/tenants/${tenant}`;
    const email = `portable.user@${DOMAIN}`;
    const created = await t.request<{ email: string; mailbox: { quotaMb: number } }>(
      'POST',
      `${base}/users`,
      {
        body: {
          email,
          firstName: 'Port',
          lastName: 'Able',
          password: 'Str0ng!Passw0rd',
          mailbox: { quotaMb: 500 },
        },
      },
    );
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ email, mailbox: { quotaMb: 500 } });

    const read = await t.request<{ email: string; mailbox: { quotaMb: number } }>(
      'GET',
      `${base}/users/${email}`,
    );
    expect(read.status).toBe(200);
    expect(read.body.mailbox.quotaMb).toBe(500);

    const listed = await t.request<{ data: { email: string }[] }>(
      'GET',
      `${base}/users?domain=${DOMAIN}&q=portable*`,
    );
    expect(listed.status).toBe(200);
    expect(listed.body.data.map((u) => u.email)).toEqual([email]);

    const patched = await t.request<{ mailbox: { quotaMb: number } }>('PATCH', `${base}/users/${email}`, {
      body: { mailbox: { quotaMb: 750 } },
    });
    expect(patched.status).toBe(200);
    expect(patched.body.mailbox.quotaMb).toBe(750);

    const alias = await t.request<{ recipients: string[] }>('PUT', `${base}/aliases/sales@${DOMAIN}`, {
      body: { recipients: [email] },
    });
    expect(alias.status).toBe(200);
    expect(alias.body.recipients).toEqual([email]);
    const aliasRead = await t.request<{ recipients: string[] }>('GET', `${base}/aliases/sales@${DOMAIN}`);
    expect(aliasRead.body.recipients).toEqual([email]);

    expect((await t.request('DELETE', `${base}/users/${email}`)).status).toBe(204);
    expect((await t.request('GET', `${base}/users/${email}`)).status).toBe(404);
  }

  it.each(['tenant-ox', 'tenant-hw'])('runs the same portal scenario unchanged on %s', async (tenant) => {
    await portalScenario(tenant);
  });

  describe('Hostway specifics through the gateway', () => {
    const base = '/v1/tenants/tenant-hw';
    const mailbox = (name: string) => hostway.state.domain('acct-1', DOMAIN)?.mailboxes.get(name);
    const auditFor = async (action: string, resourceId: string): Promise<AuditEvent> => {
      const res = await t.request<{ data: AuditEvent[] }>(
        'GET',
        `/v1/audit-events?tenantId=tenant-hw&action=${action}&limit=200`,
      );
      const event = res.body.data.find((e) => e.resource.id === resourceId);
      expect(event).toBeDefined();
      return event!;
    };

    it('creates, lists (filter, sort, cursor), changes, forwards and deletes mailboxes', async () => {
      for (const [name, quota] of [
        ['test1', 100],
        ['test2', 300],
        ['test3', 200],
      ] as const) {
        const res = await t.request('POST', `${base}/users`, {
          body: { email: `${name}@${DOMAIN}`, password: 'Str0ng!Passw0rd', mailbox: { quotaMb: quota } },
        });
        expect(res.status).toBe(201);
        expect(mailbox(name)?.quota).toBe(quota);
        expect(
          (await auditFor('user.created', `${name}@${DOMAIN}`)).vendorCalls.some((c) => c.method === 'PUT'),
        ).toBe(true);
      }
      const seen: string[] = [];
      let cursor: string | null = null;
      let pages = 0;
      do {
        const query: string = `domain=${DOMAIN}&q=test*&sort=quota&order=desc&limit=2${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`;
        const page: { status: number; body: { data: { email: string }[]; nextCursor: string | null } } =
          await t.request('GET', `${base}/users?${query}`);
        expect(page.status).toBe(200);
        seen.push(...page.body.data.map((u) => u.email));
        cursor = page.body.nextCursor;
        pages++;
      } while (cursor && pages < 10);
      expect(seen).toEqual([`test2@${DOMAIN}`, `test3@${DOMAIN}`, `test1@${DOMAIN}`]);

      expect(
        (await t.request('PATCH', `${base}/users/test1@${DOMAIN}/mailbox`, { body: { quotaMb: 900 } }))
          .status,
      ).toBe(200);
      expect(mailbox('test1')?.quota).toBe(900);

      expect(
        (
          await t.request('POST', `${base}/aliases/test1@${DOMAIN}/recipients`, {
            body: { recipient: 'outside@elsewhere.example' },
          })
        ).status,
      ).toBe(200);
      expect(mailbox('test1')?.forwards).toEqual(['outside@elsewhere.example']);
      expect(
        (await t.request('DELETE', `${base}/aliases/test1@${DOMAIN}/recipients/outside@elsewhere.example`))
          .status,
      ).toBe(200);
      expect(mailbox('test1')?.forwards).toEqual([]);
      const removed = await auditFor('alias.recipient_removed', `test1@${DOMAIN}`);
      expect(removed.vendorCalls.some((c) => c.method === 'DELETE' && c.path.includes('/forwards/'))).toBe(
        true,
      );

      expect((await t.request('DELETE', `${base}/users/test3@${DOMAIN}`)).status).toBe(204);
      expect(mailbox('test3')).toBeUndefined();
      expect((await auditFor('user.deleted', `test3@${DOMAIN}`)).outcome).toBe('success');
    });

    it('refuses a weak password naming the rule, a listing without domain, and domain creation', async () => {
      const before = hostway.faults.requests.length;
      const weak = await t.request<{ code: string; errors: { field: string; message: string }[] }>(
        'POST',
        `${base}/users`,
        {
          body: { email: `weak@${DOMAIN}`, password: 'password1' },
        },
      );
      expect(weak.status).toBe(422);
      expect(weak.body.code).toBe('validation_failed');
      expect(weak.body.errors[0].field).toBe('password');
      expect(weak.body.errors.map((e) => e.message).join(' ')).toMatch(/upper|special/i);
      expect(hostway.faults.requests.length).toBe(before);

      const noDomain = await t.request<{ code: string }>('GET', `${base}/users`);
      expect(noDomain.status).toBe(422);
      const domain = await t.request<{ code: string }>('POST', `${base}/domains`, {
        body: { name: 'new.example' },
      });
      expect(domain.status).toBe(501);
      expect(domain.body.code).toBe('unsupported_operation');
    });
  });
});
