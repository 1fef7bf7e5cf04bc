import { createMailStoreSimulator, type MailStoreSimulator } from './mailstore.simulator';

const AUTH = `Basic ${Buffer.from('admin:admin-secret').toString('base64')}`;

interface Envelope {
  error: { message: string } | null;
  token: string | null;
  statusVersion: number;
  statusCode: string;
  percentProgress: number | null;
  result: unknown;
}

async function post(sim: MailStoreSimulator, url: string, form: Record<string, string>, auth = AUTH) {
  const response = await sim.app.inject({
    method: 'POST',
    url,
    headers: { authorization: auth, 'content-type': 'application/x-www-form-urlencoded' },
    payload: new URLSearchParams(form).toString(),
  });
  return { status: response.statusCode, raw: response.body };
}

async function invoke(
  sim: MailStoreSimulator,
  command: string,
  form: Record<string, string>,
): Promise<Envelope> {
  const { status, raw } = await post(sim, `/api/invoke/${command}`, form);
  expect(status).toBe(200);
  expect(raw.startsWith('\uFEFF')).toBe(true);
  return JSON.parse(raw.slice(1)) as Envelope;
}

async function followToEnd(
  sim: MailStoreSimulator,
  first: Envelope,
): Promise<{ last: Envelope; versions: number[] }> {
  let last = first;
  const versions = [first.statusVersion];
  while (last.statusCode === 'running') {
    const { status, raw } = await post(sim, '/api/get-status', {
      token: first.token ?? '',
      lastKnownStatusVersion: String(last.statusVersion),
      millisecondsTimeout: '2000',
    });
    expect(status).toBe(200);
    last = JSON.parse(raw.slice(1)) as Envelope;
    versions.push(last.statusVersion);
  }
  return { last, versions };
}

