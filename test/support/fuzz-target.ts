import { seedDemo } from '../../scripts/demo-seed';
import { DEMO_VENDORS, startDemoSimulators } from '../../scripts/demo-simulators';
import type { FuzzTarget } from './openapi-fuzz';
import { startTestApp, type TestApp } from './test-app';

export interface FuzzEnvironment {
  app: TestApp;
  document: Record<string, unknown>;
  target: () => FuzzTarget;
  /** Brings the demo tenants, connections and keys back (the fuzzer may delete them). */
  reseed(): Promise<void>;
  /** `audit_write_failures_total` as /metrics reports it. */
  auditWriteFailures(): Promise<number>;
  close(): Promise<void>;
}

const KNOWN_EMAILS = [
  'john.doe@demo.example',
  'jane.roe@demo.example',
  'sales@demo.example',
  'info@demo.example',
];

/**
 * The gateway under fuzzing: the demo simulators and tenants (one per vendor, seeded through the
 * public API), its OpenAPI document, and inbound rate limits off so that thousands of requests
 * reach the routes instead of the limiter (429 is documented and tested on its own).
 */
export async function startFuzzEnvironment(overrides: Record<string, string> = {}): Promise<FuzzEnvironment> {
  const simulators = await startDemoSimulators({
    host: '127.0.0.1',
    openXchange: 0,
    hostway: 0,
    mailstore: 0,
    datamotion: 0,
    mailstoreVerifyMs: 200,
  });
  const app = await startTestApp({ RATE_LIMIT_PER_KEY: '0', RATE_LIMIT_PER_TENANT: '0', ...overrides });
  let current: FuzzTarget;
  const reseed = async () => {
    const tenants = await seedDemo({
      gatewayUrl: app.url,
      adminKey: app.adminKey,
      simulators: simulators.urls,
    });
    current = {
      url: app.url,
      adminKey: app.adminKey,
      tenantKeys: tenants.map((t) => ({ tenantId: t.id, key: t.key })),
      knownValues: [...tenants.flatMap((t) => [t.id, t.connectionId]), ...KNOWN_EMAILS],
      secrets: [
        app.adminKey,
        app.env.SECRETS_KEY,
        ...tenants.map((t) => t.key),
        DEMO_VENDORS.openXchange.brand.password,
        DEMO_VENDORS.openXchange.plugins.password,
        DEMO_VENDORS.hostway.credentials.password,
        DEMO_VENDORS.mailstore.credentials.password,
        DEMO_VENDORS.datamotion.credentials.password,
        DEMO_VENDORS.datamotion.credentials.subscriptionKey,
      ],
    };
  };
  await reseed();
  const document = (await (await fetch(`${app.url}/docs-json`)).json()) as Record<string, unknown>;
  return {
    app,
    document,
    target: () => current,
    reseed,
    async auditWriteFailures() {
      const text = await (await fetch(`${app.url}/metrics`)).text();
      const line = text.split('\n').find((l) => l.startsWith('audit_write_failures_total'));
      return line ? Number(line.split(/\s+/)[1]) : Number.NaN;
    },
    async close() {
      await app.close();
      await simulators.close();
    },
  };
}
