import { join } from 'node:path';
import type { VendorHttpClients } from '../../src/adapters/http';
import {
  OPEN_XCHANGE_PROVIDER,
  OpenXchangeMailAdapter,
} from '../../src/adapters/open-xchange/open-xchange.adapter';
import { GatewayError } from '../../src/domain/errors';
import type { CallContext, ConnectionContext } from '../../src/domain/ports/call-context';
import type { VendorRequest, VendorResponse } from '../../src/domain/ports/vendor-http.port';
import type { VendorCallLog } from '../../src/domain/vendor-call';
import {
  createOpenXchangeSimulator,
  DEFAULT_OX_BRAND,
  DEFAULT_OX_PLUGINS,
  type OpenXchangeSimulator,
} from '../../simulators/open-xchange/open-xchange.simulator';
import type { RecordedRequest } from '../../simulators/shared/fault-controls';
import { OpenApiRequestValidator } from '../support/openapi-request-validator';
import { callContextFor, testVendorHttpClients } from '../support/simulator-harness';
import { describeMailServiceContract } from './mail-service.contract';

const SPEC = join(__dirname, '../fixtures/vendors/open-xchange-cloud-provisioning-api-v2.yml');
const DOMAIN = 'acme.example';
const CONTEXT_ID = 24;

interface Running {
  sim: OpenXchangeSimulator;
  baseUrl: string;
  clients: VendorHttpClients;
  ctx(settings?: Record<string, unknown>): CallContext;
}

async function start(): Promise<Running> {
  const sim = createOpenXchangeSimulator({
    seed: {
      contexts: [
        {
          name: 'acme',
          id: CONTEXT_ID,
          users: [
            {
              name: 'legacy.login',
              mail: `legacy@${DOMAIN}`,
              givenName: 'Leg',
              surName: 'Acy',
              mailQuota: 300,
              fileQuota: 700,
              usedMailQuota: 12,
            },
          ],
        },
      ],
    },
  });
  const baseUrl = await sim.listen();
  const clients = testVendorHttpClients();
  const connection = (settings: Record<string, unknown>): ConnectionContext => ({
    id: 'conn-ox',
    tenantId: 'acme',
    provider: 'open-xchange',
    baseUrl,
    credentials: {
      username: DEFAULT_OX_BRAND.username,
      password: DEFAULT_OX_BRAND.password,
      pluginsUsername: DEFAULT_OX_PLUGINS.username,
      pluginsPassword: DEFAULT_OX_PLUGINS.password,
    },
    settings: { context: 'acme', contextId: CONTEXT_ID, ...settings },
    services: ['mail'],
  });
  return { sim, baseUrl, clients, ctx: (settings = {}) => callContextFor(clients, connection(settings)) };
}

async function stop(running: Running): Promise<void> {
  await running.clients.close();
  await running.sim.close();
}

async function failure(call: Promise<unknown>): Promise<GatewayError> {
  try {
    await call;
  } catch (error) {
    if (error instanceof GatewayError) return error;
    throw error;
  }
  throw new Error('expected a GatewayError');
}

describeMailServiceContract('open-xchange', async () => {
  const running = await start();
  return {
    port: new OpenXchangeMailAdapter(),
    provider: OPEN_XCHANGE_PROVIDER,
    ctx: running.ctx(),
    sim: {
      reset: async () => {
        running.sim.faults.reset();
        running.sim.state.reset();
      },
    },
    domain: DOMAIN,
    plans: ['cloud_mail', 'cloud_pim'],
    teardown: () => stop(running),
  };
});

