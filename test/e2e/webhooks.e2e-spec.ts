import {
  createOpenXchangeSimulator,
  DEFAULT_OX_BRAND,
  type OpenXchangeSimulator,
} from '../../simulators/open-xchange/open-xchange.simulator';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { signedWebhookShell } from '../../scripts/demo-guide';
import { WebhookCipher } from '../../src/modules/webhooks/webhook-cipher';
import { WebhookEventSweeper } from '../../src/modules/webhooks/webhook-event-sweeper';
import { WebhookEventsRepository } from '../../src/modules/webhooks/webhook-events.repository';
import { startTestApp, type ApiResponse, type TestApp } from '../support/test-app';
import { waitFor } from '../support/wait-for';
import { signDelivery, type SignedDelivery } from '../support/webhook-sender';

interface EventView {
  id: string;
  sourceId: string;
  type: string;
  status: 'received' | 'processed' | 'failed';
  result: Record<string, unknown> | null;
  error: { code: string; detail: string } | null;
  data: Record<string, unknown> | null;
}

interface AuditEvent {
  action: string;
  outcome: string;
  actor: { type: string; id: string };
  resource: { type: string; id: string };
  vendorCalls: { method: string; path: string }[];
  detail: Record<string, unknown>;
}

const PASSWORD = 'Hook3d!secret';

