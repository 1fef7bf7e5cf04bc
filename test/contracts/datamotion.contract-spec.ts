import {
  DATAMOTION_PROVIDER,
  DataMotionSecureMailAdapter,
} from '../../src/adapters/datamotion/datamotion.adapter';
import { logoutAll } from '../../src/adapters/datamotion/datamotion.client';
import { MIGRATE_STATUS } from '../../src/adapters/datamotion/datamotion.errors';
import { DataMotionSessions } from '../../src/adapters/datamotion/datamotion.sessions';
import type { VendorHttpClients } from '../../src/adapters/http';
import { GatewayError } from '../../src/domain/errors';
import type { CallContext, ConnectionContext } from '../../src/domain/ports/call-context';
import { VendorCallLog } from '../../src/domain/vendor-call';
import {
  createDataMotionSimulator,
  DEFAULT_SUBSCRIPTION_KEY,
  REMOTE_PATH,
  SECURE_MAIL_PATH,
  type DataMotionSimulator,
} from '../../simulators/datamotion/datamotion.simulator';
import { callContextFor, testVendorHttpClients } from '../support/simulator-harness';
import { waitFor } from '../support/wait-for';
import { describeSecureMailServiceContract } from './secure-mail-service.contract';

const CREDENTIALS = {
  userIdOrEmail: 'admin@securemail.example',
  password: 'admin-secret',
  subscriptionKey: DEFAULT_SUBSCRIPTION_KEY,
};

interface Backend {
  sim: DataMotionSimulator;
  origin: string;
  clients: VendorHttpClients;
  connection(overrides?: {
    id?: string;
    credentials?: Partial<typeof CREDENTIALS>;
    remote?: boolean;
  }): ConnectionContext;
  context(connection?: ConnectionContext): CallContext & { vendorCalls: VendorCallLog };
  close(): Promise<void>;
}

async function startBackend(): Promise<Backend> {
  const sim = createDataMotionSimulator();
  const origin = await sim.listen();
  const clients = testVendorHttpClients();
  const standard = makeConnection(origin, {});
  return {
    sim,
    origin,
    clients,
    connection: (overrides = {}) => makeConnection(origin, overrides),
    context: (connection = standard) =>
      callContextFor(clients, connection) as CallContext & { vendorCalls: VendorCallLog },
    async close() {
      await clients.close();
      await sim.close();
    },
  };
}

function makeConnection(
  origin: string,
  overrides: { id?: string; credentials?: Partial<typeof CREDENTIALS>; remote?: boolean },
): ConnectionContext {
  return {
    id: overrides.id ?? 'conn-datamotion',
    tenantId: 'acme',
    provider: 'datamotion',
    baseUrl: `${origin}${SECURE_MAIL_PATH}`,
    credentials: { ...CREDENTIALS, ...overrides.credentials },
    settings: {
      companyId: 1001,
      userTypeId: 3,
      ...(overrides.remote === false ? {} : { remoteBaseUrl: `${origin}${REMOTE_PATH}` }),
    },
    services: ['secure-mail'],
  };
}

describeSecureMailServiceContract('DataMotion adapter against the DataMotion simulator', async () => {
  const backend = await startBackend();
  const port = new DataMotionSecureMailAdapter(new DataMotionSessions());
  return {
    port,
    provider: DATAMOTION_PROVIDER,
    context: () => backend.context(),
    reset: async () => backend.sim.state.reset(),
    close: () => backend.close(),
  };
});

