import { randomBytes } from 'node:crypto';
import { DEFAULT_OX_BRAND } from '../simulators/open-xchange/open-xchange.simulator';
import { dropDatabase, testDatabaseUrl, uniqueName } from '../test/support/test-env';
import { formatResult, runLoad, type LoadResult } from './support/load-generator';
import { startGateway, startProcess, stopProcess } from './support/processes';

const CONNECTIONS = 32;
const DURATION_MS = Number(process.env.BENCH_DURATION_MS ?? 10_000);
const USER = 'bench.user@bench.example';

export interface UsersGetReport {
  proxy: LoadResult;
  mailroom: LoadResult;
  throughputRatio: number;
  addedP99Ms: number;
}

/**
 * GET /v1/tenants/{t}/users/{email} through Mailroom against the same request sent straight to
 * the simulator through a bare undici pass-through proxy: same run, same simulator, 32 connections.
 */
export async function benchUsersGet(): Promise<UsersGetReport> {
  const database = uniqueName('mailroom_bench');
  const adminKey = `bench-admin-${randomBytes(16).toString('hex')}`;
  const sim = await startProcess('bench/support/ox-simulator.main.ts', {}, /SIMULATOR (\S+)/);
  const simUrl = sim.match[1];
  const proxy = await startProcess('bench/support/bare-proxy.main.ts', { TARGET_URL: simUrl }, /PROXY (\S+)/);
  const gateway = await startGateway(
    {
      DATABASE_URL: testDatabaseUrl(database),
      QUEUE_PREFIX: uniqueName('mrbench'),
      ADMIN_API_KEY: adminKey,
      SECRETS_KEY: randomBytes(32).toString('base64'),
      PROVIDER_ALLOW_PRIVATE_HOSTS: 'true',
      ROLE: 'api',
      LOG_LEVEL: process.env.BENCH_LOG_LEVEL ?? 'info',
    },
    // BENCH_PROFILE_DIR writes a CPU profile of the gateway, to see where its time goes.
    process.env.BENCH_PROFILE_DIR ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_PROFILE_DIR}`] : [],
  );
  const gatewayUrl = gateway.url;
  try {
    const call = async (method: string, path: string, body: unknown, key = adminKey) => {
      const res = await fetch(`${gatewayUrl}${path}`, {
        method,
        headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
      if (res.status >= 300) throw new Error(`${method} ${path} → ${res.status} ${await res.text()}`);
      return (await res.json()) as Record<string, string>;
    };
    await call('POST', '/v1/tenants', { id: 'bench', name: 'Bench' });
    await call('POST', '/v1/tenants/bench/connections', {
      provider: 'open-xchange',
      baseUrl: simUrl,
      credentials: DEFAULT_OX_BRAND,
      settings: { context: 'bench' },
    });
    // A tenant-bound key, as a portal would use: its lookup is part of what is measured.
    const { key } = await call('POST', '/v1/api-keys', {
      name: 'bench',
      tenantId: 'bench',
      scopes: ['users:read'],
    });

    const basic = `Basic ${Buffer.from(`${DEFAULT_OX_BRAND.username}:${DEFAULT_OX_BRAND.password}`).toString('base64')}`;
    const proxyResult = await runLoad({
      label: 'bare undici proxy → simulator',
      url: proxy.match[1],
      path: `/cloudapi/v2/users/${encodeURIComponent(USER)}?name=bench`,
      headers: { authorization: basic },
      connections: CONNECTIONS,
      durationMs: DURATION_MS,
      warmupMs: 2000,
    });
    const mailroomResult = await runLoad({
      label: 'Mailroom → simulator',
      url: gatewayUrl,
      path: `/v1/tenants/bench/users/${USER}`,
      headers: { authorization: `Bearer ${key}` },
      connections: CONNECTIONS,
      durationMs: DURATION_MS,
      warmupMs: 2000,
    });
    return {
      proxy: proxyResult,
      mailroom: mailroomResult,
      throughputRatio: mailroomResult.rps / proxyResult.rps,
      addedP99Ms: mailroomResult.p99Ms - proxyResult.p99Ms,
    };
  } finally {
    await Promise.all([stopProcess(gateway.child), stopProcess(proxy.child), stopProcess(sim.child)]);
    await dropDatabase(database);
  }
}

export function printUsersGet(report: UsersGetReport): void {
  console.log('\nScenario: GET /v1/tenants/{t}/users/{email} (32 connections)');
  console.log(formatResult(report.proxy));
  console.log(formatResult(report.mailroom));
  const ratioOk = report.throughputRatio >= 0.6;
  const latencyOk = report.addedP99Ms <= 10;
  console.log(
    `throughput ratio ${report.throughputRatio.toFixed(2)} (target ≥ 0.60: ${ratioOk ? 'met' : 'NOT met'}), ` +
      `added p99 ${report.addedP99Ms.toFixed(2)} ms (target ≤ 10 ms: ${latencyOk ? 'met' : 'NOT met'})`,
  );
}
