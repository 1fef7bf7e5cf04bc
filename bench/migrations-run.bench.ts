import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { Readable } from 'node:stream';
import { request } from 'undici';
import {
  createDataMotionSimulator,
  DEFAULT_SUBSCRIPTION_KEY,
  SECURE_MAIL_PATH,
} from '../simulators/datamotion/datamotion.simulator';
import {
  createOpenXchangeSimulator,
  DEFAULT_OX_BRAND,
} from '../simulators/open-xchange/open-xchange.simulator';
import { dropDatabase, testDatabaseUrl, uniqueName } from '../test/support/test-env';
import { startGateway, startProcess, stopProcess } from './support/processes';

const DM_USERS = Number(process.env.BENCH_DM_USERS ?? 100_000);
const DM_BATCH = 500;
const DM_CONCURRENCY = 4;
const DM_CALL_MS = 50;
const DM_USER_MS = 0.1;
const OX_USERS = Number(process.env.BENCH_OX_USERS ?? 2000);
const OX_CALL_MS = 20;
const OX_CONCURRENCY = 8;
const TARGET_RATIO = 1.25;
const TARGET_WORKER_RSS_MB = 300;

export interface RunScenario {
  label: string;
  users: number;
  vendorCalls: number;
  /** calls × latency ÷ allowed concurrency. */
  minimumSeconds: number;
  jobSeconds: number;
  ratio: number;
  state: string;
  workerPeakRssMb: number;
}

export interface MigrationsRunReport {
  dataMotion: RunScenario;
  openXchange: RunScenario;
}

interface JobView {
  id: string;
  state: string;
  startedAt: string | null;
  finishedAt: string | null;
}

function peakRssMb(pid: number): number {
  const kb = Number(/VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? NaN);
  return Math.round(kb / 1024);
}

/** DataMotion takes one password per MigrateUsers call: the upload's users share their initial one. */
function dataMotionCsv(rows: number): Readable {
  let row = 0;
  return new Readable({
    read() {
      if (row >= rows) return void this.push(null);
      let chunk = row === 0 ? 'email,firstName,lastName,password\n' : '';
      for (const end = Math.min(rows, row + 2000); row < end; row++)
        chunk += `dm${row}@bench.example,Bench,User${row},Initial-Pass-2026\n`;
      this.push(chunk);
    },
  });
}

/**
 * (a) 100,000 users from CSV into the DataMotion simulator (50 ms per call plus 0.1 ms per user,
 * batchSize 500, 4 concurrent calls) and (b) 2,000 users from JSON into the OX simulator (20 ms
 * per call, 8 concurrent calls): uploads to a ROLE=api process, the job run by a separate
 * ROLE=worker process whose peak RSS is read from /proc; job time is startedAt → finishedAt.
 */
