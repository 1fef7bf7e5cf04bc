import { createHostwaySimulator, type HostwaySimulator } from './hostway.simulator';

const AUTH = `Basic ${Buffer.from('admin:s3cret').toString('base64')}`;
const BASE = 'https://api.hostway.test';
const D = '/accounts/acc1/email/example.com';

function simulator(): HostwaySimulator {
  return createHostwaySimulator({
    username: 'admin',
    password: 's3cret',
    apiBaseUrl: BASE,
    seed: {
      accounts: [
        {
          name: 'acc1',
          domains: [
            {
              name: 'example.com',
              quota: 5000,
              aliases: ['example.net'],
              mailboxes: [
                { username: 'carol', quota: 30, master: 1, type: 'premium', usage: 12 },
                { username: 'alice', quota: 10, trialType: 'premium', trialExpiration: '2030-01-31' },
                { username: 'bob', quota: 20 },
                { username: 'test-one', quota: 20 },
              ],
            },
            { name: 'empty.com' },
          ],
        },
      ],
    },
  });
}

describe('Hostway simulator', () => {
  let sim: HostwaySimulator;
  beforeEach(() => {
    sim = simulator();
  });
  afterEach(() => sim.close());

  const call = (method: 'GET' | 'PUT' | 'POST' | 'DELETE', url: string, payload?: unknown, auth = AUTH) =>
    sim.app.inject({
      method,
      url,
      headers: {
        authorization: auth,
        ...(payload === undefined ? {} : { 'content-type': 'application/json' }),
      },
      ...(payload === undefined ? {} : { payload: JSON.stringify(payload) }),
    });

  describe('auth and existence', () => {
    it('answers 401 with a flat error and a Basic challenge for wrong credentials', async () => {
      const res = await call(
        'GET',
        `${D}/usernames`,
        undefined,
        `Basic ${Buffer.from('admin:nope').toString('base64')}`,
      );
      expect(res.statusCode).toBe(401);
      expect(res.headers['www-authenticate']).toContain('Basic');
      expect(Object.keys(res.json())).toEqual(['credentials']);
      expect((await sim.app.inject({ method: 'GET', url: `${D}/usernames` })).statusCode).toBe(401);
    });

    it('answers 404 for an unknown account or domain', async () => {
      expect((await call('GET', '/accounts/nope/email/example.com/usernames')).statusCode).toBe(404);
      const res = await call('GET', '/accounts/acc1/email/other.com');
      expect(res.statusCode).toBe(404);
      expect(res.json()).toEqual({ domain: 'The domain name or account does not exist.' });
    });

    it('describes a domain with its quota and links', async () => {
      const res = await call('GET', D);
      expect(res.statusCode).toBe(200);
      expect(res.json()).toEqual({
        quota: 5000,
        links: [
          { href: `${BASE}${D}`, rel: 'self' },
          { href: `${BASE}${D}/usernames`, rel: 'usernames' },
          { href: `${BASE}${D}/aliases`, rel: 'aliases' },
        ],
      });
    });

    it('lists domain-name aliases', async () => {
      expect((await call('GET', `${D}/aliases`)).json()).toEqual({
        list: ['example.net'],
        links: [{ href: `${BASE}${D}/aliases`, rel: 'self' }],
      });
    });
  });

  describe('listing usernames', () => {
    const names = async (query: string): Promise<string[]> => {
      const res = await call('GET', `${D}/usernames${query}`);
      expect(res.statusCode).toBe(200);
      return (res.json() as { list: { username: string }[] }).list.map((m) => m.username);
    };

    it('orders by username ascending by default, with only a self link ending in a slash', async () => {
      const res = await call('GET', `${D}/usernames`);
      expect(res.json().links).toEqual([{ href: `${BASE}${D}/usernames/`, rel: 'self' }]);
      expect(await names('')).toEqual(['alice', 'bob', 'carol', 'test-one']);
    });

    it('filters with the * wildcard, and exactly without it', async () => {
      expect(await names('?filterUsername=*o*')).toEqual(['bob', 'carol', 'test-one']);
      expect(await names('?filterUsername=te*')).toEqual(['test-one']);
      expect(await names('?filterUsername=bob')).toEqual(['bob']);
      expect(await names('?filterUsername=bo')).toEqual([]);
    });

    it('sorts by quota (ties by username) and by username descending', async () => {
      expect(await names('?sortField=quota&sortOrder=desc')).toEqual(['carol', 'bob', 'test-one', 'alice']);
      expect(await names('?sortField=quota')).toEqual(['alice', 'bob', 'test-one', 'carol']);
      expect(await names('?sortField=username&sortOrder=desc')).toEqual([
        'test-one',
        'carol',
        'bob',
        'alice',
      ]);
    });

    it('shows webmailAccess only with details=1 and trial fields only when set, in template key order', async () => {
      const plain = (await call('GET', `${D}/usernames?filterUsername=alice`)).json().list[0];
      expect(Object.keys(plain)).toEqual(['username', 'master', 'quota', 'trialType', 'trialExpiration']);
      const detailed = (await call('GET', `${D}/usernames?filterUsername=carol&details=1`)).json().list[0];
      expect(detailed).toEqual({ username: 'carol', master: 1, quota: 30, webmailAccess: 'premium' });
      expect(Object.keys(detailed)).toEqual(['username', 'master', 'quota', 'webmailAccess']);
    });

    it('pages with self, first, next and last on the first page (no previous)', async () => {
      const res = await call('GET', `${D}/usernames?page=1&pageSize=3`);
      const at = (n: number) => `${BASE}${D}/usernames?page=${n}&pageSize=3`;
      expect(res.json()).toEqual({
        list: [
          { username: 'alice', master: 0, quota: 10, trialType: 'premium', trialExpiration: '2030-01-31' },
          { username: 'bob', master: 0, quota: 20 },
          { username: 'carol', master: 1, quota: 30 },
        ],
        links: [
          { href: at(1), rel: 'self' },
          { href: at(1), rel: 'first' },
          { href: at(2), rel: 'next' },
          { href: at(2), rel: 'last' },
        ],
      });
    });

    it('leaves next out on the last page and keeps previous', async () => {
      const res = await call('GET', `${D}/usernames?page=2&pageSize=3`);
      expect(res.json().list.map((m: { username: string }) => m.username)).toEqual(['test-one']);
      expect(res.json().links.map((l: { rel: string }) => l.rel)).toEqual([
        'self',
        'first',
        'previous',
        'last',
      ]);
    });

    it('answers an empty paged list with self, first and last all on page 1', async () => {
      const res = await call('GET', '/accounts/acc1/email/empty.com/usernames?page=1&pageSize=5');
      const p1 = `${BASE}/accounts/acc1/email/empty.com/usernames?page=1&pageSize=5`;
      expect(res.json()).toEqual({
        list: [],
        links: [
          { href: p1, rel: 'self' },
          { href: p1, rel: 'first' },
          { href: p1, rel: 'last' },
        ],
      });
    });

    it('answers an empty page past the end', async () => {
      const res = await call('GET', `${D}/usernames?page=9&pageSize=3`);
      expect(res.json().list).toEqual([]);
      expect(res.json().links.map((l: { rel: string }) => l.rel)).toEqual([
        'self',
        'first',
        'previous',
        'last',
      ]);
    });

    it('requires page and pageSize together, and validates sort parameters', async () => {
      const noSize = await call('GET', `${D}/usernames?page=1`);
      expect(noSize.statusCode).toBe(400);
      expect(Object.keys(noSize.json())).toEqual(['pageSize']);
      const noPage = await call('GET', `${D}/usernames?pageSize=1`);
      expect(noPage.statusCode).toBe(400);
      expect(Object.keys(noPage.json())).toEqual(['page']);
      expect((await call('GET', `${D}/usernames?page=0&pageSize=2`)).json()).toHaveProperty('page');
      expect((await call('GET', `${D}/usernames?sortField=usage`)).json()).toHaveProperty('sortField');
      expect((await call('GET', `${D}/usernames?sortOrder=up`)).statusCode).toBe(400);
    });

    it('uses the request origin in links when no API base URL is configured', async () => {
      const plain = createHostwaySimulator({
        username: 'admin',
        password: 's3cret',
        seed: { accounts: [{ name: 'a', domains: [{ name: 'y.com' }] }] },
      });
      try {
        const url = await plain.listen();
        expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
        const res = await fetch(`${url}/accounts/a/email/y.com/usernames`, {
          headers: { authorization: AUTH },
        });
        expect(res.status).toBe(200);
        expect(await res.json()).toEqual({
          list: [],
          links: [{ href: `${url}/accounts/a/email/y.com/usernames/`, rel: 'self' }],
        });
      } finally {
        await plain.close();
      }
    });
  });

  describe('mailboxes', () => {
    it('creates with 201, updates with 204, and reads back username, master, quota, usage', async () => {
      const created = await call('PUT', `${D}/usernames/new.user/mailbox`, {
        password: 'Str0ng!Pass',
        quota: 50,
        type: 'activesync',
      });
      expect(created.statusCode).toBe(201);
      expect(sim.state.domain('acc1', 'example.com')?.mailboxes.get('new.user')).toMatchObject({
        password: 'Str0ng!Pass',
        master: 0,
        quota: 50,
        usage: 0,
        type: 'activesync',
      });

      const updated = await call('PUT', `${D}/usernames/new.user/mailbox`, { quota: 75, master: 1 });
      expect(updated.statusCode).toBe(204);
      const read = await call('GET', `${D}/usernames/new.user/mailbox`);
      expect(read.json()).toEqual({
        username: 'new.user',
        master: 1,
        quota: 75,
        usage: 0,
        links: [
          { href: `${BASE}${D}/usernames/new.user/mailbox`, rel: 'self' },
          { href: `${BASE}${D}/usernames/new.user`, rel: 'username' },
        ],
      });
    });

    it('treats mailbox names case-insensitively, keeping the spelling it was created with', async () => {
      expect(
        (await call('PUT', `${D}/usernames/Mixed.Case/mailbox`, { password: 'Str0ng!Pass' })).statusCode,
      ).toBe(201);
      expect((await call('PUT', `${D}/usernames/mixed.case/mailbox`, { quota: 5 })).statusCode).toBe(204);
      expect((await call('GET', `${D}/usernames/MIXED.CASE/mailbox`)).json()).toMatchObject({
        username: 'Mixed.Case',
        quota: 5,
      });
    });

    it('links a username to its mailbox, exchange and secrets', async () => {
      const res = await call('GET', `${D}/usernames/bob`);
      expect(res.json().links.map((l: { rel: string }) => l.rel)).toEqual([
        'self',
        'mailbox',
        'exchange',
        'secrets',
      ]);
      expect((await call('GET', `${D}/usernames/nobody`)).statusCode).toBe(404);
    });

    it('rejects a create without password, a weak password, a bad name and a bad type with flat errors', async () => {
      const noPassword = await call('PUT', `${D}/usernames/x/mailbox`, { quota: 1 });
      expect(noPassword.statusCode).toBe(400);
      expect(noPassword.json()).toEqual({ password: 'Required' });

      const weak = await call('PUT', `${D}/usernames/x/mailbox`, { password: 'password1' });
      expect(weak.statusCode).toBe(400);
      expect(weak.json().password).toMatch(/upper-case/);

      const badName = await call('PUT', `${D}/usernames/bad%20name/mailbox`, {
        password: 'Str0ng!Pass',
        type: 'gold',
        master: 2,
      });
      expect(badName.statusCode).toBe(400);
      expect(Object.keys(badName.json()).sort()).toEqual(['mailboxName', 'master', 'type']);
      expect(sim.state.domain('acc1', 'example.com')?.mailboxes.has('x')).toBe(false);
    });

    it('checks every password rule', async () => {
      const problems: Record<string, RegExp> = {
        'Sh0rt!': /between 8 and 128/,
        [`Aa1!${'x'.repeat(125)}`]: /between 8 and 128/,
        'lower0nly!': /upper-case/,
        'UPPER0NLY!': /lower-case/,
        'NoDigits!!': /digit/,
        NoSpecial1: /special/,
      };
      for (const [password, message] of Object.entries(problems)) {
        const res = await call('PUT', `${D}/usernames/bob/mailbox`, { password });
        expect(res.statusCode).toBe(400);
        expect(res.json().password).toMatch(message);
      }
    });

    it('answers malformed JSON with a flat 400', async () => {
      const res = await sim.app.inject({
        method: 'PUT',
        url: `${D}/usernames/bob/mailbox`,
        headers: { authorization: AUTH, 'content-type': 'application/json' },
        payload: '{"quota":',
      });
      expect(res.statusCode).toBe(400);
      expect(Object.keys(res.json())).toEqual(['body']);
    });

    it('deletes with 204, then 404', async () => {
      expect((await call('DELETE', `${D}/usernames/bob/mailbox`)).statusCode).toBe(204);
      expect((await call('GET', `${D}/usernames/bob/mailbox`)).statusCode).toBe(404);
      expect((await call('DELETE', `${D}/usernames/bob/mailbox`)).statusCode).toBe(404);
    });
  });

  describe('forwards', () => {
    it('adds, lists and removes targets', async () => {
      expect((await call('GET', `${D}/usernames/bob/forwards`)).json()).toEqual({ targets: [] });
      const added = await call('POST', `${D}/usernames/bob/forwards`, {
        targets: [{ target: 'x@other.org' }, { target: 'y@other.org' }],
      });
      expect(added.statusCode).toBe(204);
      expect(
        (await call('POST', `${D}/usernames/bob/forwards`, { targets: [{ target: 'X@other.org' }] }))
          .statusCode,
      ).toBe(204);
      expect((await call('GET', `${D}/usernames/bob/forwards`)).json()).toEqual({
        targets: [{ target: 'x@other.org' }, { target: 'y@other.org' }],
      });
      expect((await call('DELETE', `${D}/usernames/bob/forwards/x%40other.org`)).statusCode).toBe(204);
      expect((await call('DELETE', `${D}/usernames/bob/forwards/x%40other.org`)).statusCode).toBe(404);
      expect(sim.state.domain('acc1', 'example.com')?.mailboxes.get('bob')?.forwards).toEqual([
        'y@other.org',
      ]);
    });

    it('answers 409 on a delivery loop, direct or through another mailbox', async () => {
      const self = await call('POST', `${D}/usernames/bob/forwards`, {
        targets: [{ target: 'bob@example.com' }],
      });
      expect(self.statusCode).toBe(409);
      expect(Object.keys(self.json())).toEqual(['targets']);
      await call('POST', `${D}/usernames/alice/forwards`, { targets: [{ target: 'bob@example.com' }] });
      const loop = await call('POST', `${D}/usernames/bob/forwards`, {
        targets: [{ target: 'alice@example.com' }],
      });
      expect(loop.statusCode).toBe(409);
      expect(sim.state.domain('acc1', 'example.com')?.mailboxes.get('bob')?.forwards).toEqual([]);
    });

    it('validates targets and requires the mailbox', async () => {
      expect((await call('POST', `${D}/usernames/bob/forwards`, { targets: [] })).json()).toEqual({
        targets: 'Required',
      });
      expect(
        (await call('POST', `${D}/usernames/bob/forwards`, { targets: [{ target: 'nope' }] })).statusCode,
      ).toBe(400);
      expect((await call('GET', `${D}/usernames/ghost/forwards`)).statusCode).toBe(404);
    });

    it('drops forwards with their mailbox', async () => {
      await call('POST', `${D}/usernames/bob/forwards`, { targets: [{ target: 'x@other.org' }] });
      await call('DELETE', `${D}/usernames/bob/mailbox`);
      await call('PUT', `${D}/usernames/bob/mailbox`, { password: 'Str0ng!Pass' });
      expect((await call('GET', `${D}/usernames/bob/forwards`)).json()).toEqual({ targets: [] });
    });
  });

  describe('fault controls and state', () => {
    it('answers 429 with Retry-After when told to, and records requests', async () => {
      await sim.app.inject({
        method: 'PUT',
        url: '/__sim/faults',
        payload: { rateLimitNext: 1, rateLimitRetryAfterSeconds: 3 },
      });
      const limited = await call('GET', `${D}/usernames`);
      expect(limited.statusCode).toBe(429);
      expect(limited.headers['retry-after']).toBe('3');
      expect((await call('GET', `${D}/usernames`)).statusCode).toBe(200);
      const requests = (await sim.app.inject({ method: 'GET', url: '/__sim/requests' })).json();
      expect(requests.map((r: { url: string }) => r.url)).toEqual([`${D}/usernames`, `${D}/usernames`]);
    });

    it('snapshots state without passwords and resets to the seed', async () => {
      await call('PUT', `${D}/usernames/temp/mailbox`, { password: 'Str0ng!Pass' });
      const snapshot = (await sim.app.inject({ method: 'GET', url: '/__sim/state' })).body;
      expect(snapshot).toContain('"temp"');
      expect(snapshot).not.toContain('Str0ng!Pass');
      await sim.app.inject({ method: 'POST', url: '/__sim/reset' });
      expect(sim.state.domain('acc1', 'example.com')?.mailboxes.has('temp')).toBe(false);
      expect(sim.state.domain('acc1', 'example.com')?.mailboxes.size).toBe(4);
    });
  });
});
