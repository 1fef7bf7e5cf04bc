import { randomBytes } from 'node:crypto';
import { DEFAULT_OX_BRAND } from '../simulators/open-xchange/open-xchange.simulator';
import { dropDatabase, testDatabaseUrl, uniqueName } from '../test/support/test-env';
import { formatResult, pool, runLoad, type LoadOptions, type LoadResult } from './support/load-generator';
import { startGateway, startProcess, stopProcess } from './support/processes';

const CONNECTIONS = 32;
const DURATION_MS = Number(process.env.BENCH_DURATION_MS ?? 12_000);
/** The two targets take turns, so a machine that slows down or speeds up mid-run affects both alike. */
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 4);
const USER = 'bench.user@bench.example';

export interface UsersGetRound {
  proxy: LoadResult;
  mailroom: LoadResult;
  throughputRatio: number;
}

export interface UsersGetReport {
  rounds: UsersGetRound[];
  /** Each target's rounds pooled. */
  proxy: LoadResult;
  mailroom: LoadResult;
  /** The median of the rounds' ratios. */
  throughputRatio: number;
  addedP99Ms: number;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

/**
 * GET /v1/tenants/{t}/users/{email} through Mailroom against the same request sent straight to
 * the simulator through a bare undici pass-through proxy: same run, same simulator, 32 connections,
 * the two measured in alternating rounds.
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
      // The load generator is one key on one tenant: inbound limits would measure themselves.
      RATE_LIMIT_PER_KEY: '0',
      RATE_LIMIT_PER_TENANT: '0',
    },
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
      // The vendor-side limits (OX default: 8 in flight, 50 calls/s) would measure the limiter, not
      // the gateway's cost per request: this connection is allowed the most the settings take.
      settings: { context: 'bench', maxConcurrency: 64, maxRequestsPerSecond: 10_000 },
    });
    // A tenant-bound key, as a portal would use: its lookup is part of what is measured.
    const { key } = await call('POST', '/v1/api-keys', {
      name: 'bench',
      tenantId: 'bench',
      scopes: ['users:read'],
    });

    const basic = `Basic ${Buffer.from(`${DEFAULT_OX_BRAND.username}:${DEFAULT_OX_BRAND.password}`).toString('base64')}`;
    const targets: Record<'proxy' | 'mailroom', Omit<LoadOptions, 'durationMs' | 'warmupMs'>> = {
      proxy: {
        label: 'bare undici proxy → simulator',
        url: proxy.match[1],
        path: `/cloudapi/v2/users/${encodeURIComponent(USER)}?name=bench`,
        headers: { authorization: basic },
        connections: CONNECTIONS,
      },
      mailroom: {
        label: 'Mailroom → simulator',
        url: gatewayUrl,
        path: `/v1/tenants/bench/users/${USER}`,
        headers: { authorization: `Bearer ${key}` },
        connections: CONNECTIONS,
      },
    };
    const rounds: UsersGetRound[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      const order = round % 2 === 0 ? (['proxy', 'mailroom'] as const) : (['mailroom', 'proxy'] as const);
      const results: Partial<Record<'proxy' | 'mailroom', LoadResult>> = {};
      for (const name of order) {
        results[name] = await runLoad({
          ...targets[name],
          durationMs: DURATION_MS / ROUNDS,
          // Both processes are fresh at first: the first round warms their JIT before measuring.
          warmupMs: round === 0 ? 5000 : 1000,
        });
      }
      const { proxy: proxyRound, mailroom: mailroomRound } = results as Record<
        'proxy' | 'mailroom',
        LoadResult
      >;
      rounds.push({
        proxy: proxyRound,
        mailroom: mailroomRound,
        throughputRatio: mailroomRound.rps / proxyRound.rps,
      });
    }
    const proxyResult = pool(
      targets.proxy.label,
      rounds.map((r) => r.proxy),
    );
    const mailroomResult = pool(
      targets.mailroom.label,
      rounds.map((r) => r.mailroom),
    );
    return {
      rounds,
      proxy: proxyResult,
      mailroom: mailroomResult,
      throughputRatio: median(rounds.map((r) => r.throughputRatio)),
      addedP99Ms: mailroomResult.p99Ms - proxyResult.p99Ms,
    };
  } finally {
    await Promise.all([stopProcess(gateway.child), stopProcess(proxy.child), stopProcess(sim.child)]);
    await dropDatabase(database);
  }
}

export function printUsersGet(report: UsersGetReport): void {
  console.log(
    `\nScenario: GET /v1/tenants/{t}/users/{email} (32 connections, ${report.rounds.length} rounds)`,
  );
  report.rounds.forEach((round, i) =>
    console.log(
      `round ${i + 1}: proxy ${round.proxy.rps.toFixed(0)} req/s, Mailroom ${round.mailroom.rps.toFixed(0)} req/s, ratio ${round.throughputRatio.toFixed(2)}`,
    ),
  );
  console.log(formatResult(report.proxy));
  console.log(formatResult(report.mailroom));
  const ratioOk = report.throughputRatio >= 0.6;
  const latencyOk = report.addedP99Ms <= 10;
  console.log(
    `throughput ratio (median of rounds) ${report.throughputRatio.toFixed(2)} (target ≥ 0.60: ${ratioOk ? 'met' : 'NOT met'}), ` +
      `added p99 ${report.addedP99Ms.toFixed(2)} ms (target ≤ 10 ms: ${latencyOk ? 'met' : 'NOT met'})`,
  );
}
