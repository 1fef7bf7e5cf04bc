import { createHostwaySimulator, type HostwaySimulator } from '../../simulators/hostway/hostway.simulator';
import {
  createMailStoreSimulator,
  type MailStoreSimulator,
} from '../../simulators/mailstore/mailstore.simulator';
import {
  createOpenXchangeSimulator,
  DEFAULT_OX_BRAND,
  type OpenXchangeSimulator,
} from '../../simulators/open-xchange/open-xchange.simulator';
import type { JobItemView } from '../../src/modules/jobs/jobs.dto';
import { enqueueMigration, finished, someUsers } from '../support/migration-jobs';
import { startTestApp, type TestApp } from '../support/test-app';

const DOMAIN = 'migrate.example';
const HOSTWAY = { username: 'hw-api', password: 'hw-secret' };
const MAILSTORE = { username: 'spe-admin', password: 'spe-secret' };

interface OxSnapshot {
  contexts: { name: string; users: { name: string }[] }[];
}

describe('migration jobs into every per-user vendor (simulators over HTTP)', () => {
  let t: TestApp;
  let ox: OpenXchangeSimulator;
  let hostway: HostwaySimulator;
  let mailstore: MailStoreSimulator;

  beforeAll(async () => {
    ox = createOpenXchangeSimulator({ seed: { contexts: [{ name: 'mig', id: 7 }] } });
    hostway = createHostwaySimulator({
      ...HOSTWAY,
      seed: { accounts: [{ name: 'acct-1', domains: [{ name: DOMAIN, mailboxes: [] }] }] },
    });
    mailstore = createMailStoreSimulator({
      ...MAILSTORE,
      instances: [
        {
          id: 'inst-1',
          stores: [],
          users: [{ userName: 'admin', fullName: 'Admin', privileges: ['admin'] }],
        },
      ],
    });
    const [oxUrl, hostwayUrl, mailstoreUrl] = await Promise.all([
      ox.listen(),
      hostway.listen(),
      mailstore.listen(),
    ]);
    t = await startTestApp();
    const connections = [
      [
        'tenant-ox',
        {
          provider: 'open-xchange',
          baseUrl: oxUrl,
          credentials: DEFAULT_OX_BRAND,
          settings: { context: 'mig', maxRequestsPerSecond: 500 },
        },
      ],
      [
        'tenant-hw',
        {
          provider: 'hostway',
          baseUrl: hostwayUrl,
          credentials: HOSTWAY,
          settings: { account: 'acct-1', maxRequestsPerSecond: 500 },
        },
      ],
      [
        'tenant-ms',
        {
          provider: 'mailstore',
          baseUrl: mailstoreUrl,
          credentials: MAILSTORE,
          settings: { instanceId: 'inst-1', maxConcurrency: 4, maxRequestsPerSecond: 500 },
        },
      ],
    ] as const;
    for (const [id, body] of connections) {
      expect((await t.request('POST', '/v1/tenants', { body: { id, name: id } })).status).toBe(201);
      const created = await t.request('POST', `/v1/tenants/${id}/connections`, { body });
      expect(created.status).toBe(201);
    }
  });

  afterAll(async () => {
    await t?.close();
    await Promise.all([ox?.close(), hostway?.close(), mailstore?.close()]);
  });

  const items = async (jobId: string, state?: string) =>
    (
      await t.request<{ data: JobItemView[] }>(
        'GET',
        `/v1/jobs/${jobId}/items?limit=200${state ? `&state=${state}` : ''}`,
      )
    ).body.data;

  it.each([
    ['tenant-ox', 'mail'],
    ['tenant-hw', 'mail'],
    ['tenant-ms', 'archive'],
  ] as const)('the same 200-user migration succeeds into %s', async (tenant, service) => {
    const users = someUsers(200, DOMAIN);
    const job = await enqueueMigration(t, tenant, service, users, { batchSize: 50 });
    const done = await finished(t, job.id);
    expect(done).toMatchObject({
      state: 'succeeded',
      progress: { total: 200, done: 200, succeeded: 200, failed: 0 },
      result: { codes: { created: 200 }, service },
    });
    const listed = await t.request<{ data: { email: string }[]; nextCursor: string | null }>(
      'GET',
      `/v1/tenants/${tenant}/users?service=${service}&domain=${DOMAIN}&limit=200`,
    );
    expect(listed.status).toBe(200);
    const emails = new Set(listed.body.data.map((u) => u.email.toLowerCase()));
    expect(users.every((u) => emails.has(u.email))).toBe(true);
    // Each item's audit event (a batch's are stored in one insert) keeps that user's own vendor calls.
    for (const user of [users[0], users[199]]) {
      const events = await t.request<{ data: { jobId: string; vendorCalls: unknown[] }[] }>(
        'GET',
        `/v1/audit-events?tenantId=${tenant}&action=migration.user&resourceId=${encodeURIComponent(user.email)}`,
      );
      expect(events.body.data).toHaveLength(1);
      expect(events.body.data[0].jobId).toBe(job.id);
      expect(events.body.data[0].vendorCalls.length).toBeGreaterThan(0);
    }
  });

  it('mode create reports an existing user as a conflict; upsert updates it; a dry run only reads', async () => {
    const users = someUsers(3, DOMAIN, 'again');
    const first = await finished(t, (await enqueueMigration(t, 'tenant-ox', 'mail', users)).id);
    expect(first.state).toBe('succeeded');

    ox.faults.requests.length = 0;
    const preview = await finished(
      t,
      (
        await enqueueMigration(t, 'tenant-ox', 'mail', [...users, ...someUsers(1, DOMAIN, 'fresh')], {
          dryRun: true,
          mode: 'upsert',
        })
      ).id,
    );
    expect(preview.result).toMatchObject({ codes: { would_update: 3, would_create: 1 }, dryRun: true });
    const duringPreview = [...ox.faults.requests];
    expect(duringPreview.length).toBeGreaterThanOrEqual(4);
    expect(duringPreview.filter((r) => r.method !== 'GET')).toEqual([]);
    const snapshot = ox.state.snapshot() as OxSnapshot;
    const oxUsers = snapshot.contexts.find((c) => c.name === 'mig')?.users ?? [];
    expect(oxUsers.some((u) => u.name.startsWith('fresh0'))).toBe(false);

    const again = await finished(t, (await enqueueMigration(t, 'tenant-ox', 'mail', users)).id);
    expect(again).toMatchObject({ state: 'failed', result: { codes: { conflict: 3 } } });
    const failedItems = await items(again.id, 'failed');
    expect(failedItems.map((i) => i.code)).toEqual(['conflict', 'conflict', 'conflict']);

    const upsert = await finished(
      t,
      (await enqueueMigration(t, 'tenant-ox', 'mail', users, { mode: 'upsert' })).id,
    );
    expect(upsert).toMatchObject({ state: 'succeeded', result: { codes: { updated: 3 } } });
  });
});
