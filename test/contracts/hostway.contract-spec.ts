import { HOSTWAY_PROVIDER, HostwayMailAdapter } from '../../src/adapters/hostway/hostway.adapter';
import type { VendorHttpClients } from '../../src/adapters/http';
import { MAIL_OPERATIONS, supportedOperations } from '../../src/domain/capabilities';
import type { UserRecord } from '../../src/domain/model';
import type { CallContext } from '../../src/domain/ports/call-context';
import { VendorCallLog } from '../../src/domain/vendor-call';
import { createHostwaySimulator, type HostwaySimulator } from '../../simulators/hostway/hostway.simulator';
import type { HostwayMailbox } from '../../simulators/hostway/hostway.store';
import { callContextFor, testVendorHttpClients } from '../support/simulator-harness';
import { describeMailServiceContract } from './mail-service.contract';
import { expectGatewayError } from '../support/expect-gateway-error';

const ACCOUNT = 'acct-1';
const DOMAIN = 'example.com';
const PASSWORD = 'Str0ng!Pass';

describeMailServiceContract('hostway', async () => {
  const sim = createHostwaySimulator({
    username: 'hw-api',
    password: 'hw-pass',
    seed: {
      accounts: [
        {
          name: ACCOUNT,
          // Hostway forwards live on a mailbox, so the suite's alias address exists as one.
          domains: [{ name: DOMAIN, mailboxes: [{ username: 'sales' }] }],
        },
      ],
    },
  });
  const baseUrl = await sim.listen();
  const clients = testVendorHttpClients();
  return {
    port: new HostwayMailAdapter(),
    provider: HOSTWAY_PROVIDER,
    ctx: callContextFor(clients, {
      id: 'conn-hostway-contract',
      tenantId: 'tenant-1',
      provider: 'hostway',
      baseUrl,
      credentials: { username: 'hw-api', password: 'hw-pass' },
      settings: { account: ACCOUNT, checkDomain: DOMAIN },
      services: ['mail'],
    }),
    sim: {
      reset: async () => {
        sim.faults.reset();
        sim.state.reset();
      },
    },
    domain: DOMAIN,
    plans: ['standard', 'premium'],
    teardown: async () => {
      await clients.close();
      await sim.close();
    },
  };
});