describe('MailStore simulator', () => {
  let sim: MailStoreSimulator;

  beforeEach(() => {
    sim = createMailStoreSimulator({
      verifyDurationMs: 300,
      tokenTtlMs: 200,
      instances: [
        {
          id: 'i1',
          stores: [{ name: 'A' }, { name: 'B', problems: ['Message 17: content file is missing.'] }],
        },
      ],
    });
  });
  afterEach(() => sim.close());

  it('refuses a request without valid Basic auth', async () => {
    const { status } = await post(sim, '/api/invoke/Ping', {}, 'Basic bm9wZTpub3Bl');
    expect(status).toBe(401);
  });

  it('answers the documented envelope with a BOM', async () => {
    const envelope = await invoke(sim, 'GetStores', { instanceID: 'i1', includeSize: 'true' });
    expect(Object.keys(envelope).sort()).toEqual(
      ['error', 'percentProgress', 'result', 'statusCode', 'statusText', 'statusVersion', 'token'].sort(),
    );
    expect(envelope.statusCode).toBe('succeeded');
    expect((envelope.result as { name: string }[]).map((s) => s.name)).toEqual(['A', 'B']);
  });

  it.each([
    [{ instanceID: 'i1', id: '1', includeIndexes: 'True' }, /includeIndexes.*'true' or 'false'/],
    [{ instanceID: 'i1', id: '1' }, /Missing required argument 'includeIndexes'/],
    [{ instanceID: 'nope', id: '1', includeIndexes: 'true' }, /Instance 'nope' does not exist/],
    [{ instanceID: 'i1', id: '9', includeIndexes: 'true' }, /Archive store with ID 9 does not exist/],
    [{ instanceID: 'i1', id: '1', includeIndexes: 'true', extra: 'x' }, /Unknown argument 'extra'/],
  ])('answers failed for bad VerifyStore arguments %j', async (form, message) => {
    const envelope = await invoke(sim, 'VerifyStore', form);
    expect(envelope.statusCode).toBe('failed');
    expect(envelope.error?.message).toMatch(message);
    expect(sim.state.verificationsStarted).toBe(0);
  });

  it('reports duplicates and bad privileges as failed', async () => {
    const form = { instanceID: 'i1', userName: 'jane@example.com', privileges: 'login' };
    expect((await invoke(sim, 'CreateUser', form)).statusCode).toBe('succeeded');
    expect((await invoke(sim, 'CreateUser', form)).error?.message).toMatch(/already exists/);
    const bad = await invoke(sim, 'SetUserPrivileges', { ...form, privileges: 'login,admin' });
    expect(bad.error?.message).toMatch(/'admin' must be the only value/);
  });

  it('runs VerifyStores with rising progress, reports every store, then forgets the token', async () => {
    const first = await invoke(sim, 'VerifyStores', { instanceID: 'i1', includeIndexes: 'false' });
    expect(first.statusCode).toBe('running');
    expect(first.token).toEqual(expect.any(String));
    expect(sim.state.verificationsStarted).toBe(1);
    const { last, versions } = await followToEnd(sim, first);
    versions.slice(1).forEach((v, i) => expect(v).toBeGreaterThan(versions[i]));
    expect(last.statusCode).toBe('succeeded');
    expect(last.percentProgress).toBe(100);
    expect(last.result).toEqual({
      stores: [
        { id: 1, name: 'A', consistent: true, problems: [] },
        { id: 2, name: 'B', consistent: false, problems: ['Message 17: content file is missing.'] },
      ],
    });
    await new Promise((r) => setTimeout(r, 400));
    const expired = await post(sim, '/api/get-status', {
      token: first.token ?? '',
      lastKnownStatusVersion: '0',
      millisecondsTimeout: '10',
    });
    expect(expired.status).toBe(404);
  });

  it('ends a cancelled verification as failed and records the cancel', async () => {
    sim = createMailStoreSimulator({
      verifyDurationMs: 30_000,
      instances: [{ id: 'i1', stores: [{ name: 'A' }] }],
    });
    const first = await invoke(sim, 'VerifyStore', { instanceID: 'i1', id: '1', includeIndexes: 'true' });
    const cancel = await post(sim, '/api/cancel-async', { token: first.token ?? '' });
    expect(cancel.status).toBe(200);
    const { last } = await followToEnd(sim, first);
    expect(last.statusCode).toBe('failed');
    expect(last.error?.message).toMatch(/cancelled/);
    expect(sim.state.cancelRequests).toEqual([first.token]);
  });

  it('lists every command with typed args in get-metadata', async () => {
    const { raw } = await post(sim, '/api/get-metadata', {});
    const metadata = JSON.parse(raw.slice(1)) as { name: string; args: { name: string; type: string }[] }[];
    const verify = metadata.find((m) => m.name === 'VerifyStore');
    expect(verify?.args).toEqual([
      { name: 'instanceID', type: 'string', nullable: false },
      { name: 'id', type: 'number', nullable: false },
      { name: 'includeIndexes', type: 'bool', nullable: false },
    ]);
    expect(metadata.length).toBeGreaterThan(100);
  });

  it('lets a user read its own archive only with read on the folder named after it', async () => {
    const instanceID = sim.state.instances.keys().next().value as string;
    const read = async (userName: string, password: string, folder = userName) =>
      (
        await sim.app.inject({
          method: 'GET',
          url: `/__sim/archive/${instanceID}/${encodeURIComponent(folder)}`,
          headers: { authorization: `Basic ${Buffer.from(`${userName}:${password}`).toString('base64')}` },
        })
      ).statusCode;
    const user = { instanceID, userName: 'kim@example.com' };
    await invoke(sim, 'CreateUser', { ...user, privileges: 'login', password: 'Kim-pass-1' });

    expect(await read('kim@example.com', 'Kim-pass-1')).toBe(403);
    expect(await read('kim@example.com', 'wrong')).toBe(401);

    const bad = await invoke(sim, 'SetUserPrivilegesOnFolder', {
      ...user,
      folder: 'kim@example.com',
      privileges: 'read,none',
    });
    expect(bad.statusCode).toBe('failed');
    const granted = await invoke(sim, 'SetUserPrivilegesOnFolder', {
      ...user,
      folder: 'kim@example.com',
      privileges: 'read',
    });
    expect(granted.statusCode).toBe('succeeded');
    expect(await read('kim@example.com', 'Kim-pass-1')).toBe(200);
    expect(await read('kim@example.com', 'Kim-pass-1', 'someone@example.com')).toBe(403);
    expect((await invoke(sim, 'GetUserInfo', user)).result).toMatchObject({
      privilegesOnFolders: [{ folder: 'kim@example.com', privileges: 'read' }],
    });

    await invoke(sim, 'SetUserPrivilegesOnFolder', {
      ...user,
      folder: 'kim@example.com',
      privileges: 'none',
    });
    expect(await read('kim@example.com', 'Kim-pass-1')).toBe(403);
    await invoke(sim, 'SetUserPrivilegesOnFolder', {
      ...user,
      folder: 'kim@example.com',
      privileges: 'read',
    });
    await invoke(sim, 'ClearUserPrivilegesOnFolders', user);
    expect(await read('kim@example.com', 'Kim-pass-1')).toBe(403);
  });
});