describe('open-xchange adapter against the simulator', () => {
  let running: Running;
  const adapter = OPEN_XCHANGE_PROVIDER;
  const mail = new OpenXchangeMailAdapter();
  const john = {
    email: `john@${DOMAIN}`,
    firstName: 'John',
    lastName: 'Doe',
    password: 'Secret-123!',
    mailbox: { quotaMb: 1000, plan: 'cloud_pim', spamLevel: 'medium' as const },
  };

  beforeAll(async () => {
    running = await start();
  });
  afterAll(() => stop(running));
  beforeEach(() => {
    running.sim.faults.reset();
    running.sim.state.reset();
  });

  it('refuses a create without password or names before any vendor call', async () => {
    const ctx = running.ctx();
    const error = await failure(mail.createUser(ctx, { email: john.email, firstName: 'John' }));
    expect(error.code).toBe('validation_failed');
    expect(error.errors?.map((e) => e.field).sort()).toEqual(['lastName', 'password']);
    expect((ctx.vendorCalls as VendorCallLog).calls).toHaveLength(0);
    expect(running.sim.faults.requests).toHaveLength(0);
  });

  it('keeps OX’s reason in detail for a duplicate user', async () => {
    await mail.createUser(running.ctx(), john);
    const error = await failure(mail.createUser(running.ctx(), john));
    expect(error.code).toBe('conflict');
    expect(error.detail).toContain(`User "${john.email}" already exists`);
  });

  it('maps the OX user both ways, including split quotas and users whose login is not the address', async () => {
    const created = await mail.createUser(running.ctx(), {
      ...john,
      aliases: [`j.doe@${DOMAIN}`],
      extras: { classOfService: ['cloud_drive'] },
    });
    expect(created).toMatchObject({
      email: john.email,
      externalId: john.email,
      aliases: [`j.doe@${DOMAIN}`],
      mailbox: { quotaMb: 1000, plan: 'cloud_pim', spamLevel: 'medium' },
      extras: { classOfService: ['cloud_drive'] },
    });
    const stored = running.sim.state.contexts.get(CONTEXT_ID)!.users.get(john.email)!;
    expect(stored).toMatchObject({
      givenName: 'John',
      surName: 'Doe',
      unifiedQuota: 1000,
      classOfService: ['cloud_pim', 'cloud_drive'],
    });

    const legacy = await mail.getUser(running.ctx(), `legacy@${DOMAIN}`, { includeRaw: false });
    expect(legacy).toMatchObject({ externalId: 'legacy.login', mailbox: { quotaMb: 300, usedMb: 12 } });
    await mail.updateMailbox(running.ctx(), `legacy@${DOMAIN}`, { quotaMb: 400 });
    expect(running.sim.state.contexts.get(CONTEXT_ID)!.users.get('legacy.login')).toMatchObject({
      mailQuota: 400,
      unifiedQuota: null,
    });
  });

  it('sends only the changed fields on update', async () => {
    await mail.createUser(running.ctx(), john);
    running.sim.faults.requests.length = 0;
    await mail.updateUser(running.ctx(), john.email, {
      firstName: 'John',
      lastName: 'Roe',
      mailbox: { quotaMb: 1000, plan: 'cloud_nine' },
    });
    const put = running.sim.faults.requests.find((r) => r.method === 'PUT');
    expect(put?.body).toEqual({ surName: 'Roe', classOfService: ['cloud_nine'] });
  });

  it('reads and writes antivirus and Cloud-Plugins extras on the mailbox', async () => {
    await mail.createUser(running.ctx(), { ...john, mailbox: { ...john.mailbox, antivirus: true } });
    const mailbox = await mail.updateMailbox(running.ctx(), john.email, {
      spamLevel: 'low',
      extras: { msisdn: '+49.1234', oxdeliverystatus: 'OXAAS', blacklist: ['spam@bad.example'] },
    });
    expect(mailbox).toMatchObject({
      quotaMb: 1000,
      spamLevel: 'low',
      antivirus: true,
      extras: {
        msisdn: '+49.1234',
        oxdeliverystatus: 'OXAAS',
        quotamode: 'unified',
        blacklist: ['spam@bad.example'],
        whitelist: [],
      },
    });
    await mail.updateMailbox(running.ctx(), john.email, { extras: { msisdn: null } });
    expect((await mail.getMailbox(running.ctx(), john.email)).extras).not.toHaveProperty('msisdn');
    const unknown = await failure(mail.updateMailbox(running.ctx(), john.email, { extras: { nope: 1 } }));
    expect(unknown.errors).toEqual([{ field: 'extras.nope', message: expect.any(String) }]);
  });

  it('sets custom ids with the call the reference documents for each: PUT one string, POST a list, DELETE none', async () => {
    await mail.createUser(running.ctx(), john);
    const customCalls = () =>
      running.sim.faults.requests
        .filter(
          (r) => r.url.startsWith(`/oxaas/v1/admin/contexts/${CONTEXT_ID}/users/`) && r.method !== 'GET',
        )
        .map((r) => ({ method: r.method, url: r.url.replace(/^.*\/users\/\d+/, ''), body: r.body }));

    running.sim.faults.requests.length = 0;
    const one = await mail.updateMailbox(running.ctx(), john.email, { extras: { custom: ['crm-1'] } });
    expect(one.extras).toMatchObject({ custom: ['crm-1'] });
    expect(customCalls()).toEqual([{ method: 'PUT', url: '/custom', body: { custom: 'crm-1' } }]);

    running.sim.faults.requests.length = 0;
    const two = await mail.updateMailbox(running.ctx(), john.email, {
      extras: { custom: ['crm-1', 'erp-2'] },
    });
    expect(two.extras).toMatchObject({ custom: ['crm-1', 'erp-2'] });
    expect(customCalls()).toEqual([{ method: 'POST', url: '', body: { custom: ['crm-1', 'erp-2'] } }]);

    running.sim.faults.requests.length = 0;
    const none = await mail.updateMailbox(running.ctx(), john.email, { extras: { custom: null } });
    expect(none.extras).not.toHaveProperty('custom');
    expect(customCalls()).toEqual([{ method: 'DELETE', url: '/custom', body: undefined }]);
  });

  it('replaces a black list by its difference, so a failure halfway keeps every entry still wanted', async () => {
    await mail.createUser(running.ctx(), john);
    const blacklist = () => running.sim.state.contextByName('acme')!.users.get(john.email)!.blacklist;
    await mail.updateMailbox(running.ctx(), john.email, {
      extras: { blacklist: ['a@x.example', 'b@x.example', 'c@x.example'] },
    });

    // The second change to the list fails, as a vendor answering 500 mid-way would.
    const failing = running.ctx();
    const real = failing.http;
    let changes = 0;
    failing.http = {
      send(request: VendorRequest): Promise<VendorResponse> {
        const changesList = request.method !== 'GET' && /\/blacklist(\/|$)/.test(request.path);
        if (changesList && ++changes === 2) {
          return Promise.resolve({
            status: 500,
            headers: {},
            text: '{"error":"injected"}',
            json: <T>() => ({ error: 'injected' }) as T,
          });
        }
        return real.send(request);
      },
    };
    const wanted = ['b@x.example', 'c@x.example', 'd@x.example', 'e@x.example'];
    await failure(mail.updateMailbox(failing, john.email, { extras: { blacklist: wanted } }));
    expect(blacklist()).toEqual(expect.arrayContaining(['b@x.example', 'c@x.example']));

    running.sim.faults.requests.length = 0;
    const done = await mail.updateMailbox(running.ctx(), john.email, { extras: { blacklist: wanted } });
    expect([...(done.extras?.blacklist as string[])].sort()).toEqual(wanted);
    expect(
      running.sim.faults.requests
        .filter((r) => r.method !== 'GET' && r.url.includes('/blacklist'))
        .map((r) => `${r.method} ${r.url.replace(/^.*\/blacklist/, '')}`),
    ).toEqual(['PUT /e%40x.example', 'DELETE /a%40x.example']);
  });

  it('needs contextId for Cloud-Plugins features and never guesses it', async () => {
    await mail.createUser(running.ctx(), john);
    const ctx = running.ctx({ contextId: undefined });
    expect((await mail.getMailbox(ctx, john.email)).antivirus).toBeUndefined();
    const error = await failure(mail.updateMailbox(ctx, john.email, { antivirus: false }));
    expect(error.code).toBe('validation_failed');
    expect(running.sim.faults.requests.some((r) => r.url.startsWith('/oxaas/'))).toBe(false);
  });

  it('merges shared and explicit domains with their kind', async () => {
    await mail.createDomain(running.ctx(), 'shared.example', 'shared');
    await mail.createDomain(running.ctx(), 'explicit.example', 'explicit');
    expect(await mail.listDomains(running.ctx())).toEqual([
      { name: 'explicit.example', kind: 'explicit' },
      { name: 'shared.example', kind: 'shared' },
    ]);
    await mail.deleteDomain(running.ctx(), 'explicit.example');
    expect(running.sim.state.contexts.get(CONTEXT_ID)!.explicitDomains.size).toBe(0);
  });

  it('waits out a 429 with Retry-After on reads, and maps auth failures', async () => {
    await mail.createUser(running.ctx(), john);
    running.sim.faults.set({ rateLimitNext: 1, rateLimitRetryAfterSeconds: 1 });
    expect((await mail.getUser(running.ctx(), john.email, { includeRaw: false })).email).toBe(john.email);

    const badCtx = running.ctx();
    const wrong: CallContext = {
      ...badCtx,
      connection: { ...badCtx.connection, credentials: { username: 'brand', password: 'wrong' } },
    };
    const error = await failure(adapter.check(wrong));
    expect(error.code).toBe('provider_auth_failed');
    expect(error.detail).toContain('Authentication failed');
  });
});

