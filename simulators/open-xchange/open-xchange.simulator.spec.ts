import { createOpenXchangeSimulator, type OpenXchangeSimulator } from './open-xchange.simulator';

const BRAND = 'Basic ' + Buffer.from('brand:brand-secret').toString('base64');
const PLUGINS = 'Basic ' + Buffer.from('plugins:plugins-secret').toString('base64');

const john = {
  name: 'john@acme.test',
  password: 'Secret-123',
  givenName: 'John',
  surName: 'Doe',
  mail: 'john@acme.test',
  unifiedQuota: 1000,
};

describe('Open-Xchange simulator', () => {
  let sim: OpenXchangeSimulator;

  beforeEach(() => {
    sim = createOpenXchangeSimulator({ seed: { contexts: [{ name: 'acme', id: 24 }] } });
  });
  afterEach(() => sim.close());

  const v2 = (method: 'GET' | 'POST' | 'PUT' | 'DELETE' | 'HEAD', url: string, payload?: unknown) =>
    sim.app.inject({
      method,
      url,
      payload: payload as object,
      headers: { authorization: BRAND, 'x-trace-id': 't-1' },
    });

  it('creates a user and answers its duplicate with the v2 error body (code 32)', async () => {
    const created = await v2('POST', '/cloudapi/v2/users?name=acme&includeid=true', john);
    expect(created.statusCode).toBe(200);
    expect(created.json()).toMatchObject({
      name: 'john@acme.test',
      contextName: 'acme',
      uid: 2,
      unifiedQuota: 1000,
    });
    expect(created.headers['x-trace-id']).toBe('t-1');

    const dup = await v2('POST', '/cloudapi/v2/users?name=acme', john);
    expect(dup.statusCode).toBe(409);
    const [error] = dup.json().errors;
    expect(error).toMatchObject({ code: '32', status: '409', title: 'User "john@acme.test" already exists' });
    expect(typeof error.id).toBe('string');
  });

  it('validates create bodies with the spec codes', async () => {
    const cases: Array<[unknown, string, number]> = [
      [{ ...john, password: undefined, surName: undefined }, '7', 409],
      [{ ...john, spamLevel: 'extreme' }, '36', 400],
      [{ ...john, mailQuota: 10 }, '11', 409],
      [{ ...john, unifiedQuota: -1 }, '12', 409],
      [{ ...john, classOfService: ['nope'] }, '13', 409],
    ];
    for (const [body, code, status] of cases) {
      const res = await v2('POST', '/cloudapi/v2/users?name=acme', body);
      expect([res.statusCode, res.json().errors[0].code]).toEqual([status, code]);
    }
    const missing = await v2('POST', '/cloudapi/v2/users?name=acme', { ...john, password: undefined });
    expect(missing.json().errors[0].title).toBe('Mandatory parameters missing: password');
  });

  it('requires a context (code 4) and brand auth (code 2)', async () => {
    const noCtx = await v2('GET', '/cloudapi/v2/users');
    expect([noCtx.statusCode, noCtx.json().errors[0].code]).toEqual([409, '4']);
    const unknown = await v2('GET', '/cloudapi/v2/users?name=nope');
    expect([unknown.statusCode, unknown.json().errors[0].code]).toEqual([404, '3']);
    const byId = await v2('GET', '/cloudapi/v2/users/count?id=24');
    expect(byId.json()).toEqual({ count: 0 });
    const anon = await sim.app.inject({ method: 'GET', url: '/cloudapi/v2/users?name=acme' });
    expect([anon.statusCode, anon.json().errors[0].code]).toEqual([401, '2']);
  });

  it('manages forwards and their recipients', async () => {
    await v2('POST', '/cloudapi/v2/mail/forwards?name=acme', {
      address: 'sales@acme.test',
      forwardTo: ['a@x.test'],
    });
    expect(
      (await v2('PUT', '/cloudapi/v2/mail/forwards/sales%40acme.test/recipients?name=acme', ['b@x.test']))
        .statusCode,
    ).toBe(200);
    expect(
      (await v2('GET', '/cloudapi/v2/mail/forwards/sales%40acme.test/recipients?name=acme')).json(),
    ).toEqual(['a@x.test', 'b@x.test']);
    expect(
      (await v2('DELETE', '/cloudapi/v2/mail/forwards/sales%40acme.test/a%40x.test?name=acme')).statusCode,
    ).toBe(200);
    const gone = await v2('DELETE', '/cloudapi/v2/mail/forwards/sales%40acme.test/a%40x.test?name=acme');
    expect([gone.statusCode, gone.json().errors[0].code]).toEqual([404, '22']);
    const dup = await v2('POST', '/cloudapi/v2/mail/forwards?name=acme', {
      address: 'sales@acme.test',
      forwardTo: ['c@x.test'],
    });
    expect(dup.json().errors[0].code).toBe('41');
  });

  it('manages shared domains (codes 27, 28)', async () => {
    expect((await v2('POST', '/cloudapi/v2/mail/shareddomains/shared.test')).statusCode).toBe(200);
    expect((await v2('POST', '/cloudapi/v2/mail/shareddomains/shared.test')).json().errors[0].code).toBe(
      '28',
    );
    expect((await v2('HEAD', '/cloudapi/v2/mail/shareddomains/shared.test')).statusCode).toBe(200);
    expect((await v2('GET', '/cloudapi/v2/mail/shareddomains')).json()).toEqual(['shared.test']);
    expect((await v2('DELETE', '/cloudapi/v2/mail/shareddomains/shared.test')).statusCode).toBe(200);
    expect((await v2('DELETE', '/cloudapi/v2/mail/shareddomains/shared.test')).json().errors[0].code).toBe(
      '27',
    );
  });

  it('serves Cloud-Plugins attributes with their own credentials', async () => {
    await v2('POST', '/cloudapi/v2/users?name=acme', john);
    const base = '/oxaas/v1/admin/contexts/24/users/2';
    const plug = (method: 'GET' | 'POST' | 'PUT' | 'DELETE', url: string, payload?: object) =>
      sim.app.inject({ method, url, payload, headers: { authorization: PLUGINS } });

    expect((await plug('GET', `${base}/msisdn`)).statusCode).toBe(404);
    const put = await plug('PUT', `${base}/msisdn`, { msisdn: '+49.1' });
    expect(put.json()).toMatchObject({
      'context-id': 24,
      'user-id': 2,
      uidname: 'john@acme.test',
      msisdn: '+49.1',
    });
    expect((await plug('GET', `${base}/msisdn`)).json()).toEqual({ msisdn: '+49.1' });
    await plug('PUT', `${base}/antivirus`, { antivirus: true });
    expect((await plug('GET', `${base}/antivirus`)).json()).toEqual({ antivirus: true });
    await plug('PUT', `${base}/classofservice`, { classofservice: ['cloud_pim'] });
    const user = await v2('GET', '/cloudapi/v2/users/john%40acme.test?name=acme');
    expect(user.json().classOfService).toEqual(['cloud_pim']);
    expect((await plug('DELETE', `${base}/msisdn`)).statusCode).toBe(200);
    expect((await plug('GET', `${base}/msisdn`)).statusCode).toBe(404);

    expect((await plug('PUT', `${base}/custom`, { custom: ['a', 'b'] })).statusCode).toBe(400);
    expect((await plug('PUT', `${base}/custom`, { custom: 'a' })).statusCode).toBe(200);
    expect((await plug('GET', `${base}/custom`)).json()).toEqual({ custom: ['a'] });
    const many = await plug('POST', base, { custom: ['a', 'b'], msisdn: '+49.2' });
    expect(many.json()).toMatchObject({ custom: ['a', 'b'], msisdn: '+49.2' });
    expect((await plug('POST', base, { custom: 'a' })).statusCode).toBe(400);
    await plug('POST', base, { custom: [], msisdn: '' });
    expect((await plug('GET', `${base}/custom`)).statusCode).toBe(404);
    expect((await plug('GET', `${base}/msisdn`)).statusCode).toBe(404);

    const wrongCreds = await sim.app.inject({
      method: 'GET',
      url: `${base}/msisdn`,
      headers: { authorization: BRAND },
    });
    expect(wrongCreds.statusCode).toBe(401);
    expect((await plug('POST', '/oxaas/v1/admin/contexts/24/domains/explicit.test')).json()).toEqual({
      domain: 'explicit.test',
    });
    expect((await plug('GET', '/oxaas/v1/admin/contexts/24/domains')).json()).toEqual({
      domains: ['explicit.test'],
    });
  });

  it('answers injected 429s with OX code 39 and Retry-After, and records requests', async () => {
    sim.faults.set({ rateLimitNext: 1, rateLimitRetryAfterSeconds: 1 });
    const limited = await v2('GET', '/cloudapi/v2/users?name=acme');
    expect([limited.statusCode, limited.headers['retry-after'], limited.json().errors[0].code]).toEqual([
      429,
      '1',
      '39',
    ]);
    expect((await v2('GET', '/cloudapi/v2/users?name=acme')).statusCode).toBe(200);
    const recorded = await sim.app.inject({ method: 'GET', url: '/__sim/requests' });
    expect(recorded.json().map((r: { url: string }) => r.url)).toEqual([
      '/cloudapi/v2/users?name=acme',
      '/cloudapi/v2/users?name=acme',
    ]);
  });

  it('listens on real HTTP', async () => {
    const base = await sim.listen();
    const res = await fetch(`${base}/cloudapi/v2/users/count?name=acme`, {
      headers: { authorization: BRAND },
    });
    expect(await res.json()).toEqual({ count: 0 });
  });
});
