import { MAILSTORE_PROVIDER, MailStoreArchiveAdapter } from '../../src/adapters/mailstore/mailstore.adapter';
import { MailStoreClient } from '../../src/adapters/mailstore/mailstore.client';
import { diffCatalogueWithMetadata } from '../../src/adapters/mailstore/mailstore.commands';
import { VendorHttpClients } from '../../src/adapters/http';
import { GatewayError } from '../../src/domain/errors';
import type { CallContext } from '../../src/domain/ports/call-context';
import { VendorCallLog } from '../../src/domain/vendor-call';
import type { RecordedRequest } from '../../simulators/shared/fault-controls';
import {
  createMailStoreSimulator,
  type MailStoreSimulator,
} from '../../simulators/mailstore/mailstore.simulator';
import { describeArchiveServiceContract } from './archive-service.contract';

const PLANTED = 'Message 4711: the content file is missing.';
const INSTANCE = 'tenant01';

interface Backend {
  sim: MailStoreSimulator;
  baseUrl: string;
  clients: VendorHttpClients;
  context(overrides?: {
    password?: string;
    instanceId?: string;
  }): CallContext & { vendorCalls: VendorCallLog };
  close(): Promise<void>;
}

async function startBackend(): Promise<Backend> {
  const sim = createMailStoreSimulator({
    verifyDurationMs: 300,
    tokenTtlMs: 60_000,
    instances: [
      {
        id: INSTANCE,
        stores: [
          { name: 'Archive 2024', requestedState: 'normal', sizeMb: 2048 },
          { name: 'Archive 2025', requestedState: 'current', sizeMb: 512, problems: [PLANTED] },
          { name: 'Archive Big', requestedState: 'writeProtected', verifyDurationMs: 4_000 },
        ],
      },
    ],
  });
  const baseUrl = await sim.listen();
  const clients = new VendorHttpClients({ allowPrivateHosts: true });
  return {
    sim,
    baseUrl,
    clients,
    context(overrides = {}) {
      const connection = {
        id: 'conn-mailstore',
        tenantId: 'acme',
        provider: 'mailstore',
        baseUrl,
        credentials: { username: 'admin', password: overrides.password ?? 'admin-secret' },
        settings: { instanceId: overrides.instanceId ?? INSTANCE },
        services: ['archive' as const],
      };
      const vendorCalls = new VendorCallLog();
      return {
        connection,
        requestId: 'req-1',
        vendorCalls,
        http: clients.forConnection(connection, vendorCalls),
      };
    },
    async close() {
      await clients.close();
      await sim.close();
    },
  };
}

async function simRequests(baseUrl: string): Promise<RecordedRequest[]> {
  const response = await fetch(`${baseUrl}/__sim/requests`);
  return (await response.json()) as RecordedRequest[];
}

describeArchiveServiceContract('MailStore adapter against the MailStore simulator', async () => {
  const backend = await startBackend();
  return {
    port: new MailStoreArchiveAdapter(),
    provider: MAILSTORE_PROVIDER,
    context: () => backend.context(),
    stores: { consistent: '1', inconsistent: '2', slow: '3' },
    plantedProblem: PLANTED,
    newStorePath: (name) => `D:\\MailArchive\\${INSTANCE}\\${name}`,
    close: () => backend.close(),
  };
});

