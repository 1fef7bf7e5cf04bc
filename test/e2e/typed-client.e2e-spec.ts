import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createMailroomClient, type MailroomClient } from '../../clients/typescript/src';
import {
  createOpenXchangeSimulator,
  DEFAULT_OX_BRAND,
  type OpenXchangeSimulator,
} from '../../simulators/open-xchange/open-xchange.simulator';
import { startTestApp, type TestApp } from '../support/test-app';
import { waitFor } from '../support/wait-for';

const TENANT = 'portal';
const DOMAIN = 'portal.example';

/** The generated client used the way a portal uses it: typed paths, parameters and bodies only. */
describe('typed TypeScript client (e2e: clients/typescript against the running gateway)', () => {
  let t: TestApp;
  let ox: OpenXchangeSimulator;
  let mailroom: MailroomClient;

  beforeAll(async () => {
    ox = createOpenXchangeSimulator({ seed: { contexts: [{ name: 'portal', id: 14 }] } });
    const oxUrl = await ox.listen();
    t = await startTestApp();
    mailroom = createMailroomClient({ baseUrl: t.url, apiKey: t.adminKey });
    const tenant = await mailroom.POST('/v1/tenants', { body: { id: TENANT, name: 'Portal' } });
    expect(tenant.response.status).toBe(201);
    const connection = await mailroom.POST('/v1/tenants/{tenantId}/connections', {
      params: { path: { tenantId: TENANT } },
      body: {
        provider: 'open-xchange',
        baseUrl: oxUrl,
        credentials: { ...DEFAULT_OX_BRAND },
        settings: { context: 'portal' },
        services: ['mail'],
      },
    });
    expect(connection.response.status).toBe(201);
  });

  afterAll(async () => {
    await t.close();
    await ox.close();
  });

  it('creates a user with an Idempotency-Key sent through typed parameters, and the retry is replayed', async () => {
    const request = {
      params: { path: { tenantId: TENANT }, header: { 'Idempotency-Key': 'portal-create-ada' } },
      body: { email: `ada@${DOMAIN}`, firstName: 'Ada', lastName: 'Lovelace', password: 'Str0ng!Passw0rd' },
    };
    const created = await mailroom.POST('/v1/tenants/{tenantId}/users', request);
    expect(created.response.status).toBe(201);
    expect(created.data?.email).toBe(`ada@${DOMAIN}`);
    const again = await mailroom.POST('/v1/tenants/{tenantId}/users', request);
    expect(again.response.status).toBe(201);
    expect(again.response.headers.get('idempotent-replayed')).toBe('true');
    expect(again.data).toEqual(created.data);
  });

  it('pages a list with an integer limit and nextCursor', async () => {
    for (const name of ['bob', 'cleo']) {
      const res = await mailroom.POST('/v1/tenants/{tenantId}/users', {
        params: { path: { tenantId: TENANT } },
        body: {
          email: `${name}@${DOMAIN}`,
          firstName: name,
          lastName: 'Portal',
          password: 'Str0ng!Passw0rd',
        },
      });
      expect(res.response.status).toBe(201);
    }
    const emails: string[] = [];
    let cursor: string | undefined;
    for (let page = 0; page < 10; page++) {
      const { data, error } = await mailroom.GET('/v1/tenants/{tenantId}/users', {
        params: { path: { tenantId: TENANT }, query: { limit: 2, cursor } },
      });
      expect(error).toBeUndefined();
      emails.push(...(data?.data ?? []).map((user) => user.email));
      if (!data?.nextCursor) break;
      cursor = data.nextCursor;
    }
    expect(emails.sort()).toEqual([`ada@${DOMAIN}`, `bob@${DOMAIN}`, `cleo@${DOMAIN}`]);
  });

  it('starts a job, polls it to its end and streams its events', async () => {
    const started = await mailroom.POST('/v1/tenants/{tenantId}/migrations', {
      params: { path: { tenantId: TENANT }, header: { 'Idempotency-Key': 'portal-migration-1' } },
      body: {
        service: 'mail',
        users: [
          { email: `dora@${DOMAIN}`, firstName: 'Dora', lastName: 'Portal', password: 'Str0ng!Passw0rd' },
          { email: `eve@${DOMAIN}`, firstName: 'Eve', lastName: 'Portal', password: 'Str0ng!Passw0rd' },
        ],
      },
    });
    expect(started.response.status).toBe(202);
    const id = started.data?.id as string;
    expect(started.response.headers.get('location')).toBe(`/v1/jobs/${id}`);

    const finished = await waitFor(async () => {
      const { data } = await mailroom.GET('/v1/jobs/{id}', { params: { path: { id } } });
      return data && ['succeeded', 'failed', 'partially_failed', 'cancelled'].includes(data.state) && data;
    }, 'the migration job to finish');
    expect(finished).toMatchObject({
      type: 'migration',
      state: 'succeeded',
      progress: { total: 2, succeeded: 2 },
    });

    const stream = await mailroom.GET('/v1/jobs/{id}/events', { params: { path: { id } }, parseAs: 'text' });
    expect(stream.response.headers.get('content-type')).toMatch(/^text\/event-stream/);
    expect(stream.data).toMatch(/event: done\ndata: .*"state":"succeeded"/);

    const items = await mailroom.GET('/v1/jobs/{id}/items', {
      params: { path: { id }, query: { limit: 10 } },
    });
    expect(items.data?.data.map((item) => item.key).sort()).toEqual([`dora@${DOMAIN}`, `eve@${DOMAIN}`]);
  });

  it('was generated from the document the gateway serves at /docs-json', async () => {
    const served = await t.request('GET', '/docs-json', { key: null });
    const committed = readFileSync(
      join(__dirname, '..', '..', 'clients', 'typescript', 'openapi.json'),
      'utf8',
    );
    expect(served.body).toEqual(JSON.parse(committed));
  });

  it('answers typed problems', async () => {
    const { error, response } = await mailroom.GET('/v1/tenants/{tenantId}/users/{email}', {
      params: { path: { tenantId: TENANT, email: `nobody@${DOMAIN}` } },
    });
    expect(response.status).toBe(404);
    expect(error).toMatchObject({ code: 'not_found', status: 404 });
  });
});
