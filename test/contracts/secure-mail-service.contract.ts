import type { ProviderAdapter } from '../../src/adapters/provider-adapter';
import type { UserRecord } from '../../src/domain/model';
import type { CallContext } from '../../src/domain/ports/call-context';
import type { SecureMailServicePort } from '../../src/domain/ports/secure-mail-service.port';
import { expectGatewayError } from '../support/expect-gateway-error';

/** What a backend under test offers the shared secure-mail contract. */
export interface SecureMailContractHarness {
  /** The secure-mail port adapter class under test, e.g. `new DataMotionSecureMailAdapter(…)`. */
  port: Required<SecureMailServicePort>;
  /** The provider the registry ships; its `secureMail` must be an instance of the class under test. */
  provider: ProviderAdapter;
  /** A fresh call context (new vendor-call log) on a connection that can read, list and delete users. */
  context(): CallContext;
  /** Clears the backend between tests. */
  reset(): Promise<void>;
  close(): Promise<void>;
}

/** The secure-mail port's behaviour every secure-mail adapter must show, run against a live backend. */
export function describeSecureMailServiceContract(
  name: string,
  setup: () => Promise<SecureMailContractHarness>,
): void {
  describe(`SecureMailServicePort contract: ${name}`, () => {
    let h: SecureMailContractHarness;

    beforeAll(async () => {
      h = await setup();
    });
    afterAll(async () => {
      await h?.close();
    });
    beforeEach(() => h.reset());

    it('is the port the provider ships', () => {
      expect(h.provider.secureMail?.constructor).toBe(h.port.constructor);
    });

    it('creates a user keyed by its email, reads, changes and deletes it', async () => {
      const created = await h.port.createUser(h.context(), {
        email: 'ada@secure.example',
        firstName: 'Ada',
        lastName: 'Lovelace',
        password: 'Initial-Pass-1',
      });
      expect(created).toMatchObject({
        email: 'ada@secure.example',
        externalId: 'ada@secure.example',
        firstName: 'Ada',
        lastName: 'Lovelace',
        status: 'active',
        aliases: [],
      });
      const read = await h.port.getUser(h.context(), 'ada@secure.example', { includeRaw: true });
      expect(read).toMatchObject({ email: 'ada@secure.example', firstName: 'Ada' });
      expect(read.raw).toBeDefined();

      const changed = await h.port.updateUser(h.context(), 'ada@secure.example', { firstName: 'Augusta' });
      expect(changed).toMatchObject({
        email: 'ada@secure.example',
        firstName: 'Augusta',
        lastName: 'Lovelace',
      });
      expect((await h.port.getUser(h.context(), 'ada@secure.example', { includeRaw: false })).firstName).toBe(
        'Augusta',
      );

      await h.port.deleteUser(h.context(), 'ada@secure.example');
      await expectGatewayError(
        h.port.getUser(h.context(), 'ada@secure.example', { includeRaw: false }),
        'not_found',
      );
    });

    it('refuses to create an existing user, to change or delete an unknown one', async () => {
      await h.port.createUser(h.context(), { email: 'bo@secure.example', password: 'Initial-Pass-1' });
      await expectGatewayError(
        h.port.createUser(h.context(), { email: 'bo@secure.example', password: 'Initial-Pass-1' }),
        'conflict',
      );
      await expectGatewayError(
        h.port.updateUser(h.context(), 'nobody@secure.example', { firstName: 'N' }),
        'not_found',
      );
      await expectGatewayError(h.port.deleteUser(h.context(), 'nobody@secure.example'), 'not_found');
    });

    it('checks field rules before any vendor call', async () => {
      const ctx = h.context();
      const error = await expectGatewayError(
        h.port.createUser(ctx, {
          email: 'not-an-email',
          firstName: 'x'.repeat(51),
          password: 'Initial-Pass-1',
        }),
        'validation_failed',
      );
      expect(error.errors?.map((e) => e.field).sort()).toEqual(['email', 'firstName']);
      await expectGatewayError(
        h.port.createUser(ctx, {
          email: 'c@secure.example',
          password: 'p',
          extras: { createDate: '2024-13-01' },
        }),
        'validation_failed',
      );
      expect((ctx.vendorCalls as { calls?: unknown[] }).calls).toEqual([]);
    });

    it('lists users page by page, filtered by wildcard and domain', async () => {
      const users = Array.from({ length: 12 }, (_, i) => ({
        email: `user${String(i).padStart(2, '0')}@${i % 2 ? 'odd' : 'even'}.example`,
        password: 'Initial-Pass-1',
      }));
      expect((await h.port.migrateUsers(h.context(), users)).every((r) => r.ok)).toBe(true);
      const seen: UserRecord[] = [];
      let cursor: string | undefined;
      do {
        const page = await h.port.listUsers(h.context(), { limit: 5, cursor, domain: 'even.example' });
        expect(page.data.length).toBeLessThanOrEqual(5);
        seen.push(...page.data);
        cursor = page.nextCursor ?? undefined;
      } while (cursor);
      expect(seen.map((u) => u.email)).toEqual(users.filter((_, i) => i % 2 === 0).map((u) => u.email));
      const wild = await h.port.listUsers(h.context(), { limit: 50, q: 'user1*@odd.example' });
      expect(wild.data.map((u) => u.email)).toEqual(['user11@odd.example']);
    });

    it('migrates a batch: one result per user in input order, created or updated, field errors per user', async () => {
      await h.port.createUser(h.context(), {
        email: 'old@secure.example',
        firstName: 'Old',
        password: 'Initial-Pass-1',
      });
      const results = await h.port.migrateUsers(h.context(), [
        { email: 'new1@secure.example', firstName: 'One', password: 'Pass-A-1' },
        { email: 'bad@secure.example', lastName: 'y'.repeat(51), password: 'Pass-A-1' },
        { email: 'old@secure.example', firstName: 'Renewed' },
        { email: 'new2@secure.example', externalId: 'tag-new2', password: 'Pass-B-2' },
      ]);
      expect(results.map((r) => [r.email, r.ok, r.ok ? r.action : r.error.code])).toEqual([
        ['new1@secure.example', true, 'created'],
        ['bad@secure.example', false, 'validation_failed'],
        ['old@secure.example', true, 'updated'],
        ['new2@secure.example', true, 'created'],
      ]);
      const renewed = results[2];
      expect(renewed.ok && renewed.user.firstName).toBe('Renewed');
      const tagged = results[3];
      expect(tagged.ok && tagged.user.externalId).toBe('tag-new2');
    });

    it('reports a duplicate address under another key as that user’s conflict', async () => {
      await h.port.createUser(h.context(), { email: 'dup@secure.example', password: 'Initial-Pass-1' });
      const [result] = await h.port.migrateUsers(h.context(), [
        { email: 'dup@secure.example', externalId: 'another-tag', password: 'Initial-Pass-1' },
      ]);
      expect(result.ok).toBe(false);
      expect(!result.ok && result.error.code).toBe('conflict');
    });
  });
}