describe('MailStore adapter on the wire', () => {
  let backend: Backend;
  const adapter = MAILSTORE_PROVIDER;
  const archive = new MailStoreArchiveAdapter();

  beforeAll(async () => {
    backend = await startBackend();
  });
  afterAll(async () => {
    await backend.close();
  });
  beforeEach(async () => {
    await fetch(`${backend.baseUrl}/__sim/reset`, { method: 'POST' });
  });

  it('sends exactly the documented form encoding', async () => {
    await archive.createUser(backend.context(), {
      email: 'max@example.com',
      displayName: 'Max Muster',
      password: 'pw-Max-1!',
      aliases: ['m@example.com', 'max@example.org'],
    });
    await archive.updateUser(backend.context(), 'max@example.com', {
      extras: { privileges: ['login', 'export'] },
    });
    const start = await archive.startVerifyStore(backend.context(), '2', true);
    await archive.cancelOperation(backend.context(), start.token as string);
    await archive.listStores(backend.context(), { includeSize: false });

    const invokes = (await simRequests(backend.baseUrl)).filter((r) => r.url.startsWith('/api/'));
    for (const request of invokes) {
      expect(request.method).toBe('POST');
      expect(request.contentType).toBe('application/x-www-form-urlencoded');
    }
    const byUrl = (url: string) => invokes.filter((r) => r.url === url).map((r) => r.body);
    expect(byUrl('/api/invoke/CreateUser')).toEqual([
      {
        instanceID: INSTANCE,
        userName: 'max@example.com',
        privileges: 'login',
        fullName: 'Max Muster',
        password: 'pw-Max-1!',
      },
    ]);
    expect(byUrl('/api/invoke/SetUserPrivilegesOnFolder')).toEqual([
      { instanceID: INSTANCE, userName: 'max@example.com', folder: 'max@example.com', privileges: 'read' },
    ]);
    expect(byUrl('/api/invoke/SetUserEmailAddresses')).toEqual([
      {
        instanceID: INSTANCE,
        userName: 'max@example.com',
        emailAddresses: 'max@example.com,m@example.com,max@example.org',
      },
    ]);
    expect(byUrl('/api/invoke/SetUserPrivileges')).toEqual([
      { instanceID: INSTANCE, userName: 'max@example.com', privileges: 'login,export' },
    ]);
    expect(byUrl('/api/invoke/VerifyStore')).toEqual([
      { instanceID: INSTANCE, id: '2', includeIndexes: 'true' },
    ]);
    expect(byUrl('/api/cancel-async')).toEqual([{ token: start.token }]);
    expect(byUrl('/api/invoke/GetStores')).toEqual([{ instanceID: INSTANCE, includeSize: 'false' }]);
  });

  it('creates a user that can read its own archive folder, with the privileges extras.archiveFolderPrivileges names', async () => {
    const readsOwnArchive = async (userName: string, password: string) =>
      (
        await fetch(`${backend.baseUrl}/__sim/archive/${INSTANCE}/${encodeURIComponent(userName)}`, {
          headers: { authorization: `Basic ${Buffer.from(`${userName}:${password}`).toString('base64')}` },
        })
      ).status;
    const ctx = backend.context();
    const created = await archive.createUser(ctx, { email: 'ann@example.com', password: 'Ann-pass-1' });
    expect(created.extras).toMatchObject({ archiveFolderPrivileges: ['read'] });
    expect(await readsOwnArchive('ann@example.com', 'Ann-pass-1')).toBe(200);

    const writer = await archive.createUser(backend.context(), {
      email: 'bob@example.com',
      password: 'Bob-pass-1',
      extras: { archiveFolderPrivileges: ['read', 'write'] },
    });
    expect(writer.extras).toMatchObject({ archiveFolderPrivileges: ['read', 'write'] });
    const revoked = await archive.updateUser(backend.context(), 'bob@example.com', {
      extras: { archiveFolderPrivileges: ['none'] },
    });
    expect(revoked.extras).toMatchObject({ archiveFolderPrivileges: ['none'] });
    expect(await readsOwnArchive('bob@example.com', 'Bob-pass-1')).toBe(403);

    const refused = await archive
      .createUser(backend.context(), {
        email: 'cy@example.com',
        extras: { archiveFolderPrivileges: ['all'] },
      })
      .catch((e: unknown) => e);
    expect(refused).toMatchObject({ code: 'validation_failed' });
  });

  it('undoes the creation when the folder grant fails, and surfaces MailStore’s reason', async () => {
    const ctx = backend.context();
    const real = ctx.http;
    ctx.http = {
      send: (request) =>
        request.path === '/api/invoke/SetUserPrivilegesOnFolder'
          ? Promise.resolve({
              status: 200,
              headers: {},
              text: JSON.stringify({
                error: { message: 'Folder is locked.' },
                token: null,
                statusVersion: 2,
                statusCode: 'failed',
                percentProgress: null,
                statusText: null,
                result: null,
              }),
              json: <T>() => ({}) as T,
            })
          : real.send(request),
    };
    const error = (await archive
      .createUser(ctx, { email: 'dee@example.com', password: 'Dee-pass-1' })
      .catch((e: unknown) => e)) as GatewayError;
    expect(error).toBeInstanceOf(GatewayError);
    expect(error.detail).toContain('SetUserPrivilegesOnFolder failed: Folder is locked.');
    // The grant's answer was faked before the simulator; what reached it is the create and its undo.
    expect((await simRequests(backend.baseUrl)).map((r) => r.url)).toEqual([
      '/api/invoke/CreateUser',
      '/api/invoke/DeleteUser',
    ]);
    expect(backend.sim.state.instances.get(INSTANCE)!.users.has('dee@example.com')).toBe(false);
  });

  it('refuses an unknown argument or a missing mandatory one before any HTTP call', async () => {
    const before = (await simRequests(backend.baseUrl)).length;
    const ctx = backend.context();
    const client = new MailStoreClient(ctx);

    const unknownArg = await client
      .invoke('VerifyStore', { id: 2, includeIndexes: true, deep: true })
      .catch((e) => e);
    expect(unknownArg).toBeInstanceOf(GatewayError);
    expect(unknownArg).toMatchObject({ code: 'validation_failed' });
    expect((unknownArg as GatewayError).detail).toMatch(/VerifyStore.*'deep'/);

    const missing = await client.invoke('RenameStore', { id: 2 }).catch((e) => e);
    expect(missing).toMatchObject({ code: 'validation_failed' });
    expect((missing as GatewayError).detail).toMatch(/RenameStore requires argument 'name'/);

    const noPath = await archive.createStore(ctx, { name: 'No path' }).catch((e) => e);
    expect(noPath).toMatchObject({ code: 'validation_failed' });
    expect((noPath as GatewayError).detail).toMatch(/CreateStore requires argument 'databasePath'/);

    expect(ctx.vendorCalls.calls).toEqual([]);
    expect(await simRequests(backend.baseUrl)).toHaveLength(before);
  });

  it('keeps MailStore’s message in the detail of a failed command', async () => {
    const error = (await archive
      .deleteUser(backend.context(), 'ghost@example.com')
      .catch((e) => e)) as GatewayError;
    expect(error.code).toBe('not_found');
    expect(error.detail).toContain("User 'ghost@example.com' does not exist.");
    const badInstance = (await archive
      .listStores(backend.context({ instanceId: 'nope' }), { includeSize: true })
      .catch((e) => e)) as GatewayError;
    expect(badInstance.detail).toContain("Instance 'nope' does not exist.");
  });

  it('maps bad credentials to provider_auth_failed and 5xx to provider_unavailable', async () => {
    await expect(adapter.check(backend.context({ password: 'wrong' }))).rejects.toMatchObject({
      code: 'provider_auth_failed',
    });
    await fetch(`${backend.baseUrl}/__sim/faults`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ errorRate: 1, errorStatus: 500 }),
    });
    const ctx = backend.context();
    await expect(archive.deleteUser(ctx, 'admin')).rejects.toMatchObject({ code: 'provider_unavailable' });
    expect(ctx.vendorCalls.calls).toHaveLength(1);
  });

  it('checks a connection and records its vendor calls', async () => {
    const ctx = backend.context();
    expect(await adapter.check(ctx)).toMatch(/tenant01 has 3 archive store/);
    expect(ctx.vendorCalls.calls.map((c) => `${c.method} ${c.path} ${c.status}`)).toEqual([
      'POST /api/invoke/Ping 200',
      'POST /api/invoke/GetStores 200',
    ]);
  });

  it('agrees with get-metadata over HTTP', async () => {
    const metadata = await new MailStoreClient(backend.context()).getMetadata();
    expect(metadata.length).toBeGreaterThan(100);
    expect(diffCatalogueWithMetadata(metadata)).toEqual([]);
  });
});