describe('DataMotion adapter on the wire', () => {
  let backend: Backend;
  let sessions: DataMotionSessions;
  let port: DataMotionSecureMailAdapter;

  beforeAll(async () => {
    backend = await startBackend();
  });
  afterAll(() => backend.close());
  beforeEach(async () => {
    await fetch(`${backend.origin}/__sim/reset`, { method: 'POST' });
    sessions = new DataMotionSessions();
    port = new DataMotionSecureMailAdapter(sessions);
  });

  const requests = () => backend.sim.faults.requests;
  const create = (email: string, ctx = backend.context()) =>
    port.createUser(ctx, { email, firstName: 'F', password: 'Initial-Pass-1' });

  it('sends the subscription key on every call, the session key after Logon, and exactly the reference’s body', async () => {
    const ctx = backend.context(backend.connection({ remote: false }));
    await port.createUser(ctx, {
      email: 'max@secure.example',
      firstName: 'Max',
      lastName: 'Muster',
      password: 'Initial-Pass-1',
      extras: { userId: 'max', userTypeId: 4, createDate: '2024-05-01 10:00:00.123' },
    });
    expect(requests().map((r) => `${r.method} ${r.url}`)).toEqual([
      `POST ${SECURE_MAIL_PATH}/Account/Logon`,
      `POST ${SECURE_MAIL_PATH}/Account/MigrateUsers`,
    ]);
    expect(requests()[0].body).toEqual({
      UserIdOrEmail: CREDENTIALS.userIdOrEmail,
      Password: CREDENTIALS.password,
    });
    expect(requests()[1].body).toEqual({
      Password: 'Initial-Pass-1',
      CompanyId: 1001,
      UserTypeId: 4,
      Users: [
        {
          UserTag: 'max@secure.example',
          Email: 'max@secure.example',
          UserId: 'max',
          FirstName: 'Max',
          LastName: 'Muster',
          CreateDate: '2024-05-01 10:00:00.123',
        },
      ],
    });
    expect(ctx.vendorCalls.calls.map((c) => `${c.method} ${c.path} ${c.status}`)).toEqual([
      `POST ${SECURE_MAIL_PATH}/Account/Logon 200`,
      `POST ${SECURE_MAIL_PATH}/Account/MigrateUsers 200`,
    ]);
    expect(backend.sim.state.byTag('max@secure.example')).toMatchObject({
      companyId: 1001,
      userTypeId: 4,
      userId: 'max',
    });
  });

  it('shares one session between concurrent calls and logs on once when it expired', async () => {
    await Promise.all(Array.from({ length: 8 }, (_, i) => create(`c${i}@secure.example`)));
    expect(backend.sim.state.logons).toHaveLength(1);
    await fetch(`${backend.origin}/__sim/expire-sessions`, { method: 'POST' });
    await Promise.all(Array.from({ length: 8 }, (_, i) => create(`d${i}@secure.example`)));
    const logons = backend.sim.state.logons;
    expect(logons.map((l) => l.ok)).toEqual([true, true]);
    expect(logons[1].startedAt).toBeGreaterThanOrEqual(logons[0].endedAt);
    // Each create reads the address first (/Remote); after the expiry each first read was refused
    // once and sent again with the one new key.
    expect(requests().filter((r) => r.url.endsWith('/Account/Read'))).toHaveLength(8 + 8 + 8);
    expect(backend.sim.state.stats.migrateUsersCalls).toBe(16);
    expect(backend.sim.state.accounts.size).toBe(1 + 16);
  });

  it('maps a wrong password or subscription key to provider_auth_failed with the vendor’s words', async () => {
    const wrongPassword = backend.context(
      backend.connection({ id: 'c2', credentials: { password: 'nope' } }),
    );
    const error = (await DATAMOTION_PROVIDER.check(wrongPassword).catch((e) => e)) as GatewayError;
    expect(error).toMatchObject({ code: 'provider_auth_failed' });
    expect(error.detail).toContain('User credentials are invalid.');
    const wrongKey = backend.context(
      backend.connection({ id: 'c3', credentials: { subscriptionKey: 'nope' } }),
    );
    const keyError = (await create('k@secure.example', wrongKey).catch((e) => e)) as GatewayError;
    expect(keyError.code).toBe('provider_auth_failed');
    expect(keyError.detail).toContain('invalid subscription key');
    expect(JSON.stringify([error, keyError, error.detail, keyError.detail])).not.toMatch(/admin-secret|nope/);
  });

  it('checks a connection by logging on afresh and reading Account/Details', async () => {
    const ctx = backend.context();
    expect(await DATAMOTION_PROVIDER.check(ctx)).toMatch(
      /logged on as admin@securemail.example .*company 1001/,
    );
    expect(ctx.vendorCalls.calls.map((c) => c.path)).toEqual([
      `${SECURE_MAIL_PATH}/Account/Logon`,
      `${SECURE_MAIL_PATH}/Account/Details`,
      `${REMOTE_PATH}/Account/List`,
    ]);
  });

  it('turns every per-user Status into its neutral code, retry verdict and the vendor’s Details', async () => {
    const codes = Object.keys(MIGRATE_STATUS).map(Number);
    backend.sim.config.forcedStatuses = Object.fromEntries(
      codes.map((code) => [`s${code}@secure.example`, code]),
    );
    const results = await port.migrateUsers(
      backend.context(),
      codes.map((code) => ({ email: `s${code}@secure.example`, password: 'Initial-Pass-1' })),
    );
    expect(backend.sim.state.stats.migrateUsersCalls).toBe(1);
    for (const [i, code] of codes.entries()) {
      const result = results[i];
      if (result.ok) throw new Error(`status ${code} came back ok`);
      expect(result.error.code).toBe(MIGRATE_STATUS[code].code);
      expect(result.error.retryable).toBe(MIGRATE_STATUS[code].retryable);
      expect(result.error.detail).toContain(`status ${code} (${MIGRATE_STATUS[code].name})`);
    }
    const byCode = (code: number) => results[codes.indexOf(code)] as { error: GatewayError };
    expect(byCode(120).error.detail).toContain('User migration Create Email already exists.');
    expect([byCode(40), byCode(60), byCode(155), byCode(175)].map((r) => r.error.code)).toEqual(
      Array(4).fill('forbidden'),
    );
    expect([byCode(110), byCode(140), byCode(180), byCode(190)].map((r) => r.error.code)).toEqual(
      Array(4).fill('conflict'),
    );
    expect([byCode(10), byCode(160), byCode(230)].map((r) => r.error.code)).toEqual(
      Array(3).fill('provider_unavailable'),
    );
  });

  it('groups a batch by Password and UserTypeId, one call per group and never more users than given', async () => {
    const results = await port.migrateUsers(backend.context(), [
      { email: 'g1@secure.example', password: 'Pass-A-1' },
      { email: 'g2@secure.example', password: 'Pass-B-2' },
      { email: 'g3@secure.example', password: 'Pass-A-1' },
      { email: 'g4@secure.example', password: 'Pass-A-1', extras: { userTypeId: 4 } },
      { email: 'g5@secure.example', password: 'Pass-B-2' },
    ]);
    expect(results.every((r) => r.ok)).toBe(true);
    const bodies = requests()
      .filter((r) => r.url.endsWith('/Account/MigrateUsers'))
      .map((r) => r.body as { Password: string; UserTypeId: number; Users: { UserTag: string }[] });
    expect(bodies.map((b) => [b.Password, b.UserTypeId, b.Users.map((u) => u.UserTag)])).toEqual([
      ['Pass-A-1', 3, ['g1@secure.example', 'g3@secure.example']],
      ['Pass-B-2', 3, ['g2@secure.example', 'g5@secure.example']],
      ['Pass-A-1', 4, ['g4@secure.example']],
    ]);
    expect(backend.sim.state.stats.largestBatch).toBe(2);
  });

  it('gives every user of a call that failed as a whole the same transient error', async () => {
    backend.sim.faults.set({ errorRate: 1, errorStatus: 503 });
    const results = await port.migrateUsers(backend.context(), [
      { email: 'u1@secure.example', password: 'Pass-A-1' },
      { email: 'u2@secure.example', password: 'Pass-A-1' },
    ]);
    for (const result of results) {
      expect(result.ok).toBe(false);
      expect(!result.ok && result.error.code).toBe('provider_unavailable');
    }
    backend.sim.faults.set({ errorRate: 0, rateLimitNext: 5, rateLimitRetryAfterSeconds: 30 });
    const limited = await create('r@secure.example').catch((e) => e);
    expect(limited).toMatchObject({ code: 'rate_limited', retryAfterSeconds: 30 });
  });

  it('answers 501 with the reason for get, list and delete without the /Remote API', async () => {
    const ctx = backend.context(backend.connection({ id: 'no-remote', remote: false }));
    for (const call of [
      port.getUser(ctx, 'a@secure.example', { includeRaw: false }),
      port.listUsers(ctx, { limit: 10 }),
      port.deleteUser(ctx, 'a@secure.example'),
    ]) {
      const error = (await call.catch((e) => e)) as GatewayError;
      expect(error.code).toBe('unsupported_operation');
      expect(error.detail).toMatch(/settings\.remoteBaseUrl/);
    }
    expect(ctx.vendorCalls.calls).toEqual([]);
  });

  it('without the /Remote API, a create of an existing UserTag updates that account (documented)', async () => {
    const ctx = () => backend.context(backend.connection({ id: 'no-remote', remote: false }));
    await port.createUser(ctx(), {
      email: 'twice@secure.example',
      firstName: 'First',
      password: 'Initial-Pass-1',
    });
    const again = await port.createUser(ctx(), {
      email: 'twice@secure.example',
      firstName: 'Second',
      password: 'Initial-Pass-1',
    });
    expect(again.extras).toMatchObject({ action: 'updated' });
    expect(backend.sim.state.byTag('twice@secure.example')?.firstName).toBe('Second');
  });

  it('logs on anew when the connection changes and logs every session out at shutdown', async () => {
    await create('a@secure.example', backend.context(backend.connection({ id: 'x' })));
    await create('b@secure.example', backend.context(backend.connection({ id: 'y' })));
    const edited = backend.connection({ id: 'x', credentials: { userIdOrEmail: 'admin' } });
    await create('c@secure.example', backend.context(edited));
    expect(backend.sim.state.logons.map((l) => l.userIdOrEmail)).toEqual([
      'admin@securemail.example',
      'admin@securemail.example',
      'admin',
    ]);
    await logoutAll(sessions, backend.clients);
    await waitFor(async () => backend.sim.state.stats.logouts === 3, 'three logouts');
    expect(backend.sim.state.activeSessions()).toBe(0);
  });
});
