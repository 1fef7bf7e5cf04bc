import type { ProviderAdapter, UserField } from '../../src/adapters/provider-adapter';
import { MAIL_OPERATIONS, supportedOperations, type MailOperation } from '../../src/domain/capabilities';
import { GatewayError, type ErrorCode } from '../../src/domain/errors';
import type { CreateUserInput, UserRecord } from '../../src/domain/model';
import type { CallContext } from '../../src/domain/ports/call-context';
import type { MailServicePort } from '../../src/domain/ports/mail-service.port';
import { VendorCallLog } from '../../src/domain/vendor-call';

/** What one mail adapter under contract brings: the port class, its provider, a running simulator of its vendor. */
export interface MailContractFixture {
  /** The mail port adapter class under test, e.g. `new OpenXchangeMailAdapter()`. */
  port: MailServicePort;
  /** The provider the registry ships; its `mail` must be an instance of the class under test. */
  provider: ProviderAdapter;
  /** A call context on the real vendor HTTP client; `vendorCalls` must be a VendorCallLog. */
  ctx: CallContext;
  sim: { reset(): Promise<void> };
  /** A mail domain users and aliases may be created in. */
  domain: string;
  /** Two plan names the vendor accepts, used when the descriptor declares `plan`. */
  plans?: [string, string];
  teardown(): Promise<void>;
}

/** Resolves with the GatewayError code a call failed with, or fails the test. */
async function errorCodeOf(call: Promise<unknown>): Promise<ErrorCode> {
  try {
    await call;
  } catch (error) {
    if (error instanceof GatewayError) return error.code;
    throw error;
  }
  throw new Error('expected the call to fail with a GatewayError');
}

/** Names a portal written for a vendor that requires them always sends. */
const NAME_FIELDS = ['firstName', 'lastName', 'displayName'] as const satisfies readonly UserField[];

/**
 * Behaviour every mail adapter must show. Operations an adapter does not implement are
 * answered 501 by the gateway; here the suite asserts their absence and checks nothing more.
 * Fields round-trip only where the descriptor declares them (`userFields`); name fields it does
 * not declare must still be accepted, and must not come back.
 */
