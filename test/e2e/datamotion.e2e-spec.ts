import { setTimeout as pause } from 'node:timers/promises';
import { Writable } from 'node:stream';
import {
  createDataMotionSimulator,
  DEFAULT_SUBSCRIPTION_KEY,
  REMOTE_PATH,
  SECURE_MAIL_PATH,
  type DataMotionSimulator,
} from '../../simulators/datamotion/datamotion.simulator';
import { startTestApp, type ApiResponse, type TestApp } from '../support/test-app';

const ADMIN_PASSWORD = 'admin-secret';
const USER_PASSWORD = 'Secure-Initial-Pass-1';
const CREDENTIALS = {
  userIdOrEmail: 'admin@securemail.example',
  password: ADMIN_PASSWORD,
  subscriptionKey: DEFAULT_SUBSCRIPTION_KEY,
};

interface UserView {
  email: string;
  externalId: string | null;
  firstName?: string;
  provider: string;
  extras?: Record<string, unknown>;
}

interface Problem {
  code: string;
  detail: string;
  errors?: { field: string; message: string }[];
}

interface AuditEvent {
  action: string;
  outcome: string;
  provider: string | null;
  vendorCalls: { method: string; path: string; status: number | null }[];
}

describe('secure mail through the gateway (DataMotion simulator over HTTP)', () => {
  let sim: DataMotionSimulator;
  let t: TestApp;
  let origin: string;
  const logLines: string[] = [];
  const answers: string[] = [];

  async function call<T = Record<string, unknown>>(
    method: string,
    path: string,
    body?: unknown,
  ): Promise<ApiResponse<T>> {
    const response = await t.request<T>(method, path, body === undefined ? {} : { body });
    answers.push(response.text);
    return response;
  }

  async function connect(tenant: string, credentials: object, remote: boolean): Promise<string> {
    expect((await call('POST', '/v1/tenants', { id: tenant, name: tenant })).status).toBe(201);
    const created = await call<{ id: string }>('POST', `/v1/tenants/${tenant}/connections`, {
      provider: 'datamotion',
      baseUrl: `${origin}${SECURE_MAIL_PATH}`,
      credentials,
      settings: {
        companyId: 1001,
        userTypeId: 3,
        ...(remote ? { remoteBaseUrl: `${origin}${REMOTE_PATH}` } : {}),
      },
      services: ['secure-mail'],
    });
    expect(created.status).toBe(201);
    return created.body.id;
  }

  const users = (tenant: string) => `/v1/tenants/${tenant}/users`;
  const migrateCalls = () => sim.state.stats.migrateUsersCalls;

  beforeAll(async () => {
    sim = createDataMotionSimulator();
    origin = await sim.listen();
    const sink = new Writable({
      write(chunk: Buffer, _encoding, done) {
        logLines.push(chunk.toString());
        done();
      },
    });
    t = await startTestApp({ LOG_LEVEL: 'trace' }, sink);
    await connect('secure-acme', CREDENTIALS, false);
    await connect('secure-remote', CREDENTIALS, true);
  });

  afterAll(async () => {
    await t?.close();
    await sim?.close();
  });

  it('lists datamotion under GET /v1/providers with secure-mail, its operations, fields and extras', async () => {
    const res = await call<{
      data: Array<{
        name: string;
        operations: Record<string, string[]>;
        extras: { name: string }[];
        settings: { name: string }[];
      }>;
    }>('GET', '/v1/providers');
    const datamotion = res.body.data.find((p) => p.name === 'datamotion');
    expect(datamotion?.operations).toEqual({
      'secure-mail': [
        'users.list',
        'users.get',
        'users.create',
        'users.update',
        'users.delete',
        'users.migrate',
      ],
    });
    expect(datamotion?.extras.map((e) => e.name)).toEqual(
      expect.arrayContaining(['userId', 'userTypeId', 'createDate']),
    );
    expect(datamotion?.settings.map((s) => s.name)).toEqual(
      expect.arrayContaining(['companyId', 'userTypeId', 'remoteBaseUrl']),
    );
  });

  it.each(['file:///etc/passwd', 'http://user:pw@remote.example/Remote', 'not a url'])(
    'refuses settings.remoteBaseUrl %s as it refuses baseUrl',
    async (url) => {
      const res = await call<Problem>('POST', '/v1/tenants/secure-acme/connections', {
        provider: 'datamotion',
        baseUrl: `${origin}${SECURE_MAIL_PATH}`,
        credentials: CREDENTIALS,
        settings: { companyId: 1001, userTypeId: 3, remoteBaseUrl: url },
      });
      expect(res.status).toBe(422);
      expect(res.body.errors).toEqual([expect.objectContaining({ field: 'settings.remoteBaseUrl' })]);
    },
  );

  it('creates a user: 201, held with the settings’ CompanyId and UserTypeId and UserTag = email; audited with its MigrateUsers call', async () => {
    const res = await call<UserView>('POST', `${users('secure-acme')}?service=secure-mail`, {
      email: 'ada@secure.example',
      firstName: 'Ada',
      lastName: 'Lovelace',
      password: USER_PASSWORD,
    });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({
      email: 'ada@secure.example',
      externalId: 'ada@secure.example',
      provider: 'datamotion',
    });
    expect(sim.state.byTag('ada@secure.example')).toMatchObject({
      companyId: 1001,
      userTypeId: 3,
      email: 'ada@secure.example',
      userId: 'ada@secure.example',
    });

    const audit = await call<{ data: AuditEvent[] }>(
      'GET',
      '/v1/audit-events?tenantId=secure-acme&action=user.created&limit=1',
    );
    const [event] = audit.body.data;
    expect(event).toMatchObject({ outcome: 'success', provider: 'datamotion' });
    expect(event.vendorCalls).toContainEqual(
      expect.objectContaining({
        method: 'POST',
        path: `${SECURE_MAIL_PATH}/Account/MigrateUsers`,
        status: 200,
      }),
    );
  });

  it('changes the first name: the update reaches the simulator keyed by the same UserTag', async () => {
    const before = sim.faults.requests.length;
    const res = await call<UserView>(
      'PATCH',
      `${users('secure-acme')}/ada@secure.example?service=secure-mail`,
      {
        firstName: 'Augusta',
      },
    );
    expect(res.status).toBe(200);
    expect(res.body.firstName).toBe('Augusta');
    const sent = sim.faults.requests.slice(before).filter((r) => r.url.endsWith('/Account/MigrateUsers'));
    expect(sent.map((r) => (r.body as { Users: { UserTag: string; FirstName: string }[] }).Users)).toEqual([
      [{ UserTag: 'ada@secure.example', FirstName: 'Augusta' }],
    ]);
    expect(sim.state.byTag('ada@secure.example')?.firstName).toBe('Augusta');
  });

  it('answers 409 conflict with the vendor’s status and text for a duplicate email under another tag', async () => {
    const res = await call<Problem>('POST', `${users('secure-acme')}?service=secure-mail`, {
      email: 'ada@secure.example',
      externalId: 'another-tag',
      password: USER_PASSWORD,
    });
    expect(res.status).toBe(409);
    expect(res.body.code).toBe('conflict');
    expect(res.body.detail).toMatch(
      /status 1[23]0 .*User migration Create (UserId and )?Email already exist/,
    );
    expect(sim.state.byTag('another-tag')).toBeUndefined();
  });

  it('refuses a 51-character first name and a bad email with 422 and no MigrateUsers call', async () => {
    const before = migrateCalls();
    const long = await call<Problem>('POST', `${users('secure-acme')}?service=secure-mail`, {
      email: 'long@secure.example',
      firstName: 'x'.repeat(51),
      password: USER_PASSWORD,
    });
    expect(long.status).toBe(422);
    expect(long.body.errors).toEqual([expect.objectContaining({ field: 'firstName' })]);
    const bad = await call<Problem>('POST', `${users('secure-acme')}?service=secure-mail`, {
      email: 'not an email',
      password: USER_PASSWORD,
    });
    expect(bad.status).toBe(422);
    expect(migrateCalls()).toBe(before);
  });

  it('answers provider_auth_failed for a wrong subscription key', async () => {
    await connect('secure-badkey', { ...CREDENTIALS, subscriptionKey: 'wrong-subscription-key' }, false);
    const res = await call<Problem>('POST', `${users('secure-badkey')}?service=secure-mail`, {
      email: 'k@secure.example',
      password: USER_PASSWORD,
    });
    expect(res.status).toBe(502);
    expect(res.body.code).toBe('provider_auth_failed');
    expect(res.body.detail).toMatch(/invalid subscription key/);
  });

  it('answers the connection check with ok: false and the vendor’s reason for a wrong password', async () => {
    const id = await connect('secure-badpass', { ...CREDENTIALS, password: 'wrong-admin-password' }, false);
    const res = await call<{ ok: boolean; detail: string }>(
      'POST',
      `/v1/tenants/secure-badpass/connections/${id}/check`,
    );
    expect(res.status).toBe(200);
    expect(res.body.ok).toBe(false);
    expect(res.body.detail).toMatch(/provider_auth_failed: .*User credentials are invalid\./);
  });

  it('reads, lists and deletes through /Remote when configured; refuses to overwrite; 501 with the reason without it', async () => {
    const created = await call('POST', `${users('secure-remote')}?service=secure-mail`, {
      email: 'grace@secure.example',
      firstName: 'Grace',
      password: USER_PASSWORD,
    });
    expect(created.status).toBe(201);
    const before = migrateCalls();
    const again = await call<Problem>('POST', `${users('secure-remote')}?service=secure-mail`, {
      email: 'grace@secure.example',
      password: USER_PASSWORD,
    });
    expect(again.status).toBe(409);
    expect(migrateCalls()).toBe(before);
    const read = await call<UserView>(
      'GET',
      `${users('secure-remote')}/grace@secure.example?service=secure-mail`,
    );
    expect(read.body).toMatchObject({
      email: 'grace@secure.example',
      firstName: 'Grace',
      externalId: 'grace@secure.example',
    });
    const list = await call<{ data: UserView[] }>(
      'GET',
      `${users('secure-remote')}?service=secure-mail&q=grace*`,
    );
    expect(list.body.data.map((u) => u.email)).toEqual(['grace@secure.example']);
    expect(
      (await call('DELETE', `${users('secure-remote')}/grace@secure.example?service=secure-mail`)).status,
    ).toBe(204);
    expect(sim.state.byEmail('grace@secure.example')).toBeUndefined();

    const unsupported = await call<Problem>(
      'GET',
      `${users('secure-acme')}/ada@secure.example?service=secure-mail`,
    );
    expect(unsupported.status).toBe(501);
    expect(unsupported.body.code).toBe('unsupported_operation');
    expect(unsupported.body.detail).toMatch(/settings\.remoteBaseUrl/);
  });

  it('creates 30 users one after another while sessions expire every 1.5 s: all succeed, logons never overlap', async () => {
    sim.config.sessionTtlMs = 1_500;
    // The session opened earlier had the default lifetime; from here on every key lives 1.5 s.
    sim.state.expireSessions();
    const logonsBefore = sim.state.logons.length;
    for (let i = 0; i < 30; i++) {
      const res = await call('POST', `${users('secure-acme')}?service=secure-mail`, {
        email: `s${i}@secure.example`,
        password: USER_PASSWORD,
      });
      expect(res.status).toBe(201);
      await pause(100);
    }
    for (let i = 0; i < 30; i++) expect(sim.state.byTag(`s${i}@secure.example`)).toBeDefined();
    // 30 pauses of 100 ms outlast a 1.5 s session: at least one key expired and was replaced.
    const logons = sim.state.logons
      .slice(logonsBefore)
      .filter((l) => l.userIdOrEmail === CREDENTIALS.userIdOrEmail);
    expect(logons.length).toBeGreaterThanOrEqual(2);
    const sorted = [...logons].sort((a, b) => a.startedAt - b.startedAt);
    for (let i = 1; i < sorted.length; i++)
      expect(sorted[i].startedAt).toBeGreaterThanOrEqual(sorted[i - 1].endedAt);
  });

  it('never shows the password, the subscription key or a session key in responses, logs or audit events', async () => {
    const audit = await call<{ data: unknown[] }>('GET', '/v1/audit-events?limit=200');
    const connections = await call('GET', '/v1/tenants/secure-acme/connections');
    expect(connections.status).toBe(200);
    const sessionKeys = [...sim.state.sessions.keys()];
    expect(sessionKeys.length).toBeGreaterThan(0);
    const everything = [answers.join('\n'), logLines.join('\n'), JSON.stringify(audit.body)].join('\n');
    expect(logLines.length).toBeGreaterThan(0);
    for (const secret of [
      ADMIN_PASSWORD,
      USER_PASSWORD,
      DEFAULT_SUBSCRIPTION_KEY,
      'wrong-admin-password',
      'wrong-subscription-key',
      ...sessionKeys,
    ]) {
      expect(everything).not.toContain(secret);
    }
  });
});

describe('DataMotion sessions at gateway shutdown', () => {
  it('logs every cached session out when the gateway shuts down', async () => {
    const sim = createDataMotionSimulator();
    const origin = await sim.listen();
    const t = await startTestApp();
    try {
      expect(
        (await t.request('POST', '/v1/tenants', { body: { id: 'secure-stop', name: 'Stop' } })).status,
      ).toBe(201);
      const connection = await t.request('POST', '/v1/tenants/secure-stop/connections', {
        body: {
          provider: 'datamotion',
          baseUrl: `${origin}${SECURE_MAIL_PATH}`,
          credentials: CREDENTIALS,
          settings: { companyId: 1001, userTypeId: 3 },
        },
      });
      expect(connection.status).toBe(201);
      const created = await t.request('POST', '/v1/tenants/secure-stop/users?service=secure-mail', {
        body: { email: 'stop@secure.example', password: USER_PASSWORD },
      });
      expect(created.status).toBe(201);
      expect(sim.state.activeSessions()).toBe(1);
    } finally {
      await t.close();
    }
    expect(sim.state.stats.logouts).toBe(1);
    expect(sim.state.activeSessions()).toBe(0);
    await sim.close();
  });
});
