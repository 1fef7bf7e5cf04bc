import type { ProviderAdapter } from '../../src/adapters/provider-adapter';
import {
  ArchiveOperationUnknownError,
  type ArchiveOperationStatus,
  type ArchiveServicePort,
  type ArchiveVerificationReport,
} from '../../src/domain/ports/archive-service.port';
import type { CallContext } from '../../src/domain/ports/call-context';
import { expectGatewayError } from '../support/expect-gateway-error';

/** What a backend under test offers the shared archive contract. */
export interface ArchiveContractHarness {
  /** The archive port adapter class under test, e.g. `new MailStoreArchiveAdapter()`. */
  port: Required<ArchiveServicePort>;
  /** The provider the registry ships; its `archive` must be an instance of the class under test. */
  provider: ProviderAdapter;
  /** A fresh call context (new vendor-call log) for one port call. */
  context(): CallContext;
  /** Pre-existing stores: one consistent, one with `plantedProblem`, one whose verification takes seconds (long enough to cancel). */
  stores: { consistent: string; inconsistent: string; slow: string };
  plantedProblem: string;
  /** A directory the backend accepts for a new store. */
  newStorePath(name: string): string;
  close(): Promise<void>;
}

/** Follows an operation token to its end, checking that progress never goes backwards. */
async function followToEnd(
  harness: ArchiveContractHarness,
  start: ArchiveOperationStatus,
): Promise<{ last: ArchiveOperationStatus; seen: ArchiveOperationStatus[] }> {
  const seen = [start];
  let last = start;
  for (let polls = 0; last.state === 'running' && polls < 200; polls++) {
    expect(last.token).toEqual(expect.any(String));
    last = await harness.port.getOperationStatus(
      harness.context(),
      last.token as string,
      last.statusVersion,
      2_000,
    );
    seen.push(last);
  }
  for (let i = 1; i < seen.length; i++) {
    expect(seen[i].statusVersion).toBeGreaterThanOrEqual(seen[i - 1].statusVersion);
    if (seen[i].percent !== null && seen[i - 1].percent !== null && seen[i].state === 'running') {
      expect(seen[i].percent as number).toBeGreaterThanOrEqual(seen[i - 1].percent as number);
    }
  }
  return { last, seen };
}