describe('open-xchange requests against the Cloud Provisioning v2 OpenAPI spec', () => {
  let running: Running;
  const validator = OpenApiRequestValidator.fromFile(SPEC);
  const mail = new OpenXchangeMailAdapter();

  beforeAll(async () => {
    running = await start();
  });
  afterAll(() => stop(running));

  it('every /cloudapi/v2 request the adapter sends validates', async () => {
    const ctx = running.ctx();
    const email = `spec@${DOMAIN}`;
    await OPEN_XCHANGE_PROVIDER.check(ctx);
    await mail.createUser(ctx, {
      email,
      firstName: 'Spec',
      lastName: 'Check',
      displayName: 'Spec Check',
      password: 'Secret-123!',
      aliases: [`spec.alias@${DOMAIN}`],
      mailbox: { quotaMb: 2048, plan: 'cloud_mail', spamLevel: 'high', antivirus: true },
      extras: { language: 'de_DE', timezone: 'Europe/Berlin', classOfService: ['cloud_drive'] },
    });
    await failure(
      mail.createUser(ctx, { email, firstName: 'Spec', lastName: 'Check', password: 'Secret-123!' }),
    );
    await mail.getUser(ctx, email, { includeRaw: true });
    await mail.getUser(ctx, `legacy@${DOMAIN}`, { includeRaw: false });
    await mail.listUsers(ctx, { q: 'sp*', limit: 10, sort: 'quota', order: 'desc' });
    await mail.listUsers(ctx, { limit: 1 });
    await mail.updateUser(ctx, email, {
      firstName: 'Specs',
      password: 'Another-456!',
      aliases: [],
      mailbox: { quotaMb: 4096, plan: 'cloud_pim', spamLevel: 'low', antivirus: false },
      extras: { timezone: 'Europe/Paris' },
    });
    await mail.updateMailbox(ctx, email, { quotaMb: 1024, plan: 'cloud_nine', extras: { msisdn: '+1.555' } });
    await mail.updateMailbox(ctx, `legacy@${DOMAIN}`, { quotaMb: 500 });
    await mail.getMailbox(ctx, email);
    await mail.putAlias(ctx, `team@${DOMAIN}`, ['a@x.example', 'b@x.example']);
    await mail.putAlias(ctx, `team@${DOMAIN}`, ['b@x.example', 'c@x.example']);
    await mail.addAliasRecipient(ctx, `team@${DOMAIN}`, 'd@x.example');
    await mail.removeAliasRecipient(ctx, `team@${DOMAIN}`, 'b@x.example');
    await mail.listAliases(ctx, { domain: DOMAIN, limit: 5 });
    await mail.getAlias(ctx, `team@${DOMAIN}`);
    await mail.deleteAlias(ctx, `team@${DOMAIN}`);
    await failure(mail.getAlias(ctx, `team@${DOMAIN}`));
    await mail.createDomain(ctx, 'spec-shared.example', 'shared');
    await mail.getDomain(ctx, 'spec-shared.example');
    await mail.listDomains(ctx);
    await mail.deleteDomain(ctx, 'spec-shared.example');
    await mail.deleteUser(ctx, email);

    const response = await fetch(`${running.baseUrl}/__sim/requests`);
    const recorded = ((await response.json()) as RecordedRequest[]).filter((r) =>
      r.url.startsWith('/cloudapi/v2/'),
    );
    const results = recorded.map((r) => ({ request: `${r.method} ${r.url}`, ...validator.validate(r) }));
    expect(results.filter((r) => !r.ok)).toEqual([]);

    const operations = new Set(results.map((r) => r.operation));
    for (const operation of [
      'GET /cloudapi/v2/users',
      'GET /cloudapi/v2/users/count',
      'POST /cloudapi/v2/users',
      'GET /cloudapi/v2/users/{login}',
      'PUT /cloudapi/v2/users/{login}',
      'DELETE /cloudapi/v2/users/{login}',
      'GET /cloudapi/v2/mail/forwards',
      'POST /cloudapi/v2/mail/forwards',
      'HEAD /cloudapi/v2/mail/forwards/{address}/exists',
      'GET /cloudapi/v2/mail/forwards/{address}/recipients',
      'PUT /cloudapi/v2/mail/forwards/{address}/recipients',
      'DELETE /cloudapi/v2/mail/forwards/{address}/{recipient}',
      'DELETE /cloudapi/v2/mail/forwards/{address}',
      'GET /cloudapi/v2/mail/shareddomains',
      'POST /cloudapi/v2/mail/shareddomains/{domain}',
      'HEAD /cloudapi/v2/mail/shareddomains/{domain}',
      'DELETE /cloudapi/v2/mail/shareddomains/{domain}',
    ]) {
      expect(operations).toContain(operation);
    }
  });

  it('rejects requests that break the spec', () => {
    const wrong = [
      { method: 'GET', url: '/cloudapi/v2/mailboxes?name=acme' },
      { method: 'PATCH', url: '/cloudapi/v2/users/john%40acme.example?name=acme', body: { surName: 'Doe' } },
      { method: 'GET', url: '/cloudapi/v2/users?context=acme' },
      { method: 'GET', url: '/cloudapi/v2/users?name=acme&id=twenty' },
      { method: 'GET', url: '/cloudapi/v2/users/count?name=acme&includeguests=maybe' },
      {
        method: 'POST',
        url: '/cloudapi/v2/users?name=acme',
        body: { name: 'j', mail: 'j@x.example', password: 'p', givenName: 'J' },
      },
      {
        method: 'POST',
        url: '/cloudapi/v2/users?name=acme',
        body: {
          name: 'j',
          mail: 'j@x.example',
          password: 'p',
          givenName: 'J',
          surName: 'D',
          unifiedQuota: '1000',
        },
      },
      { method: 'PUT', url: '/cloudapi/v2/users/j?name=acme', body: { quotaMb: 10 } },
      { method: 'PUT', url: '/cloudapi/v2/users/j?name=acme', body: { classOfService: 'cloud_pim' } },
      { method: 'POST', url: '/cloudapi/v2/mail/forwards?name=acme', body: { address: 'a@x.example' } },
      { method: 'PUT', url: '/cloudapi/v2/mail/forwards/a%40x.example/recipients?name=acme', body: [] },
      { method: 'POST', url: '/cloudapi/v2/users?name=acme' },
    ];
    for (const request of wrong) {
      const result = validator.validate(request);
      expect({ request, ok: result.ok }).toEqual({ request, ok: false });
      expect(result.errors.length).toBeGreaterThan(0);
    }
  });
});