describe('Hostway adapter against the Hostway simulator', () => {
  let sim: HostwaySimulator;
  let url: string;
  let clients: VendorHttpClients;
  const adapter = HOSTWAY_PROVIDER;
  const mail = new HostwayMailAdapter();
  let log: VendorCallLog;

  const context = (
    overrides: { settings?: Record<string, unknown>; password?: string } = {},
  ): CallContext => {
    log = new VendorCallLog();
    return {
      connection: {
        id: 'conn-hostway',
        tenantId: 'tenant-1',
        provider: 'hostway',
        baseUrl: url,
        credentials: { username: 'hw-api', password: overrides.password ?? 'hw-pass' },
        settings: overrides.settings ?? { account: ACCOUNT },
        services: ['mail'],
      },
      requestId: 'req-1',
      vendorCalls: log,
      http: clients.forConnection(
        { tenantId: 'acme', id: 'conn-hostway', baseUrl: url, provider: 'hostway' },
        log,
      ),
    };
  };
  const mailboxes = (): Map<string, HostwayMailbox> => sim.state.domain(ACCOUNT, DOMAIN)!.mailboxes;
  const vendorRequests = () => sim.faults.requests;

  beforeAll(async () => {
    sim = createHostwaySimulator({
      username: 'hw-api',
      password: 'hw-pass',
      seed: {
        accounts: [{ name: ACCOUNT, domains: [{ name: DOMAIN, quota: 9000 }, { name: 'empty.org' }] }],
      },
    });
    url = await sim.listen();
    clients = testVendorHttpClients();
  });
  afterAll(async () => {
    await clients.close();
    await sim.close();
  });
  beforeEach(() => {
    sim.state.reset();
    sim.faults.reset();
  });

  const createThree = async () => {
    for (const [name, quota] of [
      ['test1', 100],
      ['test2', 300],
      ['test3', 200],
    ] as const) {
      await mail.createUser(context(), {
        email: `${name}@${DOMAIN}`,
        password: PASSWORD,
        mailbox: { quotaMb: quota },
      });
    }
    await mail.createUser(context(), {
      email: `other@${DOMAIN}`,
      password: PASSWORD,
      mailbox: { quotaMb: 999 },
    });
    sim.faults.requests.length = 0;
  };

  describe('checks before any vendor call', () => {
    it('refuses a weak password with 422 naming the broken rules, and sends nothing', async () => {
      const error = await expectGatewayError(
        mail.createUser(context(), { email: `weak@${DOMAIN}`, password: 'password1' }),
        'validation_failed',
      );
      expect(error.status).toBe(422);
      expect(error.errors).toEqual([
        { field: 'password', message: expect.stringContaining('(rule: uppercase)') },
        { field: 'password', message: expect.stringContaining('(rule: special)') },
      ]);
      expect(error.detail).toContain('rule: uppercase');
      expect(vendorRequests()).toEqual([]);
      expect(log.calls).toEqual([]);
    });

    it('refuses a weak password on update too, before reading the mailbox', async () => {
      await expectGatewayError(
        mail.updateUser(context(), `x@${DOMAIN}`, { password: 'short' }),
        'validation_failed',
      );
      expect(vendorRequests()).toEqual([]);
    });

    it('refuses a listing without domain, naming the field', async () => {
      const error = await expectGatewayError(mail.listUsers(context(), { limit: 10 }), 'validation_failed');
      expect(error.errors).toEqual([{ field: 'domain', message: expect.any(String) }]);
      await expectGatewayError(mail.listAliases(context(), { limit: 10 }), 'validation_failed');
      expect(vendorRequests()).toEqual([]);
    });

    it('refuses fields Hostway cannot store, a bad mailbox name, and a missing password on create', async () => {
      const aliases = await expectGatewayError(
        mail.createUser(context(), {
          email: `n@${DOMAIN}`,
          password: PASSWORD,
          firstName: 'Ann',
          aliases: [`ann@${DOMAIN}`],
        }),
        'validation_failed',
      );
      expect(aliases.errors?.map((e) => e.field)).toEqual(['aliases']);
      const badName = await expectGatewayError(
        mail.createUser(context(), { email: `bad+name@${DOMAIN}`, password: PASSWORD }),
        'validation_failed',
      );
      expect(badName.errors?.[0].field).toBe('email');
      const noPassword = await expectGatewayError(
        mail.createUser(context(), { email: `np@${DOMAIN}` }),
        'validation_failed',
      );
      expect(noPassword.errors?.[0].field).toBe('password');
      await expectGatewayError(
        mail.updateMailbox(context(), `n@${DOMAIN}`, { spamLevel: 'high', extras: { trialType: 'premium' } }),
        'validation_failed',
      );
      expect(vendorRequests()).toEqual([]);
    });

    it('refuses a cursor it did not issue', async () => {
      const error = await expectGatewayError(
        mail.listUsers(context(), { domain: DOMAIN, limit: 2, cursor: 'not-a-cursor' }),
        'validation_failed',
      );
      expect(error.errors?.[0].field).toBe('cursor');
    });
  });

  describe('users', () => {
    it('creates a mailbox with a Basic-auth PUT after checking it does not exist, and reads it back', async () => {
      const created = await mail.createUser(context(), {
        email: `ann@${DOMAIN}`,
        password: PASSWORD,
        mailbox: { quotaMb: 250, plan: 'activesync' },
        extras: { master: 1 },
      });
      expect(created).toEqual({
        email: `ann@${DOMAIN}`,
        externalId: `ann@${DOMAIN}`,
        status: 'active',
        aliases: [],
        mailbox: {
          quotaMb: 250,
          usedMb: 0,
          plan: 'activesync',
          webmailAccess: 'activesync',
          extras: { master: 1 },
        },
      });
      expect(mailboxes().get('ann')).toMatchObject({
        password: PASSWORD,
        quota: 250,
        type: 'activesync',
        master: 1,
      });
      const [check, put] = vendorRequests();
      expect(check).toMatchObject({
        method: 'GET',
        url: `/accounts/${ACCOUNT}/email/${DOMAIN}/usernames/ann/mailbox`,
      });
      expect(put).toMatchObject({
        method: 'PUT',
        url: `/accounts/${ACCOUNT}/email/${DOMAIN}/usernames/ann/mailbox`,
        contentType: 'application/json; charset=UTF-8',
        body: { password: PASSWORD, master: 1, quota: 250, type: 'activesync' },
      });
      expect(log.calls.map((c) => `${c.method} ${c.status}`)).toEqual([
        'GET 404',
        'PUT 201',
        'GET 200',
        'GET 200',
      ]);
    });

    it('accepts names on create and update, sends none to Hostway, and returns none', async () => {
      const names = { firstName: 'Ann', lastName: 'Lee', displayName: 'Ann Lee' };
      const created = await mail.createUser(context(), {
        email: `named@${DOMAIN}`,
        password: PASSWORD,
        ...names,
        mailbox: { quotaMb: 20 },
      });
      const renamed = await mail.updateUser(context(), `named@${DOMAIN}`, { displayName: 'Ann L.' });
      const read = await mail.getUser(context(), `named@${DOMAIN}`, { includeRaw: true });
      for (const user of [created, renamed, read]) {
        for (const field of Object.keys(names)) expect(user).not.toHaveProperty(field);
      }
      expect(created.mailbox?.quotaMb).toBe(20);
      const puts = vendorRequests().filter((r) => r.method === 'PUT');
      expect(puts.map((r) => r.body)).toEqual([{ password: PASSWORD, quota: 20 }]);
      expect(JSON.stringify(sim.faults.requests)).not.toContain('Ann');
      for (const field of Object.keys(names)) expect(adapter.descriptor.userFields).not.toContain(field);
    });

    it('answers a duplicate create with 409 conflict and never overwrites the mailbox', async () => {
      await mail.createUser(context(), {
        email: `dup@${DOMAIN}`,
        password: PASSWORD,
        mailbox: { quotaMb: 10 },
      });
      const error = await expectGatewayError(
        mail.createUser(context(), {
          email: `dup@${DOMAIN}`,
          password: 'Other!Passw0rd',
          mailbox: { quotaMb: 20 },
        }),
        'conflict',
      );
      expect(error.detail).toContain(`dup@${DOMAIN}`);
      expect(mailboxes().get('dup')).toMatchObject({ password: PASSWORD, quota: 10 });
      expect(vendorRequests().filter((r) => r.method === 'PUT')).toHaveLength(1);
    });

    it('reads usage, trials and the raw vendor records', async () => {
      await mail.createUser(context(), { email: `tri@${DOMAIN}`, password: PASSWORD });
      Object.assign(mailboxes().get('tri')!, {
        usage: 42,
        trialType: 'premium',
        trialExpiration: '2030-01-31',
      });
      const user = await mail.getUser(context(), `tri@${DOMAIN}`, { includeRaw: true });
      expect(user.mailbox).toEqual({
        quotaMb: 1024,
        usedMb: 42,
        plan: 'standard',
        webmailAccess: 'standard',
        extras: { master: 0, trialType: 'premium', trialExpiration: '2030-01-31' },
      });
      expect(user.raw).toMatchObject({
        mailbox: { username: 'tri', usage: 42 },
        listing: { webmailAccess: 'standard' },
      });
      expect(await mail.getMailbox(context(), `tri@${DOMAIN}`)).toEqual(user.mailbox);
    });

    it('lists q=test* sorted by quota descending, two per page, every mailbox exactly once', async () => {
      await createThree();
      const seen: UserRecord[] = [];
      let cursor: string | undefined;
      let pages = 0;
      do {
        const page = await mail.listUsers(context(), {
          domain: DOMAIN,
          q: 'test*',
          sort: 'quota',
          order: 'desc',
          limit: 2,
          cursor,
        });
        seen.push(...page.data);
        cursor = page.nextCursor ?? undefined;
        pages++;
      } while (cursor && pages < 10);

      expect(pages).toBe(2);
      expect(seen.map((u) => [u.email, u.mailbox?.quotaMb])).toEqual([
        [`test2@${DOMAIN}`, 300],
        [`test3@${DOMAIN}`, 200],
        [`test1@${DOMAIN}`, 100],
      ]);
      expect(seen[0].mailbox?.plan).toBe('standard');
      const urls = vendorRequests().map((r) => r.url);
      const base = `/accounts/${ACCOUNT}/email/${DOMAIN}/usernames`;
      expect(urls).toEqual([
        `${base}?filterUsername=test*&page=1&pageSize=2&sortField=quota&sortOrder=desc&details=1`,
        `${base}?filterUsername=test*&page=2&pageSize=2&sortField=quota&sortOrder=desc&details=1`,
      ]);
    });

    it('ends the listing on a full last page and on an empty list', async () => {
      await createThree();
      const full = await mail.listUsers(context(), { domain: DOMAIN, q: `test*@${DOMAIN}`, limit: 3 });
      expect(full.data.map((u) => u.email)).toEqual([
        `test1@${DOMAIN}`,
        `test2@${DOMAIN}`,
        `test3@${DOMAIN}`,
      ]);
      expect(full.nextCursor).toBeNull();
      const empty = await mail.listUsers(context(), { domain: 'empty.org', limit: 5 });
      expect(empty).toEqual({ data: [], nextCursor: null });
      const otherDomain = await mail.listUsers(context(), {
        domain: DOMAIN,
        q: 'test*@elsewhere.net',
        limit: 5,
      });
      expect(otherDomain).toEqual({ data: [], nextCursor: null });
    });

    it('changes a quota through the user and through the mailbox, refusing a missing mailbox', async () => {
      await createThree();
      const user = await mail.updateUser(context(), `test1@${DOMAIN}`, { mailbox: { quotaMb: 555 } });
      expect(user.mailbox?.quotaMb).toBe(555);
      expect(mailboxes().get('test1')?.quota).toBe(555);
      const settings = await mail.updateMailbox(context(), `test1@${DOMAIN}`, {
        quotaMb: 777,
        plan: 'premium',
      });
      expect(settings).toMatchObject({ quotaMb: 777, plan: 'premium' });
      expect(mailboxes().get('test1')).toMatchObject({ quota: 777, type: 'premium', password: PASSWORD });
      const puts = vendorRequests().filter((r) => r.method === 'PUT');
      expect(puts.map((r) => r.body)).toEqual([{ quota: 555 }, { quota: 777, type: 'premium' }]);

      sim.faults.requests.length = 0;
      await expectGatewayError(mail.updateMailbox(context(), `ghost@${DOMAIN}`, { quotaMb: 1 }), 'not_found');
      expect(vendorRequests().filter((r) => r.method === 'PUT')).toEqual([]);
      expect(mailboxes().has('ghost')).toBe(false);
    });

    it('deletes a mailbox, then answers not_found', async () => {
      await createThree();
      await mail.deleteUser(context(), `test3@${DOMAIN}`);
      expect(mailboxes().has('test3')).toBe(false);
      expect(log.calls).toEqual([
        expect.objectContaining({
          method: 'DELETE',
          path: `/accounts/${ACCOUNT}/email/${DOMAIN}/usernames/test3/mailbox`,
          status: 204,
        }),
      ]);
      await expectGatewayError(
        mail.getUser(context(), `test3@${DOMAIN}`, { includeRaw: false }),
        'not_found',
      );
      await expectGatewayError(mail.deleteUser(context(), `test3@${DOMAIN}`), 'not_found');
    });
  });

  describe('aliases (forwards)', () => {
    it('sets, adds, removes and deletes forwards on a mailbox', async () => {
      await createThree();
      const address = `test1@${DOMAIN}`;
      await expectGatewayError(mail.getAlias(context(), address), 'not_found');

      expect(await mail.putAlias(context(), address, ['a@x.org', 'b@x.org'])).toEqual({
        address,
        recipients: ['a@x.org', 'b@x.org'],
      });
      expect(mailboxes().get('test1')?.forwards).toEqual(['a@x.org', 'b@x.org']);

      await mail.putAlias(context(), address, ['b@x.org', 'c@x.org']);
      expect(mailboxes().get('test1')?.forwards).toEqual(['b@x.org', 'c@x.org']);
      expect(log.calls.map((c) => c.method)).toEqual(['GET', 'POST', 'DELETE', 'GET']);

      expect((await mail.addAliasRecipient(context(), address, 'd@x.org')).recipients).toEqual([
        'b@x.org',
        'c@x.org',
        'd@x.org',
      ]);
      expect((await mail.removeAliasRecipient(context(), address, 'b@x.org')).recipients).toEqual([
        'c@x.org',
        'd@x.org',
      ]);
      expect(await mail.getAlias(context(), address)).toEqual({
        address,
        recipients: ['c@x.org', 'd@x.org'],
      });
      await expectGatewayError(mail.removeAliasRecipient(context(), address, 'zz@x.org'), 'not_found');

      await mail.putAlias(context(), `test2@${DOMAIN}`, ['e@x.org']);
      const listed = await mail.listAliases(context(), { domain: DOMAIN, limit: 10 });
      expect(listed).toEqual({
        data: [
          { address: `test1@${DOMAIN}`, recipients: ['c@x.org', 'd@x.org'] },
          { address: `test2@${DOMAIN}`, recipients: ['e@x.org'] },
        ],
        nextCursor: null,
      });

      await mail.deleteAlias(context(), address);
      expect(mailboxes().get('test1')?.forwards).toEqual([]);
      await expectGatewayError(mail.getAlias(context(), address), 'not_found');
      await expectGatewayError(mail.deleteAlias(context(), address), 'not_found');
    });

    it("maps a delivery loop to conflict with Hostway's message, and a missing mailbox to not_found", async () => {
      await createThree();
      const error = await expectGatewayError(
        mail.addAliasRecipient(context(), `test1@${DOMAIN}`, `test1@${DOMAIN}`),
        'conflict',
      );
      expect(error.detail).toContain('delivery loop');
      await expectGatewayError(mail.putAlias(context(), `ghost@${DOMAIN}`, ['a@x.org']), 'not_found');
    });
  });

  describe('domains, capabilities and connection check', () => {
    it('gets a domain and answers not_found for an unknown one', async () => {
      expect(await mail.getDomain(context(), DOMAIN)).toEqual({ name: DOMAIN, kind: 'explicit' });
      await expectGatewayError(mail.getDomain(context(), 'nope.net'), 'not_found');
    });

    it('declares exactly the operations it implements: no domain list, create or delete', () => {
      const operations = supportedOperations(adapter.mail!, MAIL_OPERATIONS);
      expect(operations).toEqual(
        expect.arrayContaining(['users.list', 'users.create', 'aliases.put', 'domains.get']),
      );
      expect(operations).not.toContain('domains.create');
      expect(operations).not.toContain('domains.delete');
      expect(operations).not.toContain('domains.list');
      expect(adapter.descriptor.notes.join(' ')).toMatch(/no forbidden prefixes/);
    });

    it('checks the connection through checkDomain, or the credentials alone without it', async () => {
      expect(await adapter.check(context({ settings: { account: ACCOUNT, checkDomain: DOMAIN } }))).toContain(
        'quota 9000 MB',
      );
      expect(await adapter.check(context())).toContain('accepted the credentials');
      await expectGatewayError(adapter.check(context({ password: 'wrong' })), 'provider_auth_failed');
      await expectGatewayError(
        adapter.check(context({ settings: { account: ACCOUNT, checkDomain: 'nope.net' } })),
        'not_found',
      );
    });
  });

  describe('vendor failures', () => {
    it('maps bad credentials to provider_auth_failed and never records the password', async () => {
      await expectGatewayError(
        mail.listUsers(context({ password: 'wrong' }), { domain: DOMAIN, limit: 5 }),
        'provider_auth_failed',
      );
      await mail.createUser(context(), { email: `sec@${DOMAIN}`, password: PASSWORD });
      expect(JSON.stringify(log.calls)).not.toContain(PASSWORD);
    });

    it('maps 429 to rate_limited with Retry-After, and 5xx to provider_unavailable', async () => {
      await createThree();
      sim.faults.set({ rateLimitNext: 1, rateLimitRetryAfterSeconds: 30 });
      const limited = await expectGatewayError(
        mail.addAliasRecipient(context(), `test1@${DOMAIN}`, 'a@x.org'),
        'rate_limited',
      );
      expect(limited.retryAfterSeconds).toBe(30);
      sim.faults.set({ errorRate: 1, errorStatus: 500 });
      const down = await expectGatewayError(
        mail.deleteUser(context(), `test1@${DOMAIN}`),
        'provider_unavailable',
      );
      expect(down.status).toBe(502);
    });

    it('retries a read Hostway rate-limited briefly, then succeeds', async () => {
      sim.faults.set({ rateLimitNext: 1, rateLimitRetryAfterSeconds: 0 });
      expect(await mail.listUsers(context(), { domain: 'empty.org', limit: 5 })).toEqual({
        data: [],
        nextCursor: null,
      });
      expect(log.calls.map((c) => c.status)).toEqual([429, 200]);
    });
  });
});
