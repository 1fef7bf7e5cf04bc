import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { dropDatabase, testDatabaseUrl, uniqueName } from '../test/support/test-env';
import { formatResult, runLoad, type LoadResult } from './support/load-generator';
import { startGateway, stopProcess } from './support/processes';

const FINISHED_JOBS = 10_000;
const RUNNING_JOBS = 5;
// A dashboard polls with a handful of connections; the target is per-request latency, not saturation.
const CONNECTIONS = 4;
const DURATION_MS = Number(process.env.BENCH_DURATION_MS ?? 10_000);
const TARGET_P95_MS = 20;

export interface JobsApiReport {
  listRunning: LoadResult;
  getOne: LoadResult;
}

/**
 * The dashboard reads with 10,000 finished jobs in the table: GET /v1/jobs?state=running and
 * GET /v1/jobs/{id} against a ROLE=api gateway process, measured for p95 latency.
 */
export async function benchJobsApi(): Promise<JobsApiReport> {
  const database = uniqueName('mailroom_bench');
  const databaseUrl = testDatabaseUrl(database);
  const adminKey = `bench-admin-${randomBytes(16).toString('hex')}`;
  const gateway = await startGateway({
    DATABASE_URL: databaseUrl,
    QUEUE_PREFIX: uniqueName('mrbench'),
    ADMIN_API_KEY: adminKey,
    SECRETS_KEY: randomBytes(32).toString('base64'),
    ROLE: 'api',
    LOG_LEVEL: 'info',
    // The load generator is one key on one tenant: inbound limits would measure themselves.
    RATE_LIMIT_PER_KEY: '0',
    RATE_LIMIT_PER_TENANT: '0',
  });
  const gatewayUrl = gateway.url;
  const db = new Client({ connectionString: databaseUrl });
  await db.connect();
  try {
    const tenant = await fetch(`${gatewayUrl}/v1/tenants`, {
      method: 'POST',
      headers: { authorization: `Bearer ${adminKey}`, 'content-type': 'application/json' },
      body: JSON.stringify({ id: 'bench', name: 'Bench' }),
    });
    if (tenant.status !== 201) throw new Error(`creating the tenant answered ${tenant.status}`);
    // Seeded in SQL: the scenario measures reads, and 10,000 real runs would take minutes.
    await db.query(
      `INSERT INTO jobs (id, type, tenant_id, state, total, done, succeeded, failed, created_by, created_at, started_at, finished_at, result)
       SELECT gen_random_uuid(), CASE WHEN n % 3 = 0 THEN 'migration' ELSE 'archive.verify-store' END, 'bench',
              CASE WHEN n % 10 = 0 THEN 'partially_failed' ELSE 'succeeded' END, 100, 100,
              CASE WHEN n % 10 = 0 THEN 90 ELSE 100 END, CASE WHEN n % 10 = 0 THEN 10 ELSE 0 END, 'bench',
              now() - make_interval(secs => n), now() - make_interval(secs => n), now() - make_interval(secs => n - 1),
              '{"processed": 100}'
       FROM generate_series(1, $1) AS n`,
      [FINISHED_JOBS],
    );
    await db.query(
      `INSERT INTO jobs (id, type, tenant_id, state, total, done, succeeded, failed, created_by, started_at)
       SELECT gen_random_uuid(), 'migration', 'bench', 'running', 1000, 10 * n, 10 * n, 0, 'bench', now()
       FROM generate_series(1, $1) AS n`,
      [RUNNING_JOBS],
    );
    await db.query('ANALYZE jobs');
    const { rows } = await db.query<{ id: string }>(
      `SELECT id FROM jobs WHERE state <> 'running' ORDER BY random() LIMIT 500`,
    );
    const ids = rows.map((r) => r.id);
    let next = 0;
    const headers = { authorization: `Bearer ${adminKey}` };
    const listRunning = await runLoad({
      label: 'GET /v1/jobs?state=running',
      url: gatewayUrl,
      path: '/v1/jobs?state=running',
      headers,
      connections: CONNECTIONS,
      durationMs: DURATION_MS,
      warmupMs: 2000,
    });
    const getOne = await runLoad({
      label: 'GET /v1/jobs/{id}',
      url: gatewayUrl,
      path: () => `/v1/jobs/${ids[next++ % ids.length]}`,
      headers,
      connections: CONNECTIONS,
      durationMs: DURATION_MS,
      warmupMs: 2000,
    });
    return { listRunning, getOne };
  } finally {
    await db.end();
    await stopProcess(gateway.child);
    await dropDatabase(database);
  }
}

export function printJobsApi(report: JobsApiReport): void {
  console.log(`\nScenario: jobs API with ${FINISHED_JOBS} finished jobs (${CONNECTIONS} connections)`);
  for (const result of [report.listRunning, report.getOne]) {
    const met = result.p95Ms < TARGET_P95_MS && result.errors === 0;
    console.log(`${formatResult(result)}   target p95 < ${TARGET_P95_MS} ms: ${met ? 'met' : 'NOT met'}`);
  }
}