export async function benchMigrationsRun(): Promise<MigrationsRunReport> {
  const database = uniqueName('mailroom_bench');
  const env = {
    DATABASE_URL: testDatabaseUrl(database),
    QUEUE_PREFIX: uniqueName('mrbench'),
    ADMIN_API_KEY: `bench-admin-${randomBytes(16).toString('hex')}`,
    SECRETS_KEY: randomBytes(32).toString('base64'),
    LOG_LEVEL: process.env.BENCH_LOG_LEVEL ?? 'warn',
    PROVIDER_ALLOW_PRIVATE_HOSTS: 'true',
    RATE_LIMIT_PER_KEY: '0',
    RATE_LIMIT_PER_TENANT: '0',
  };
  const dm = createDataMotionSimulator({ perCallLatencyMs: DM_CALL_MS, perUserLatencyMs: DM_USER_MS });
  const ox = createOpenXchangeSimulator({ seed: { contexts: [{ name: 'bench', id: 1 }] } });
  let oxCalls = 0;
  ox.app.addHook('onRequest', async (req) => {
    if (!req.url.startsWith('/__sim/')) oxCalls++;
  });
  const [dmOrigin, oxUrl] = await Promise.all([dm.listen(), ox.listen()]);
  ox.faults.set({ latencyMs: OX_CALL_MS });
  const api = await startGateway({ ...env, ROLE: 'api' });
  const headers = { authorization: `Bearer ${env.ADMIN_API_KEY}`, 'content-type': 'application/json' };
  const call = async <T>(method: string, path: string, body?: unknown): Promise<T> => {
    const response = await fetch(`${api.url}${path}`, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    if (response.status >= 300)
      throw new Error(`${method} ${path} answered ${response.status}: ${await response.text()}`);
    return (await response.json()) as T;
  };
  try {
    for (const [id, connection] of [
      [
        'bench-dm',
        {
          provider: 'datamotion',
          baseUrl: `${dmOrigin}${SECURE_MAIL_PATH}`,
          credentials: {
            userIdOrEmail: 'admin@securemail.example',
            password: 'admin-secret',
            subscriptionKey: DEFAULT_SUBSCRIPTION_KEY,
          },
          settings: {
            companyId: 1001,
            userTypeId: 3,
            maxConcurrency: DM_CONCURRENCY,
            maxRequestsPerSecond: 1000,
          },
        },
      ],
      [
        'bench-ox',
        {
          provider: 'open-xchange',
          baseUrl: oxUrl,
          credentials: DEFAULT_OX_BRAND,
          settings: { context: 'bench', maxConcurrency: OX_CONCURRENCY, maxRequestsPerSecond: 10_000 },
        },
      ],
    ] as const) {
      await call('POST', '/v1/tenants', { id, name: id });
      await call('POST', `/v1/tenants/${id}/connections`, connection);
    }

    const oxUsers = Array.from({ length: OX_USERS }, (_, i) => ({
      email: `ox${i}@bench.example`,
      firstName: 'Bench',
      lastName: `User${i}`,
      password: `Bench-Pass-${i}!`,
    }));
    const oxJob = await call<JobView>('POST', '/v1/tenants/bench-ox/migrations', {
      service: 'mail',
      users: oxUsers,
      options: { batchSize: 100 },
    });

    const worker = await startProcess(
      'src/main.ts',
      { ...env, ROLE: 'worker', ENV_FILE: '', PORT: '0' },
      /(?:)/,
    );
    const pid = worker.child.pid as number;
    try {
      const finished = async (id: string): Promise<JobView> => {
        for (;;) {
          const job = await call<JobView>('GET', `/v1/jobs/${id}`);
          if (['succeeded', 'failed', 'partially_failed', 'cancelled'].includes(job.state)) return job;
          await new Promise((resolve) => setTimeout(resolve, 200));
        }
      };
      // One after the other, so neither job's figure includes the other's work.
      const oxDone = await finished(oxJob.id);
      const upload = await request(
        `${api.url}/v1/tenants/bench-dm/migrations?service=secure-mail&batchSize=${DM_BATCH}`,
        {
          method: 'POST',
          headers: { authorization: headers.authorization, 'content-type': 'text/csv' },
          body: dataMotionCsv(DM_USERS),
          headersTimeout: 600_000,
          bodyTimeout: 600_000,
        },
      );
      const dmJob = (await upload.body.json()) as JobView;
      if (upload.statusCode !== 202) throw new Error(`the DataMotion upload answered ${upload.statusCode}`);
      const dmDone = await finished(dmJob.id);
      const rss = peakRssMb(pid);
      const seconds = (job: JobView) => (Date.parse(job.finishedAt!) - Date.parse(job.startedAt!)) / 1000;
      const dmCalls = dm.state.stats.migrateUsersCalls;
      const dmMinimum = (dmCalls * (DM_CALL_MS + DM_BATCH * DM_USER_MS)) / 1000 / DM_CONCURRENCY;
      const oxMinimum = (oxCalls * OX_CALL_MS) / 1000 / OX_CONCURRENCY;
      return {
        dataMotion: {
          label: `(a) ${DM_USERS} users, CSV → DataMotion, batchSize ${DM_BATCH}, ${DM_CONCURRENCY} concurrent calls`,
          users: DM_USERS,
          vendorCalls: dmCalls,
          minimumSeconds: dmMinimum,
          jobSeconds: seconds(dmDone),
          ratio: seconds(dmDone) / dmMinimum,
          state: dmDone.state,
          workerPeakRssMb: rss,
        },
        openXchange: {
          label: `(b) ${OX_USERS} users, JSON → Open-Xchange, ${OX_CONCURRENCY} concurrent calls`,
          users: OX_USERS,
          vendorCalls: oxCalls,
          minimumSeconds: oxMinimum,
          jobSeconds: seconds(oxDone),
          ratio: seconds(oxDone) / oxMinimum,
          state: oxDone.state,
          workerPeakRssMb: rss,
        },
      };
    } finally {
      await stopProcess(worker.child);
    }
  } finally {
    await stopProcess(api.child);
    await Promise.all([dm.close(), ox.close()]);
    await dropDatabase(database);
  }
}

export function printMigrationsRun(report: MigrationsRunReport): void {
  for (const s of [report.dataMotion, report.openXchange]) {
    console.log(s.label);
    console.log(
      `  ${s.state}: job ${s.jobSeconds.toFixed(2)} s, vendor-bound minimum ${s.minimumSeconds.toFixed(2)} s (${s.vendorCalls} calls), ratio ${s.ratio.toFixed(2)} (target ≤ ${TARGET_RATIO}: ${s.ratio <= TARGET_RATIO ? 'met' : 'NOT met'})`,
    );
  }
  const rss = report.dataMotion.workerPeakRssMb;
  console.log(
    `  worker peak RSS ${rss} MB (target ≤ ${TARGET_WORKER_RSS_MB} MB: ${rss <= TARGET_WORKER_RSS_MB ? 'met' : 'NOT met'})`,
  );
}