/** The archive port's behaviour every archive adapter must show, run against a live backend. */
export function describeArchiveServiceContract(
  name: string,
  setup: () => Promise<ArchiveContractHarness>,
): void {
  describe(`ArchiveServicePort contract: ${name}`, () => {
    let h: ArchiveContractHarness;

    beforeAll(async () => {
      h = await setup();
    });
    afterAll(async () => {
      await h?.close();
    });

    it('is the port the provider ships for the archive service it declares', () => {
      expect(h.provider.descriptor.services).toContain('archive');
      expect(h.provider.archive).toBeInstanceOf(h.port.constructor);
    });

    it('creates an archive user with two extra addresses, changes privileges, renames and deletes it', async () => {
      const created = await h.port.createUser(h.context(), {
        email: 'jane.doe@example.com',
        firstName: 'Jane',
        lastName: 'Doe',
        password: 'S3cret!pass',
        aliases: ['jd@example.com', 'jane@example.org'],
        extras: { privileges: ['login', 'changePassword'] },
      });
      expect(created).toMatchObject({
        email: 'jane.doe@example.com',
        displayName: 'Jane Doe',
        status: 'active',
        extras: { privileges: ['login', 'changePassword'] },
      });
      expect([...created.aliases].sort()).toEqual(['jane@example.org', 'jd@example.com']);

      const changed = await h.port.updateUser(h.context(), 'jane.doe@example.com', {
        extras: { privileges: ['login', 'export'] },
      });
      expect(changed.extras).toMatchObject({ privileges: ['login', 'export'] });
      expect(changed.aliases).toHaveLength(2);

      await h.port.renameUser(h.context(), 'jane.doe@example.com', 'jane.smith@example.com');
      const renamed = await h.port.getUser(h.context(), 'jane.smith@example.com', { includeRaw: false });
      expect(renamed.email).toBe('jane.smith@example.com');
      expect([...renamed.aliases].sort()).toEqual(['jane@example.org', 'jd@example.com']);
      await expectGatewayError(
        h.port.getUser(h.context(), 'jane.doe@example.com', { includeRaw: false }),
        'not_found',
      );

      await h.port.deleteUser(h.context(), 'jane.smith@example.com');
      await expectGatewayError(
        h.port.getUser(h.context(), 'jane.smith@example.com', { includeRaw: false }),
        'not_found',
      );
      await expectGatewayError(h.port.deleteUser(h.context(), 'jane.smith@example.com'), 'not_found');
    });

    it('answers conflict for a duplicate user and validation_failed for bad privileges', async () => {
      await h.port.createUser(h.context(), { email: 'dup@example.com' });
      await expectGatewayError(h.port.createUser(h.context(), { email: 'dup@example.com' }), 'conflict');
      await expectGatewayError(
        h.port.updateUser(h.context(), 'dup@example.com', { extras: { privileges: ['login', 'fly'] } }),
        'validation_failed',
      );
      await h.port.deleteUser(h.context(), 'dup@example.com');
    });

    it('lists users with a wildcard filter and cursor paging', async () => {
      for (const n of [1, 2, 3]) await h.port.createUser(h.context(), { email: `list${n}@paging.test` });
      const first = await h.port.listUsers(h.context(), { q: 'list*@paging.test', limit: 2 });
      expect(first.data.map((u) => u.email)).toEqual(['list1@paging.test', 'list2@paging.test']);
      expect(first.nextCursor).not.toBeNull();
      const second = await h.port.listUsers(h.context(), {
        q: 'list*@paging.test',
        limit: 2,
        cursor: first.nextCursor as string,
      });
      expect(second.data.map((u) => u.email)).toEqual(['list3@paging.test']);
      expect(second.nextCursor).toBeNull();
      for (const n of [1, 2, 3]) await h.port.deleteUser(h.context(), `list${n}@paging.test`);
    });

    it('creates, renames, disables and detaches a store', async () => {
      const store = await h.port.createStore(h.context(), {
        name: 'Contract 2026',
        databasePath: h.newStorePath('Contract 2026'),
      });
      expect(store).toMatchObject({ name: 'Contract 2026', requestedState: 'normal' });
      expect((await h.port.listStores(h.context(), { includeSize: true })).map((s) => s.id)).toContain(
        store.id,
      );

      const renamed = await h.port.renameStore(h.context(), store.id, 'Contract 2026 (old)');
      expect(renamed.name).toBe('Contract 2026 (old)');
      const disabled = await h.port.setStoreRequestedState(h.context(), store.id, 'disabled');
      expect(disabled.requestedState).toBe('disabled');

      await h.port.detachStore(h.context(), store.id);
      await expectGatewayError(h.port.getStore(h.context(), store.id), 'not_found');
      await expectGatewayError(h.port.detachStore(h.context(), store.id), 'not_found');
    });

    it('verifies a store with a planted inconsistency, following the token to the end', async () => {
      const start = await h.port.startVerifyStore(h.context(), h.stores.inconsistent, true);
      expect(['running', 'succeeded']).toContain(start.state);
      const { last } = await followToEnd(h, start);
      expect(last.state).toBe('succeeded');
      expect(last.error).toBeNull();
      const report = last.result as ArchiveVerificationReport;
      expect(report.stores).toEqual([
        expect.objectContaining({
          storeId: h.stores.inconsistent,
          consistent: false,
          problems: [h.plantedProblem],
        }),
      ]);
    });

    it('verifies every store, reporting each one', async () => {
      const ids = (await h.port.listStores(h.context(), { includeSize: false })).map((s) => s.id);
      const { last } = await followToEnd(h, await h.port.startVerifyStores(h.context(), false));
      expect(last.state).toBe('succeeded');
      const report = last.result as ArchiveVerificationReport;
      expect(report.stores.map((s) => s.storeId).sort()).toEqual([...ids].sort());
      expect(report.stores.find((s) => s.storeId === h.stores.consistent)).toMatchObject({
        consistent: true,
        problems: [],
      });
    });

    it('cancels a running verification: it ends failed with the archive’s message', async () => {
      const start = await h.port.startVerifyStore(h.context(), h.stores.slow, false);
      expect(start.state).toBe('running');
      await h.port.cancelOperation(h.context(), start.token as string);
      const { last } = await followToEnd(h, start);
      expect(last.state).toBe('failed');
      expect(last.error).toEqual(expect.any(String));
    });

    it('reports an unknown operation token as ArchiveOperationUnknownError (not_found)', async () => {
      const error = await expectGatewayError(
        h.port.getOperationStatus(h.context(), '00000000-0000-4000-8000-000000000000', 0, 10),
        'not_found',
      );
      expect(error).toBeInstanceOf(ArchiveOperationUnknownError);
    });

    it('answers not_found for an unknown store', async () => {
      await expectGatewayError(h.port.startVerifyStore(h.context(), '987654', false), 'not_found');
      await expectGatewayError(h.port.renameStore(h.context(), 'no-such-store', 'x'), 'not_found');
    });
  });
}
