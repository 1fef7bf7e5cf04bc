import { curlGuide } from '../../scripts/demo-guide';
import { seedDemo, type SeededTenant } from '../../scripts/demo-seed';
import { startDemoSimulators, type RunningDemoSimulators } from '../../scripts/demo-simulators';
import { startTestApp, type TestApp } from '../support/test-app';

const ANY_FREE_PORTS = {
  host: '127.0.0.1',
  openXchange: 0,
  hostway: 0,
  mailstore: 0,
  datamotion: 0,
  mailstoreVerifyMs: 1_000,
};

interface ConnectionList {
  data: Array<{ id: string; provider: string; baseUrl: string; services: string[] }>;
}

describe('demo seed (npm run demo, compose seed) against the real gateway', () => {
  let app: TestApp;
  let simulators: RunningDemoSimulators;

  beforeAll(async () => {
    app = await startTestApp();
    simulators = await startDemoSimulators(ANY_FREE_PORTS);
  });

  afterAll(async () => {
    await simulators?.close();
    await app?.close();
  });

  const seed = (): Promise<SeededTenant[]> =>
    seedDemo({ gatewayUrl: app.url, adminKey: app.adminKey, simulators: simulators.urls });

  it('creates one tenant per vendor whose connection reaches its simulator, with a tenant-bound key', async () => {
    const tenants = await seed();

    expect(tenants.map((t) => [t.id, t.provider, t.service])).toEqual([
      ['demo', 'open-xchange', 'mail'],
      ['demo-hostway', 'hostway', 'mail'],
      ['demo-archive', 'mailstore', 'archive'],
      ['demo-securemail', 'datamotion', 'secure-mail'],
    ]);
    for (const tenant of tenants) {
      expect(tenant.check).toEqual(expect.objectContaining({ ok: true }));
      expect((await app.request('GET', `/v1/tenants/${tenant.id}`, { key: tenant.key })).status).toBe(200);
    }
    const demoKey = tenants[0].key;
    expect((await app.request('GET', '/v1/tenants/demo-hostway', { key: demoKey })).status).toBe(404);
    expect(curlGuide('http://localhost:3000', app.adminKey, tenants)).toContain(
      `export DEMO_KEY='${demoKey}'`,
    );
  });

  it('runs again without errors or duplicates, revoking the previous demo keys', async () => {
    const first = await seed();
    const second = await seed();

    for (const [index, tenant] of second.entries()) {
      expect(tenant.connectionId).toBe(first[index].connectionId);
      expect((await app.request('GET', `/v1/tenants/${tenant.id}`, { key: first[index].key })).status).toBe(
        401,
      );
      expect((await app.request('GET', `/v1/tenants/${tenant.id}`, { key: tenant.key })).status).toBe(200);
      const connections = await app.request<ConnectionList>('GET', `/v1/tenants/${tenant.id}/connections`);
      expect(connections.body.data).toHaveLength(1);
    }
  });

  it('points existing connections at simulators that moved to other ports', async () => {
    await seed();
    await simulators.close();
    simulators = await startDemoSimulators(ANY_FREE_PORTS);

    const tenants = await seed();

    for (const tenant of tenants) {
      expect(tenant.check.ok).toBe(true);
      const connections = await app.request<ConnectionList>('GET', `/v1/tenants/${tenant.id}/connections`);
      // DataMotion's base sits below the simulator's origin (…/SecureMail-Sandbox).
      const origin = new URL(connections.body.data[0].baseUrl).origin;
      expect(Object.values(simulators.urls)).toContain(origin);
    }
  });
});