describe('Inbound webhooks (e2e against the OX simulator)', () => {
  let t: TestApp;
  let sim: OpenXchangeSimulator;
  let secret: string;
  let tenantKey: string;
  let otherKey: string;

  beforeAll(async () => {
    sim = createOpenXchangeSimulator({ seed: { contexts: [{ name: 'acme', id: 42 }] } });
    const simUrl = await sim.listen();
    t = await startTestApp();
    for (const id of ['acme', 'other'])
      expect((await t.request('POST', '/v1/tenants', { body: { id, name: id } })).status).toBe(201);
    const conn = await t.request('POST', '/v1/tenants/acme/connections', {
      body: {
        provider: 'open-xchange',
        baseUrl: simUrl,
        credentials: DEFAULT_OX_BRAND,
        settings: { context: 'acme' },
      },
    });
    expect(conn.status).toBe(201);
    const key = async (tenantId: string) =>
      (
        await t.request<{ key: string }>('POST', '/v1/api-keys', {
          body: { name: `hooks-${tenantId}`, tenantId, scopes: ['webhooks:write', 'audit:read'] },
        })
      ).body.key;
    tenantKey = await key('acme');
    otherKey = await key('other');
    const source = await t.request<{ id: string; secret: string }>('POST', '/v1/webhook-sources', {
      key: tenantKey,
      body: { id: 'hr-system', tenantId: 'acme' },
    });
    expect(source.status).toBe(201);
    secret = source.body.secret;
  });

  afterAll(async () => {
    await t.close();
    await sim.close();
  });

  const deliver = (d: SignedDelivery, sourceId = 'hr-system') =>
    t.request<{ eventId: string; status: string; result?: Record<string, unknown> }>(
      'POST',
      `/v1/webhooks/${sourceId}`,
      { key: null, headers: d.headers, rawBody: d.body },
    );
  const event = (id: string) => t.request<EventView>('GET', `/v1/webhook-events/${id}`, { key: tenantKey });
  const finished = (id: string) =>
    waitFor(async () => {
      const e = (await event(id)).body;
      return e.status !== 'received' && e;
    }, `event ${id} to finish`);
  const userCreated = (email: string) => ({
    type: 'user.created',
    data: { email, firstName: 'Ada', lastName: 'Lovelace', password: PASSWORD },
  });
  const oxUserPosts = () =>
    sim.faults.requests.filter((r) => r.method === 'POST' && r.url.startsWith('/cloudapi/v2/users')).length;

  it('creates a source whose secret is shown once and never again', async () => {
    expect(secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    const one = await t.request('GET', '/v1/webhook-sources/hr-system', { key: tenantKey });
    expect(one.status).toBe(200);
    expect(one.body).toMatchObject({ id: 'hr-system', tenantId: 'acme' });
    const list = await t.request<{ data: { id: string }[] }>('GET', '/v1/webhook-sources', {
      key: tenantKey,
    });
    expect(list.body.data.map((s) => s.id)).toEqual(['hr-system']);
    expect(one.text + list.text).not.toContain(secret.slice(6, 20));
    const taken = await t.request('POST', '/v1/webhook-sources', {
      body: { id: 'hr-system', tenantId: 'other' },
    });
    expect(taken.status).toBe(409);
  });

  it('accepts a signed user.created, creates the user at OX once, and answers a repeat with the first result', async () => {
    const delivery = signDelivery(secret, userCreated('ada@acme.example'));
    const before = oxUserPosts();
    const accepted = await deliver(delivery);
    expect(accepted.status).toBe(202);
    expect(accepted.body).toEqual({ eventId: expect.any(String), status: 'received' });
    const done = await finished(accepted.body.eventId);
    expect(done).toMatchObject({ status: 'processed', type: 'user.created', sourceId: 'hr-system' });
    expect(done.result).toMatchObject({ user: { email: 'ada@acme.example', provider: 'open-xchange' } });
    expect(sim.state.contextByName('acme')!.users.get('ada@acme.example')).toMatchObject({
      givenName: 'Ada',
      surName: 'Lovelace',
    });
    expect(oxUserPosts()).toBe(before + 1);

    const again = await deliver(delivery);
    expect(again.status).toBe(200);
    expect(again.body).toMatchObject({
      eventId: accepted.body.eventId,
      status: 'processed',
      result: done.result,
    });
    expect(oxUserPosts()).toBe(before + 1);
    expect(JSON.stringify(done)).not.toContain(PASSWORD);
  });

  it('refuses a flipped body byte, a wrong secret, a missing header and a stale timestamp with 401, storing nothing', async () => {
    const good = signDelivery(secret, userCreated('eve@acme.example'));
    const flipped = { ...good, body: good.body.replace('"eve@', '"eva@') };
    const otherSecret = signDelivery(
      'whsec_' + Buffer.alloc(32, 7).toString('base64'),
      userCreated('eve@acme.example'),
    );
    const stale = signDelivery(secret, userCreated('eve@acme.example'), {
      at: new Date(Date.now() - 301_000),
    });
    const { ['webhook-signature']: _dropped, ...unsigned } = good.headers;
    const refusals: ApiResponse[] = [
      await deliver(flipped),
      await deliver(otherSecret),
      await deliver(stale),
      await deliver({ ...good, headers: unsigned }),
    ];
    for (const refusal of refusals) {
      expect(refusal.status).toBe(401);
      expect(refusal.headers.get('content-type')).toContain('application/problem+json');
      expect(refusal.body).toMatchObject({ code: 'unauthorized' });
    }
    expect(refusals[2].body.detail).toContain('5 minutes');
    const events = await t.request<{ data: EventView[] }>('GET', '/v1/webhook-events?limit=200', {
      key: tenantKey,
    });
    expect(
      events.body.data.some((e) => JSON.stringify(e).includes('eve@') || JSON.stringify(e).includes('eva@')),
    ).toBe(false);
    expect(sim.state.contextByName('acme')!.users.has('eve@acme.example')).toBe(false);
  });

  it('accepts a delivery signed with plain openssl and curl, as the README and the demo show', async () => {
    const script = [
      ...signedWebhookShell('TENANT_KEY', 'acme', 'grace@acme.example'),
      'echo',
      'echo "$SOURCE"',
    ];
    // Asynchronously: the gateway under test answers the script's curls from this process.
    const { stdout } = await promisify(execFile)('bash', ['-euo', 'pipefail', '-c', script.join('\n')], {
      env: { PATH: process.env.PATH, MAILROOM: t.url, TENANT_KEY: tenantKey },
    });
    const output = stdout.trim();
    const [answer, source] = output.split('\n');
    const accepted = JSON.parse(answer) as { eventId: string; status: string };
    expect(accepted.status).toBe('received');
    expect(await finished(accepted.eventId)).toMatchObject({ status: 'processed', sourceId: source });
    expect(sim.state.contextByName('acme')!.users.has('grace@acme.example')).toBe(true);
  });

  it('accepts a timestamp 299 s old', async () => {
    const late = signDelivery(secret, userCreated('late@acme.example'), {
      at: new Date(Date.now() - 299_000),
    });
    const accepted = await deliver(late);
    expect(accepted.status).toBe(202);
    expect(await finished(accepted.body.eventId)).toMatchObject({ status: 'processed' });
  });

  it('answers 404 for an unknown source, 413 past the body limit, 415 for a non-JSON body', async () => {
    const d = signDelivery(secret, userCreated('x@acme.example'));
    expect((await deliver(d, 'no-such-source')).status).toBe(404);
    const huge = signDelivery(secret, {
      type: 'user.created',
      data: { email: 'x@acme.example', pad: 'x'.repeat(1_100_000) },
    });
    const tooLarge = await deliver(huge);
    expect(tooLarge.status).toBe(413);
    expect(tooLarge.body).toMatchObject({ code: 'payload_too_large' });
    const text = await deliver({ ...d, headers: { ...d.headers, 'content-type': 'text/plain' } });
    expect(text.status).toBe(415);
  });

  it('stores an unknown type or invalid data as a failed event and answers 422', async () => {
    const unknown = await deliver(signDelivery(secret, { type: 'user.teleported', data: {} }));
    expect(unknown.status).toBe(422);
    expect(unknown.body).toMatchObject({ code: 'validation_failed' });
    const invalid = await deliver(
      signDelivery(secret, { type: 'user.created', data: { email: 'not-an-address', password: PASSWORD } }),
    );
    expect(invalid.status).toBe(422);
    expect(invalid.body).toMatchObject({ errors: [{ field: 'data.email' }] });
    const failed = await t.request<{ data: EventView[] }>('GET', '/v1/webhook-events?status=failed', {
      key: tenantKey,
    });
    expect(failed.body.data.map((e) => e.type)).toEqual(
      expect.arrayContaining(['user.teleported', 'user.created']),
    );
    expect(failed.body.data.every((e) => e.error?.code === 'validation_failed')).toBe(true);
    expect(JSON.stringify(failed.body)).not.toContain(PASSWORD);
  });

  it('runs the other event types through the same services', async () => {
    const run = async (type: string, data: Record<string, unknown>) => {
      const accepted = await deliver(signDelivery(secret, { type, data }));
      expect(accepted.status).toBe(202);
      return finished(accepted.body.eventId);
    };
    expect(
      await run('user.created', {
        email: 'bob@acme.example',
        firstName: 'Bob',
        lastName: 'B',
        password: PASSWORD,
      }),
    ).toMatchObject({
      status: 'processed',
    });
    expect(await run('user.updated', { email: 'bob@acme.example', lastName: 'Builder' })).toMatchObject({
      status: 'processed',
      result: { user: { email: 'bob@acme.example', lastName: 'Builder' } },
    });
    expect(
      await run('alias.set', { address: 'team@acme.example', recipients: ['bob@acme.example'] }),
    ).toMatchObject({
      status: 'processed',
      result: { alias: { address: 'team@acme.example', recipients: ['bob@acme.example'] } },
    });
    expect(await run('alias.deleted', { address: 'team@acme.example' })).toMatchObject({
      status: 'processed',
    });
    expect(await run('user.deleted', { email: 'bob@acme.example' })).toMatchObject({ status: 'processed' });
    expect(sim.state.contextByName('acme')!.users.has('bob@acme.example')).toBe(false);
    const missing = await run('user.deleted', { email: 'nobody@acme.example' });
    expect(missing).toMatchObject({ status: 'failed', error: { code: 'not_found' } });
    const archive = await run('user.created', { email: 'arc@acme.example', service: 'archive' });
    expect(archive).toMatchObject({ status: 'failed', error: { code: 'conflict' } });
  });

  it('starts a migration job from migration.requested, and the event names it', async () => {
    const accepted = await deliver(
      signDelivery(secret, {
        type: 'migration.requested',
        data: {
          users: [
            { email: 'mig1@acme.example', firstName: 'Mig', lastName: 'One', password: PASSWORD },
            { email: 'mig2@acme.example', firstName: 'Mig', lastName: 'Two', password: PASSWORD },
          ],
        },
      }),
    );
    expect(accepted.status).toBe(202);
    const done = await finished(accepted.body.eventId);
    expect(done).toMatchObject({ status: 'processed', result: { jobId: expect.any(String) } });
    expect(done.data).toEqual({ service: 'mail', users: 2 });
    const jobId = done.result!.jobId as string;
    const job = await waitFor(async () => {
      const res = await t.request<{ type: string; state: string; createdBy: string }>(
        'GET',
        `/v1/jobs/${jobId}`,
      );
      return res.body.state === 'succeeded' && res.body;
    }, 'the migration job to succeed');
    expect(job).toMatchObject({ type: 'migration', createdBy: 'webhook:hr-system' });
    const users = sim.state.contextByName('acme')!.users;
    expect(users.has('mig1@acme.example') && users.has('mig2@acme.example')).toBe(true);
    const audit = await t.request<{ data: AuditEvent[] }>(
      'GET',
      `/v1/audit-events?action=migration.requested&resourceId=${jobId}`,
      { key: tenantKey },
    );
    expect(audit.body.data).toHaveLength(1);
    expect(audit.body.data[0]).toMatchObject({ actor: { type: 'webhook', id: 'hr-system' } });
    expect(JSON.stringify(done) + JSON.stringify(audit.body)).not.toContain(PASSWORD);
  });

  it('audits every event with the actor webhook, vendor calls included, without the password', async () => {
    const audit = await t.request<{ data: AuditEvent[] }>(
      'GET',
      '/v1/audit-events?actorId=hr-system&action=user.created&limit=200',
      { key: tenantKey },
    );
    const created = audit.body.data.find(
      (e) => e.resource.id === 'ada@acme.example' && e.outcome === 'success',
    );
    expect(created).toMatchObject({
      actor: { type: 'webhook', id: 'hr-system' },
      resource: { type: 'user' },
    });
    expect(
      created!.vendorCalls.some((c) => c.method === 'POST' && c.path.startsWith('/cloudapi/v2/users')),
    ).toBe(true);
    expect(audit.body.data.some((e) => e.outcome === 'failure' && e.detail.error)).toBe(true);
    expect(JSON.stringify(audit.body)).not.toContain(PASSWORD);
    expect(JSON.stringify(audit.body)).not.toContain(secret.slice(6));
  });

  it('processes an event stored without a job (the process died before queueing it) once the sweeper runs', async () => {
    const id = '0b7e2a52-5d1c-4c57-9a3e-3f1f3a6c0f01';
    const data = { email: 'stranded@acme.example', firstName: 'Stra', lastName: 'Nded', password: PASSWORD };
    const stored = await t.app.get(WebhookEventsRepository).insertOnce({
      id,
      sourceId: 'hr-system',
      tenantId: 'acme',
      webhookId: 'msg_stranded',
      type: 'user.created',
      payloadCiphertext: t.app.get(WebhookCipher).sealPayload(data, id),
      data: { email: data.email },
      requestId: null,
    });
    expect(stored).toBe(true);
    const sweeper = t.app.get(WebhookEventSweeper);
    expect(await sweeper.sweep(60_000)).toBe(0);
    expect(await sweeper.sweep(0)).toBe(1);
    const done = await finished(id);
    expect(done).toMatchObject({ status: 'processed', result: { user: { email: 'stranded@acme.example' } } });
    expect(sim.state.contextByName('acme')!.users.get('stranded@acme.example')).toBeDefined();
    expect(await sweeper.sweep(0)).toBe(0);
  });

  it('turns 200 concurrent deliveries of 50 events (four copies each) into exactly 50 processed events and 50 users', async () => {
    const burst = await t.request<{ secret: string }>('POST', '/v1/webhook-sources', {
      key: tenantKey,
      body: { id: 'hr-burst', tenantId: 'acme' },
    });
    const emails = Array.from({ length: 50 }, (_, n) => `burst${n}@acme.example`);
    const deliveries = emails.map((email) => signDelivery(burst.body.secret, userCreated(email)));
    const before = oxUserPosts();
    const answers = await Promise.all(
      [0, 1, 2, 3].flatMap(() => deliveries.map((d) => deliver(d, 'hr-burst'))),
    );
    expect(answers.filter((a) => a.status === 202)).toHaveLength(50);
    expect(answers.filter((a) => a.status === 200)).toHaveLength(150);
    expect(new Set(answers.map((a) => a.body.eventId)).size).toBe(50);
    const processed = await waitFor(async () => {
      const page = await t.request<{ data: EventView[] }>(
        'GET',
        '/v1/webhook-events?sourceId=hr-burst&status=processed&limit=200',
        { key: tenantKey },
      );
      return page.body.data.length === 50 && page.body.data;
    }, '50 processed events');
    expect(processed).toHaveLength(50);
    const all = await t.request<{ data: EventView[] }>(
      'GET',
      '/v1/webhook-events?sourceId=hr-burst&limit=200',
      {
        key: tenantKey,
      },
    );
    expect(all.body.data).toHaveLength(50);
    const users = sim.state.contextByName('acme')!.users;
    expect(emails.filter((email) => users.has(email))).toHaveLength(50);
    expect(oxUserPosts()).toBe(before + 50);
  });

  it('rotates the secret: both verify during the overlap, afterwards only the new one', async () => {
    const first = await t.request<{ secret: string }>('POST', '/v1/webhook-sources', {
      key: tenantKey,
      body: { id: 'hr-rotating', tenantId: 'acme' },
    });
    const alias = (secretToUse: string) =>
      deliver(
        signDelivery(secretToUse, { type: 'alias.deleted', data: { address: 'gone@acme.example' } }),
        'hr-rotating',
      );
    const long = await t.request<{ secret: string; previousSecretExpiresAt: string }>(
      'POST',
      '/v1/webhook-sources/hr-rotating/rotate-secret',
      { key: tenantKey, body: { overlapSeconds: 3600 } },
    );
    expect(long.status).toBe(200);
    expect(long.body.secret).toMatch(/^whsec_/);
    expect(long.body.secret).not.toBe(first.body.secret);
    expect(Date.parse(long.body.previousSecretExpiresAt)).toBeGreaterThan(Date.now() + 3000_000);
    expect((await alias(first.body.secret)).status).toBe(202);
    expect((await alias(long.body.secret)).status).toBe(202);

    const short = await t.request<{ secret: string }>(
      'POST',
      '/v1/webhook-sources/hr-rotating/rotate-secret',
      {
        key: tenantKey,
        body: { overlapSeconds: 1 },
      },
    );
    // Only the secret just replaced overlaps; the one before it stops at once.
    expect((await alias(first.body.secret)).status).toBe(401);
    await waitFor(async () => {
      const source = await t.request<{ previousSecretExpiresAt: string | null }>(
        'GET',
        '/v1/webhook-sources/hr-rotating',
        { key: tenantKey },
      );
      return source.body.previousSecretExpiresAt === null;
    }, 'the overlap to end');
    expect((await alias(long.body.secret)).status).toBe(401);
    expect((await alias(short.body.secret)).status).toBe(202);

    const immediate = await t.request<{ secret: string; previousSecretExpiresAt: string | null }>(
      'POST',
      '/v1/webhook-sources/hr-rotating/rotate-secret',
      { key: tenantKey, body: { overlapSeconds: 0 } },
    );
    expect(immediate.body.previousSecretExpiresAt).toBeNull();
    expect((await alias(short.body.secret)).status).toBe(401);
    expect((await alias(immediate.body.secret)).status).toBe(202);
  });

  it('refuses deliveries to a deleted source', async () => {
    const doomed = await t.request<{ secret: string }>('POST', '/v1/webhook-sources', {
      key: tenantKey,
      body: { id: 'hr-doomed', tenantId: 'acme' },
    });
    const d = () =>
      signDelivery(doomed.body.secret, { type: 'alias.deleted', data: { address: 'a@acme.example' } });
    expect((await deliver(d(), 'hr-doomed')).status).toBe(202);
    expect((await t.request('DELETE', '/v1/webhook-sources/hr-doomed', { key: tenantKey })).status).toBe(204);
    expect((await deliver(d(), 'hr-doomed')).status).toBe(404);
  });

  it("keeps another tenant's key away from the source and its events", async () => {
    const someEvent = (
      await t.request<{ data: EventView[] }>('GET', '/v1/webhook-events', { key: tenantKey })
    ).body.data[0];
    expect((await t.request('GET', '/v1/webhook-sources/hr-system', { key: otherKey })).status).toBe(404);
    expect(
      (await t.request('POST', '/v1/webhook-sources/hr-system/rotate-secret', { key: otherKey })).status,
    ).toBe(404);
    expect((await t.request('DELETE', '/v1/webhook-sources/hr-system', { key: otherKey })).status).toBe(404);
    expect((await t.request('GET', `/v1/webhook-events/${someEvent.id}`, { key: otherKey })).status).toBe(
      404,
    );
    expect((await t.request('GET', '/v1/webhook-events?sourceId=hr-system', { key: otherKey })).status).toBe(
      404,
    );
    const theirs = await t.request<{ data: unknown[] }>('GET', '/v1/webhook-events', { key: otherKey });
    expect(theirs.body.data).toEqual([]);
    const sources = await t.request<{ data: unknown[] }>('GET', '/v1/webhook-sources', { key: otherKey });
    expect(sources.body.data).toEqual([]);
  });
});