export function describeMailServiceContract(name: string, setup: () => Promise<MailContractFixture>): void {
  describe(`mail service contract: ${name}`, () => {
    let f: MailContractFixture;
    let mail: MailServicePort;
    let supported: Set<string>;
    let seq = 0;

    beforeAll(async () => {
      f = await setup();
      mail = f.port;
      supported = new Set(supportedOperations(mail, MAIL_OPERATIONS));
    });
    afterAll(() => f?.teardown());
    beforeEach(() => f.sim.reset());

    const stores = (field: UserField): boolean => f.provider.descriptor.userFields.includes(field);
    const plans = (): [string, string] | undefined => (stores('plan') ? f.plans : undefined);

    /** Each name field comes back as written when declared, and is absent when not. */
    const expectNames = (
      user: UserRecord,
      written: Pick<CreateUserInput, (typeof NAME_FIELDS)[number]>,
    ): void => {
      for (const field of NAME_FIELDS) {
        if (stores(field)) expect(user[field]).toBe(written[field]);
        else expect(user).not.toHaveProperty(field);
      }
    };

    /** True when every operation is implemented; otherwise asserts the missing ones really are absent. */
    const can = (...operations: MailOperation[]): boolean => {
      const missing = operations.filter((op) => !supported.has(op));
      for (const op of missing) expect(mail[MAIL_OPERATIONS[op]]).toBeUndefined();
      return missing.length === 0;
    };

    const userInput = (local: string, quotaMb = 1024, plan = plans()?.[0]): CreateUserInput => ({
      email: `${local}@${f.domain}`,
      firstName: 'Contract',
      lastName: `User ${++seq}`,
      displayName: `Contract User ${seq}`,
      password: 'C0ntract-Passw0rd!',
      mailbox: { quotaMb, ...(plan ? { plan } : {}) },
    });

    const listAll = async (query: { q?: string; sort?: 'email' | 'quota'; order?: 'asc' | 'desc' }) => {
      const seen: UserRecord[] = [];
      let cursor: string | undefined;
      for (let pages = 0; pages < 50; pages++) {
        const page = await mail.listUsers!(f.ctx, { ...query, domain: f.domain, limit: 2, cursor });
        expect(page.data.length).toBeLessThanOrEqual(2);
        seen.push(...page.data);
        if (page.nextCursor === null) return seen;
        cursor = page.nextCursor;
      }
      throw new Error('paging did not end');
    };

    it('describes itself and implements the mail port it declares', () => {
      expect(f.provider.descriptor.services).toContain('mail');
      expect(f.provider.mail).toBeInstanceOf(f.port.constructor);
      for (const field of [...f.provider.descriptor.credentials, ...f.provider.descriptor.settings]) {
        expect(field.description.length).toBeGreaterThan(0);
      }
      expect(supported.size).toBeGreaterThan(0);
      const declared = f.provider.descriptor.userFields;
      expect(new Set(declared).size).toBe(declared.length);
      if (f.plans === undefined) expect(declared).not.toContain('plan');
      for (const op of Object.keys(MAIL_OPERATIONS) as MailOperation[]) {
        expect(typeof mail[MAIL_OPERATIONS[op]] === 'function').toBe(supported.has(op));
      }
    });

    it('passes the connection check', async () => {
      expect(typeof (await f.provider.check(f.ctx))).toBe('string');
    });

    it('creates a user, reads it back, and records the vendor calls', async () => {
      if (!can('users.create', 'users.get')) return;
      const input = userInput('ada');
      const created = await mail.createUser!(f.ctx, input);
      expect(created).toMatchObject({ email: input.email, status: 'active' });
      expectNames(created, input);
      expect(created.externalId).toEqual(expect.any(String));
      expect(JSON.stringify(created)).not.toContain(input.password);

      const read = await mail.getUser!(f.ctx, input.email, { includeRaw: true });
      expect(read.email).toBe(input.email);
      expectNames(read, input);
      if (stores('quotaMb')) expect(read.mailbox?.quotaMb).toBe(1024);
      if (input.mailbox?.plan) expect(read.mailbox?.plan).toBe(input.mailbox.plan);
      expect(read.raw).toBeDefined();
      expect((await mail.getUser!(f.ctx, input.email, { includeRaw: false })).raw).toBeUndefined();

      const calls = (f.ctx.vendorCalls as VendorCallLog).calls;
      expect(calls.length).toBeGreaterThan(0);
      expect(calls.every((c) => typeof c.method === 'string' && typeof c.path === 'string')).toBe(true);
    });

    it('answers a duplicate create with conflict and an unknown user with not_found', async () => {
      if (!can('users.create', 'users.get')) return;
      const input = userInput('dup');
      await mail.createUser!(f.ctx, input);
      expect(await errorCodeOf(mail.createUser!(f.ctx, input))).toBe('conflict');
      expect(await errorCodeOf(mail.getUser!(f.ctx, `nobody@${f.domain}`, { includeRaw: false }))).toBe(
        'not_found',
      );
    });

    it('lists users with a q wildcard and cursor paging, each user exactly once, in order', async () => {
      if (!can('users.create', 'users.list')) return;
      const wanted = ['jo-a', 'jo-b', 'jo-c', 'jo-d', 'jo-e'];
      for (const [i, local] of wanted.entries())
        await mail.createUser!(f.ctx, userInput(local, 500 + ((i * 7) % 5) * 100));
      await mail.createUser!(f.ctx, userInput('other'));

      const asc = await listAll({ q: 'jo*', sort: 'email', order: 'asc' });
      const emails = wanted.map((l) => `${l}@${f.domain}`);
      expect(asc.map((u) => u.email)).toEqual(emails);
      const desc = await listAll({ q: 'jo*', sort: 'email', order: 'desc' });
      expect(desc.map((u) => u.email)).toEqual([...emails].reverse());

      const byQuota = await listAll({ q: 'jo*', sort: 'quota', order: 'asc' });
      expect(new Set(byQuota.map((u) => u.email))).toEqual(new Set(emails));
      expect(byQuota).toHaveLength(emails.length);
      if (stores('quotaMb')) {
        const quotas = byQuota.map((u) => u.mailbox?.quotaMb ?? Infinity);
        expect(quotas).toEqual([...quotas].sort((a, b) => a - b));
      }

      const all = (await listAll({})).map((u) => u.email);
      expect(new Set(all).size).toBe(all.length);
      expect(all).toEqual(expect.arrayContaining([...emails, `other@${f.domain}`]));
      expect(all.every((email) => email.endsWith(`@${f.domain}`))).toBe(true);
    });

    it('changes names, quota and plan and shows the declared ones on the user and its mailbox', async () => {
      if (!can('users.create', 'users.update', 'users.get')) return;
      const input = userInput('quota');
      await mail.createUser!(f.ctx, input);
      const plan = plans()?.[1];
      const names = { firstName: 'Renata', lastName: 'Named', displayName: 'Renamed' };
      const updated = await mail.updateUser!(f.ctx, input.email, {
        ...names,
        mailbox: { quotaMb: 4096, ...(plan ? { plan } : {}) },
      });
      expect(updated.email).toBe(input.email);
      expectNames(updated, names);
      const read = await mail.getUser!(f.ctx, input.email, { includeRaw: false });
      expectNames(read, names);
      if (stores('quotaMb')) expect(read.mailbox?.quotaMb).toBe(4096);
      if (plan) expect(read.mailbox?.plan).toBe(plan);

      const renamedOnly = await mail.updateUser!(f.ctx, input.email, { displayName: 'Only A Name' });
      expectNames(renamedOnly, { ...names, displayName: 'Only A Name' });

      if (!stores('quotaMb') || !can('mailbox.get', 'mailbox.update')) return;
      const mailbox = await mail.updateMailbox!(f.ctx, input.email, { quotaMb: 2048 });
      expect(mailbox.quotaMb).toBe(2048);
      expect((await mail.getMailbox!(f.ctx, input.email)).quotaMb).toBe(2048);
    });

    it('deletes a user, after which it is not found', async () => {
      if (!can('users.create', 'users.delete', 'users.get')) return;
      const input = userInput('gone');
      await mail.createUser!(f.ctx, input);
      await mail.deleteUser!(f.ctx, input.email);
      expect(await errorCodeOf(mail.getUser!(f.ctx, input.email, { includeRaw: false }))).toBe('not_found');
      expect(await errorCodeOf(mail.deleteUser!(f.ctx, input.email))).toBe('not_found');
    });

    it('puts an alias, adds and removes recipients, replaces and deletes it', async () => {
      if (!can('aliases.put', 'aliases.get')) return;
      const address = `sales@${f.domain}`;
      const [a, b, c] = ['a@recipients.example', 'b@recipients.example', 'c@recipients.example'];
      expect((await mail.putAlias!(f.ctx, address, [a, b])).recipients.sort()).toEqual([a, b]);
      expect((await mail.getAlias!(f.ctx, address)).recipients.sort()).toEqual([a, b]);

      if (can('aliases.recipients.add', 'aliases.recipients.remove')) {
        expect((await mail.addAliasRecipient!(f.ctx, address, c)).recipients.sort()).toEqual([a, b, c]);
        expect((await mail.removeAliasRecipient!(f.ctx, address, a)).recipients.sort()).toEqual([b, c]);
      }
      expect((await mail.putAlias!(f.ctx, address, [a])).recipients).toEqual([a]);

      if (can('aliases.list')) {
        const page = await mail.listAliases!(f.ctx, { domain: f.domain, limit: 50 });
        expect(page.data).toContainEqual({ address, recipients: [a] });
      }
      if (!can('aliases.delete')) return;
      await mail.deleteAlias!(f.ctx, address);
      expect(await errorCodeOf(mail.getAlias!(f.ctx, address))).toBe('not_found');
    });

    it('creates, reads, lists and deletes a domain', async () => {
      if (!can('domains.create', 'domains.get', 'domains.delete')) return;
      const name = `contract-${Date.now()}.example`;
      expect(await mail.createDomain!(f.ctx, name, 'shared')).toEqual({ name, kind: 'shared' });
      expect(await mail.getDomain!(f.ctx, name)).toEqual({ name, kind: 'shared' });
      expect(await errorCodeOf(mail.createDomain!(f.ctx, name, 'shared'))).toBe('conflict');
      if (can('domains.list'))
        expect(await mail.listDomains!(f.ctx)).toContainEqual({ name, kind: 'shared' });
      await mail.deleteDomain!(f.ctx, name);
      expect(await errorCodeOf(mail.getDomain!(f.ctx, name))).toBe('not_found');
    });
  });
}
