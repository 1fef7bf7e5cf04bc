import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { Readable } from 'node:stream';
import { request } from 'undici';
import { dropDatabase, testDatabaseUrl, uniqueName } from '../test/support/test-env';
import { formatResult, runLoad, type LoadResult } from './support/load-generator';
import { startGateway, stopProcess } from './support/processes';

const ROWS = Number(process.env.BENCH_MIGRATION_ROWS ?? 1_000_000);
/** One row in this many has a bad email, one in `DUPLICATE_EVERY` repeats an earlier address. */
const BAD_EVERY = 100;
const DUPLICATE_EVERY = 250;
const TARGET_ROWS_PER_SECOND = 30_000;
const TARGET_PEAK_RSS_MB = 300;
const TARGET_ITEMS_P95_MS = 20;
const DURATION_MS = Number(process.env.BENCH_DURATION_MS ?? 10_000);
const HEADER = 'email,firstName,lastName,password,externalId,quotaMb,plan,aliases\n';

export interface MigrationIntakeReport {
  rows: number;
  status: number;
  seconds: number;
  rowsPerSecond: number;
  failedItems: number;
  baselineRssMb: number;
  peakRssMb: number;
  failedItemsRead: LoadResult;
}

/** The upload as a stream, made while it is sent: a million rows never exist at once. */
function csvStream(rows: number): Readable {
  let row = 0;
  return new Readable({
    read() {
      if (row >= rows) {
        this.push(null);
        return;
      }
      let chunk = row === 0 ? HEADER : '';
      const end = Math.min(rows, row + 2000);
      for (; row < end; row++) {
        const n = row + 1;
        const email =
          n % BAD_EVERY === 0
            ? `not-an-email-${n}`
            : n % DUPLICATE_EVERY === 0
              ? `user${n - 7}@bench.example`
              : `user${n}@bench.example`;
        chunk += `${email},First${n},"Last, ${n}",Pw-${n}-Secret!,ext-${n},${1024 + (n % 100)},standard,alias${n}@bench.example\n`;
      }
      this.push(chunk);
    },
  });
}

/** Peak resident set size of a process so far (Linux VmHWM), in MB. */
function peakRssMb(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = Number(/VmHWM:\s+(\d+) kB/.exec(status)?.[1] ?? NaN);
  return Math.round(kb / 1024);
}

/**
 * (c) A 1,000,000-row CSV streamed to POST /v1/tenants/{t}/migrations of a ROLE=api gateway
 * process, timed to its 202, with the process's peak RSS; (d) then GET /v1/jobs/{id}/items?state=failed
 * on that job, measured for p95 latency.
 */
export async function benchMigrationIntake(): Promise<MigrationIntakeReport> {
  const database = uniqueName('mailroom_bench');
  const databaseUrl = testDatabaseUrl(database);
  const adminKey = `bench-admin-${randomBytes(16).toString('hex')}`;
  const gateway = await startGateway({
    DATABASE_URL: databaseUrl,
    QUEUE_PREFIX: uniqueName('mrbench'),
    ADMIN_API_KEY: adminKey,
    SECRETS_KEY: randomBytes(32).toString('base64'),
    ROLE: 'api',
    LOG_LEVEL: process.env.BENCH_LOG_LEVEL ?? 'info',
    PROVIDER_ALLOW_PRIVATE_HOSTS: 'true',
    RATE_LIMIT_PER_KEY: '0',
    RATE_LIMIT_PER_TENANT: '0',
  });
  const pid = gateway.child.pid as number;
  const headers = { authorization: `Bearer ${adminKey}`, 'content-type': 'application/json' };
  try {
    const post = async (path: string, body: unknown) => {
      const response = await fetch(`${gateway.url}${path}`, {
        method: 'POST',
        headers,
        body: JSON.stringify(body),
      });
      if (response.status !== 201)
        throw new Error(`POST ${path} answered ${response.status}: ${await response.text()}`);
    };
    await post('/v1/tenants', { id: 'bench', name: 'Bench' });
    // Intake makes no vendor call: the connection only has to exist.
    await post('/v1/tenants/bench/connections', {
      provider: 'hostway',
      baseUrl: 'http://127.0.0.1:9',
      credentials: { username: 'bench', password: 'bench' },
      settings: { account: 'bench' },
    });
    const baselineRssMb = peakRssMb(pid);

    const started = performance.now();
    const upload = await request(`${gateway.url}/v1/tenants/bench/migrations?service=mail&batchSize=500`, {
      method: 'POST',
      headers: { authorization: `Bearer ${adminKey}`, 'content-type': 'text/csv' },
      body: csvStream(ROWS),
      headersTimeout: 600_000,
      bodyTimeout: 600_000,
    });
    const job = (await upload.body.json()) as { id: string; progress: { failed: number } };
    const seconds = (performance.now() - started) / 1000;
    const peak = peakRssMb(pid);
    if (upload.statusCode !== 202)
      throw new Error(`the upload answered ${upload.statusCode}: ${JSON.stringify(job)}`);

    const failedItemsRead = await runLoad({
      label: 'GET /v1/jobs/{id}/items?state=failed',
      url: gateway.url,
      path: `/v1/jobs/${job.id}/items?state=failed`,
      headers: { authorization: `Bearer ${adminKey}` },
      connections: 4,
      durationMs: DURATION_MS,
      warmupMs: 2000,
    });
    return {
      rows: ROWS,
      status: upload.statusCode,
      seconds,
      rowsPerSecond: ROWS / seconds,
      failedItems: job.progress.failed,
      baselineRssMb,
      peakRssMb: peak,
      failedItemsRead,
    };
  } finally {
    await stopProcess(gateway.child);
    await dropDatabase(database);
  }
}

export function printMigrationIntake(report: MigrationIntakeReport): void {
  const rate = Math.round(report.rowsPerSecond);
  const rateMet = report.status === 202 && rate >= TARGET_ROWS_PER_SECOND;
  const rssMet = report.peakRssMb <= TARGET_PEAK_RSS_MB;
  console.log(`\nScenario: migration intake, ${report.rows} CSV rows streamed to a ROLE=api gateway`);
  console.log(
    `upload: ${report.status} after ${report.seconds.toFixed(1)} s = ${rate} rows/s (${report.failedItems} failed items)` +
      `   target >= ${TARGET_ROWS_PER_SECOND} rows/s: ${rateMet ? 'met' : 'NOT met'}`,
  );
  console.log(
    `gateway peak RSS: ${report.peakRssMb} MB (${report.baselineRssMb} MB before the upload)` +
      `   target <= ${TARGET_PEAK_RSS_MB} MB: ${rssMet ? 'met' : 'NOT met'}`,
  );
  const read = report.failedItemsRead;
  const readMet = read.p95Ms <= TARGET_ITEMS_P95_MS && read.errors === 0;
  console.log(
    `${formatResult(read)}   target p95 <= ${TARGET_ITEMS_P95_MS} ms: ${readMet ? 'met' : 'NOT met'}`,
  );
}
