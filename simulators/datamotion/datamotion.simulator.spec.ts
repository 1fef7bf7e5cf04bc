import { STATUS_TEXT } from './datamotion-migrate';
import {
  createDataMotionSimulator,
  DEFAULT_SUBSCRIPTION_KEY,
  REMOTE_PATH,
  SECURE_MAIL_PATH,
  type DataMotionSimulator,
} from './datamotion.simulator';
import { DEFAULT_SEED } from './datamotion-state';

const ADMIN = { UserIdOrEmail: 'admin@securemail.example', Password: 'admin-secret' };

interface Answer {
  status: number;
  body: Record<string, unknown>;
}

interface UserResult {
  Status: number;
  Details: string;
  Action: string;
  UserTag: string;
  Uid: number;
  CompanyId: number;
  UserTypeId: number;
}

describe('DataMotion simulator', () => {
  let sim: DataMotionSimulator;

  beforeEach(() => {
    sim = createDataMotionSimulator({
      seed: {
        ...DEFAULT_SEED,
        companies: [...DEFAULT_SEED.companies, { id: 2002, name: 'Other', userTypeIds: [12] }],
        accounts: [
          ...DEFAULT_SEED.accounts,
          { email: 'plain@securemail.example', password: 'plain-secret', companyId: 1001, userTypeId: 3 },
          { email: 'foreign@other.example', userTag: 'foreign', companyId: 2002, userTypeId: 12 },
        ],
      },
    });
  });
  afterEach(() => sim.close());

  async function call(
    method: 'GET' | 'POST' | 'PUT',
    url: string,
    options: { body?: unknown; session?: string; subscriptionKey?: string | null } = {},
  ): Promise<Answer> {
    const headers: Record<string, string> = {};
    const key = options.subscriptionKey === undefined ? DEFAULT_SUBSCRIPTION_KEY : options.subscriptionKey;
    if (key !== null) headers['ocp-apim-subscription-key'] = key;
    if (options.session) headers['x-session-key'] = options.session;
    const response = await sim.app.inject({
      method,
      url,
      headers,
      ...(options.body === undefined ? {} : { payload: options.body as object }),
    });
    return {
      status: response.statusCode,
      body: response.body ? (JSON.parse(response.body) as Answer['body']) : {},
    };
  }

  async function logon(credentials = ADMIN): Promise<string> {
    const answer = await call('POST', `${SECURE_MAIL_PATH}/Account/Logon`, { body: credentials });
    expect(answer.status).toBe(200);
    return answer.body.SessionKey as string;
  }

  async function migrate(session: string, body: unknown): Promise<UserResult[]> {
    const answer = await call('POST', `${SECURE_MAIL_PATH}/Account/MigrateUsers`, { body, session });
    expect(answer.status).toBe(200);
    return answer.body.Users as UserResult[];
  }

  const create = (users: object[], extra: object = {}) => ({
    Password: 'Init-Pass-1',
    CompanyId: 1001,
    UserTypeId: 3,
    Users: users,
    ...extra,
  });

  it('enforces the subscription key with API Management’s answers', async () => {
    const missing = await call('POST', `${SECURE_MAIL_PATH}/Account/Logon`, {
      body: ADMIN,
      subscriptionKey: null,
    });
    expect(missing).toEqual({
      status: 401,
      body: { statusCode: 401, message: expect.stringMatching(/missing subscription key/) },
    });
    const wrong = await call('POST', `${SECURE_MAIL_PATH}/Account/Logon`, {
      body: ADMIN,
      subscriptionKey: 'nope',
    });
    expect(wrong.body.message).toMatch(/invalid subscription key/);
  });

  it('logs on, reads the session user, logs out; refuses bad credentials and missing fields', async () => {
    const key = await logon();
    const details = await call('GET', `${SECURE_MAIL_PATH}/Account/Details`, { session: key });
    expect(details.body).toMatchObject({ EmailAddress: 'admin@securemail.example', UserId: 'admin' });
    expect((await call('POST', `${SECURE_MAIL_PATH}/Account/Logout`, { session: key })).status).toBe(200);
    const after = await call('GET', `${SECURE_MAIL_PATH}/Account/Details`, { session: key });
    expect(after).toEqual({ status: 401, body: { Message: 'Bad session key.' } });
    const noKey = await call('GET', `${SECURE_MAIL_PATH}/Account/Details`);
    expect(noKey.body).toEqual({ Message: 'The X-Session-Key header is missing.' });

    const bad = await call('POST', `${SECURE_MAIL_PATH}/Account/Logon`, {
      body: { ...ADMIN, Password: 'x' },
    });
    expect(bad).toEqual({ status: 401, body: { Message: 'User credentials are invalid.' } });
    const missing = await call('POST', `${SECURE_MAIL_PATH}/Account/Logon`, {
      body: { UserIdOrEmail: 'admin' },
    });
    expect(missing.status).toBe(400);
    expect(sim.state.logons.map((l) => l.ok)).toEqual([true, false, false]);
    expect(sim.state.stats.logouts).toBe(1);
  });

  it('expires session keys after the configured time (or on demand)', async () => {
    sim.config.sessionTtlMs = 0;
    const key = await logon();
    const expired = await call('GET', `${SECURE_MAIL_PATH}/Account/Details`, { session: key });
    expect(expired).toEqual({ status: 401, body: { Message: 'Session key expired.' } });
    sim.config.sessionTtlMs = 60_000;
    const fresh = await logon();
    await call('POST', '/__sim/expire-sessions');
    expect((await call('GET', `${SECURE_MAIL_PATH}/Account/Details`, { session: fresh })).body.Message).toBe(
      'Session key expired.',
    );
  });

  it('creates with the request’s CompanyId and UserTypeId, then updates by UserTag', async () => {
    const key = await logon();
    const [created] = await migrate(
      key,
      create([{ Email: 'a@x.example', UserId: 'a@x.example', UserTag: 'a@x.example', FirstName: 'Ann' }]),
    );
    expect(created).toMatchObject({
      Status: 0,
      Action: 'Create',
      CompanyId: 1001,
      UserTypeId: 3,
      Details: STATUS_TEXT[0],
    });
    expect(created.Uid).toBeGreaterThan(0);
    const [updated] = await migrate(key, {
      CompanyId: 1001,
      Users: [{ UserTag: 'a@x.example', FirstName: 'Anna' }],
    });
    expect(updated).toMatchObject({ Status: 0, Action: 'Update', Uid: created.Uid });
    expect(sim.state.byTag('a@x.example')).toMatchObject({
      firstName: 'Anna',
      companyId: 1001,
      userTypeId: 3,
    });
    const stats = (await call('GET', '/__sim/stats')).body;
    expect(stats).toMatchObject({ migrateUsersCalls: 2, largestBatch: 1, users: 4 });
    const looked = (await call('GET', '/__sim/users/a@x.example')).body;
    expect(looked).toMatchObject({ userTag: 'a@x.example', firstName: 'Anna', companyId: 1001 });
    expect(looked).not.toHaveProperty('password');
    expect((await call('GET', '/__sim/users/nobody')).status).toBe(404);
  });

  it('reaches the validation and duplicate statuses of the reference', async () => {
    const key = await logon();
    await migrate(key, create([{ Email: 'taken@x.example', UserId: 'taken', UserTag: 't1' }]));
    const long = 'x'.repeat(51);
    const statuses = async (body: object) => (await migrate(key, body)).map((u) => u.Status);
    expect(await statuses(create([{ Email: 'taken@x.example', UserId: 'taken', UserTag: 'n1' }]))).toEqual([
      130,
    ]);
    expect(await statuses(create([{ Email: 'new@x.example', UserId: 'taken', UserTag: 'n2' }]))).toEqual([
      110,
    ]);
    expect(await statuses(create([{ Email: 'TAKEN@x.example', UserId: 'other', UserTag: 'n3' }]))).toEqual([
      120,
    ]);
    expect(
      await statuses(create([{ Email: 'b@x.example', UserId: 'b', UserTag: 'n4', FirstName: long }])),
    ).toEqual([80]);
    expect(await statuses(create([{ Email: 'not-an-email', UserId: 'c', UserTag: 'n5' }]))).toEqual([90]);
    expect(
      await statuses(
        create([{ Email: 'd@x.example', UserId: 'd', UserTag: 'n6', CreateDate: '2024-02-30 10:00:00' }]),
      ),
    ).toEqual([90]);
    expect(
      await statuses(create([{ Email: 'e@x.example', UserId: 'e', UserTag: 'n7' }], { Password: '' })),
    ).toEqual([90]);
    expect(
      await statuses(create([{ Email: 'f@x.example', UserId: 'f', UserTag: 'n8' }], { CompanyId: 2002 })),
    ).toEqual([40]);
    expect(
      await statuses(create([{ Email: 'g@x.example', UserId: 'g', UserTag: 'n9' }], { UserTypeId: 77 })),
    ).toEqual([50]);
    expect(
      await statuses(create([{ Email: 'h@x.example', UserId: 'h', UserTag: 'n10' }], { UserTypeId: 9 })),
    ).toEqual([60]);
    expect(
      await statuses(create([{ Email: 'i@x.example', UserId: 'i', UserTag: 'n11' }], { UserTypeId: 12 })),
    ).toEqual([155]);
    expect(
      await statuses(create([{ Email: 'j@x.example', UserId: 'j', UserTag: 'n12' }], { CompanyId: -1 })),
    ).toEqual([20]);
    expect(await statuses(create([]))).toEqual([70]);
    expect(await statuses({ CompanyId: 1001, Users: [{ UserTag: 't1' }] })).toEqual([100]);
    expect(
      await statuses({ CompanyId: 1001, Users: [{ UserTag: 't1', Email: 'plain@securemail.example' }] }),
    ).toEqual([190]);
    expect(await statuses({ CompanyId: 1001, Users: [{ UserTag: 't1', UserId: 'admin' }] })).toEqual([180]);
    expect(await statuses({ Users: [{ UserTag: 'foreign', FirstName: 'F' }] })).toEqual([175]);
    const [detail] = await migrate(key, create([{ Email: 'taken@x.example', UserId: 'zz', UserTag: 'n13' }]));
    expect(detail.Details).toBe('User migration Create Email already exists.');
  });

  it('forces any per-user status by UserTag, so that the failure codes validation cannot reach are testable', async () => {
    const key = await logon();
    await call('PUT', '/__sim/config', { body: { forcedStatuses: { boom: 160, gone: 230 } } });
    const results = await migrate(
      key,
      create([
        { Email: 'ok@x.example', UserId: 'ok', UserTag: 'ok' },
        { Email: 'boom@x.example', UserId: 'boom', UserTag: 'boom' },
        { Email: 'gone@x.example', UserId: 'gone', UserTag: 'gone' },
      ]),
    );
    expect(results.map((u) => [u.UserTag, u.Status, u.Details])).toEqual([
      ['ok', 0, STATUS_TEXT[0]],
      ['boom', 160, STATUS_TEXT[160]],
      ['gone', 230, STATUS_TEXT[230]],
    ]);
    expect(sim.state.byTag('boom')).toBeUndefined();
    expect(sim.state.stats.largestBatch).toBe(3);
  });

  it('answers the reference’s 400s and refuses a session user who is not a company admin', async () => {
    const key = await logon();
    const url = `${SECURE_MAIL_PATH}/Account/MigrateUsers`;
    expect((await call('POST', url, { session: key, body: { Users: [{ Email: 'x' }] } })).body).toEqual({
      Message: 'The UserTag field is required.',
    });
    expect((await call('POST', url, { session: key, body: { CompanyId: 'abc', Users: [] } })).body).toEqual({
      Message: 'CompanyId type is not an integer.',
    });
    const plain = await logon({ UserIdOrEmail: 'plain@securemail.example', Password: 'plain-secret' });
    expect(await call('POST', url, { session: plain, body: create([]) })).toEqual({
      status: 401,
      body: { Message: 'User is not a company admin.' },
    });
  });

  it('serves the /Remote company-admin API: List pages, Read and Delete by email', async () => {
    const key = await logon();
    await migrate(
      key,
      create(
        Array.from({ length: 30 }, (_, i) => ({
          Email: `u${String(i).padStart(2, '0')}@x.example`,
          UserId: `u${i}`,
          UserTag: `u${i}`,
        })),
      ),
    );
    const page2 = await call('POST', `${REMOTE_PATH}/Account/List`, {
      session: key,
      body: { CompanyId: 1001, PageNumber: 2, OrderBy: 'Email', Filter: '@x.example' },
    });
    expect(page2.body).toMatchObject({
      Count: 5,
      CurrentPage: 2,
      TotalPages: 2,
      TotalUsers: 30,
      PageSize: 25,
    });
    expect((page2.body.Accounts as { Email: string }[])[0].Email).toBe('u25@x.example');
    const read = await call('POST', `${REMOTE_PATH}/Account/Read`, {
      session: key,
      body: { Email: 'U03@x.example' },
    });
    expect(read.body).toMatchObject({ Email: 'u03@x.example', UserTag: 'u3', CompanyId: 1001 });
    expect(
      (
        await call('POST', `${REMOTE_PATH}/Account/Delete`, {
          session: key,
          body: { Email: 'u03@x.example' },
        })
      ).status,
    ).toBe(200);
    const gone = await call('POST', `${REMOTE_PATH}/Account/Read`, {
      session: key,
      body: { Email: 'u03@x.example' },
    });
    expect(gone).toEqual({ status: 404, body: { Errors: { Email: ['The account does not exist.'] } } });
    const foreign = await call('POST', `${REMOTE_PATH}/Account/Read`, {
      session: key,
      body: { Email: 'foreign@other.example' },
    });
    expect(foreign.status).toBe(404);
    expect((await call('POST', `${REMOTE_PATH}/Account/List`, { body: {} })).status).toBe(401);
  });

  it('goes down (connections dropped) and comes back up', async () => {
    const origin = await sim.listen();
    await fetch(`${origin}/__sim/down`, { method: 'POST' });
    await expect(fetch(`${origin}${SECURE_MAIL_PATH}/Account/Details`)).rejects.toThrow();
    await fetch(`${origin}/__sim/up`, { method: 'POST' });
    expect((await fetch(`${origin}${SECURE_MAIL_PATH}/Account/Details`)).status).toBe(401);
  });
});
