import { createHostwaySimulator, type HostwaySimulator } from '../../simulators/hostway/hostway.simulator';
import type { HostwaySeed } from '../../simulators/hostway/hostway.store';

/*
 * The three examples of the Hostway reference page "Accounts-account-email-domain-usernames:GET"
 * (vendors/hostway-email-usernames-api.txt), copied verbatim. Each is replayed against the simulator
 * seeded with the data the example shows, and the answer must be the documented body: same keys,
 * same key order, same links in the same order, with {{APIBaseURL}} standing for the simulator's URL.
 *
 * The first two examples cannot come from the same data (the first shows a trial, the second
 * none), so each example gets its own seed.
 */
const EXAMPLE_LIST = `{
    "list": [
        {
            "username": "test", 
            "master": 1, 
            "quota": 10,
            "trialType": "premium",
            "trialExpiration": "2018-10-28"
        }
    ],
    "links": [
        {
            "href": "{{APIBaseURL}}/accounts/test-account123/email/test.com/usernames/",
            "rel": "self"
        }
    ]
}`;

const EXAMPLE_DETAILS = `{
    "list": [
        {
            "username": "test", 
            "master": 1, 
            "quota": 10, 
            "webmailAccess": "standard"
        }
    ],
    "links": [
        {
            "href": "{{APIBaseURL}}/accounts/test-account123/email/test.com/usernames/",
            "rel": "self"
        }
    ]
}`;

const EXAMPLE_PAGED = `{
    "list": [
        {
            "username": "test1", 
            "master": 1, 
            "quota": 10
        },
        {
            "username": "test2", 
            "master": 1, 
            "quota": 15
        }
    ],
    "links": [
        {
            "href": "{{APIBaseURL}}/accounts/test-account123/email/test.com/usernames?page=2&pageSize=2",
            "rel": "self"
        },
        {
            "href": "{{APIBaseURL}}/accounts/test-account123/email/test.com/usernames?page=1&pageSize=2",
            "rel": "first"
        },
        {
            "href": "{{APIBaseURL}}/accounts/test-account123/email/test.com/usernames?page=1&pageSize=2",
            "rel": "previous"
        },
        {
            "href": "{{APIBaseURL}}/accounts/test-account123/email/test.com/usernames?page=3&pageSize=2",
            "rel": "next"
        },
        {
            "href": "{{APIBaseURL}}/accounts/test-account123/email/test.com/usernames?page=3&pageSize=2",
            "rel": "last"
        }
    ]
}`;

const seedWith = (
  mailboxes: NonNullable<HostwaySeed['accounts'][number]['domains'][number]['mailboxes']>,
): HostwaySeed => ({
  accounts: [{ name: 'test-account123', domains: [{ name: 'test.com', mailboxes }] }],
});

const CASES: { name: string; request: string; documented: string; seed: HostwaySeed }[] = [
  {
    name: 'success scenario',
    request: 'accounts/test-account123/email/test.com/usernames',
    documented: EXAMPLE_LIST,
    seed: seedWith([
      { username: 'test', master: 1, quota: 10, trialType: 'premium', trialExpiration: '2018-10-28' },
    ]),
  },
  {
    name: 'request with webmailAccess',
    request: 'accounts/test-account123/email/test.com/usernames?details=1',
    documented: EXAMPLE_DETAILS,
    seed: seedWith([{ username: 'test', master: 1, quota: 10, type: 'standard' }]),
  },
  {
    name: 'paginated request',
    request: 'accounts/test-account123/email/test.com/usernames?page=2&pageSize=2',
    documented: EXAMPLE_PAGED,
    // Five mailboxes in username order put test1 and test2 on page 2 of 3.
    seed: seedWith([
      { username: 'test3', master: 1, quota: 20 },
      { username: 'test2', master: 1, quota: 15 },
      { username: 'admin', master: 1, quota: 5 },
      { username: 'test1', master: 1, quota: 10 },
      { username: 'info', master: 0, quota: 5 },
    ]),
  },
];

describe('Hostway reference examples replayed against the simulator', () => {
  let sim: HostwaySimulator | undefined;
  afterEach(async () => {
    await sim?.close();
    sim = undefined;
  });

  describe.each(['request origin', 'configured API base URL'])('with links built from the %s', (mode) => {
    it.each(CASES)('$name returns the documented body', async ({ request, documented, seed }) => {
      const configured = mode === 'configured API base URL' ? 'https://api.hostway.example/v1' : undefined;
      sim = createHostwaySimulator({
        username: 'apiuser',
        password: 'apipass',
        apiBaseUrl: configured,
        seed,
      });
      const url = await sim.listen();
      const base = configured ?? url;

      const res = await fetch(`${url}/${request}`, {
        headers: { authorization: `Basic ${Buffer.from('apiuser:apipass').toString('base64')}` },
      });

      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toMatch(/^application\/json/);
      const expected: unknown = JSON.parse(documented.replaceAll('{{APIBaseURL}}', base));
      const body = await res.text();
      expect(JSON.parse(body)).toEqual(expected);
      // toEqual ignores key order; the serialised forms compare it too.
      expect(body).toBe(JSON.stringify(expected));
    });
  });
});
