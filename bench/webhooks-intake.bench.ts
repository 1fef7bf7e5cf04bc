import { randomBytes } from 'node:crypto';
import { Pool } from 'undici';
import { dropDatabase, testDatabaseUrl, uniqueName } from '../test/support/test-env';
import { signDelivery, type SignedDelivery } from '../test/support/webhook-sender';
import { percentile } from './support/load-generator';
import { startGateway, stopProcess } from './support/processes';

const EVENTS = 2000;
/** As many before the measured ones: a gateway in service runs optimised code, not the first calls' interpreter. */
const WARMUP_EVENTS = 2000;
// Senders deliver in parallel; a handful of connections per sending system.
const CONNECTIONS = 16;
const TARGET_RATE = 1000;
const TARGET_P99_MS = 50;

export interface WebhooksIntakeReport {
  accepted: number;
  refused: number;
  perSecond: number;
  p50Ms: number;
  p99Ms: number;
}

/**
 * 2,000 distinct `user.created` events, signed beforehand with the `standardwebhooks` library,
 * posted by 16 keep-alive connections to a ROLE=api gateway: each is verified and stored
 * before its 202; its job follows in a batch (processing runs on workers and is not measured here).
 */
export async function benchWebhooksIntake(): Promise<WebhooksIntakeReport> {
  const database = uniqueName('mailroom_bench');
  const adminKey = `bench-admin-${randomBytes(16).toString('hex')}`;
  const gateway = await startGateway({
    DATABASE_URL: testDatabaseUrl(database),
    QUEUE_PREFIX: uniqueName('mrbench'),
    ADMIN_API_KEY: adminKey,
    SECRETS_KEY: randomBytes(32).toString('base64'),
    ROLE: 'api',
    LOG_LEVEL: process.env.BENCH_LOG_LEVEL ?? 'info',
  });
  const pool = new Pool(gateway.url, { connections: CONNECTIONS, pipelining: 1 });
  try {
    const api = async (path: string, body: unknown) => {
      const res = await fetch(`${gateway.url}${path}`, {
        method: 'POST',
        headers: { authorization: `Bearer ${adminKey}`, 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
      if (res.status !== 201) throw new Error(`POST ${path} answered ${res.status}`);
      return (await res.json()) as { secret?: string };
    };
    await api('/v1/tenants', { id: 'bench', name: 'Bench' });
    const { secret } = await api('/v1/webhook-sources', { id: 'bench-hr', tenantId: 'bench' });
    const sign = (n: number) =>
      signDelivery(secret!, {
        type: 'user.created',
        data: {
          email: `user${n}@bench.example`,
          firstName: 'Bench',
          lastName: `User ${n}`,
          password: 'B3nch!pass',
        },
      });
    const warmup = Array.from({ length: WARMUP_EVENTS }, (_, n) => sign(EVENTS + n));
    const measured = Array.from({ length: EVENTS }, (_, n) => sign(n));

    await send(pool, warmup);
    const started = performance.now();
    const { latencies, accepted } = await send(pool, measured);
    const seconds = (performance.now() - started) / 1000;
    latencies.sort((a, b) => a - b);
    return {
      accepted,
      refused: EVENTS - accepted,
      perSecond: accepted / seconds,
      p50Ms: percentile(latencies, 50),
      p99Ms: percentile(latencies, 99),
    };
  } finally {
    await pool.close();
    await stopProcess(gateway.child);
    await dropDatabase(database);
  }
}

/** Posts every delivery once, CONNECTIONS at a time; a 202 counts as accepted. */
async function send(
  pool: Pool,
  deliveries: SignedDelivery[],
): Promise<{ latencies: number[]; accepted: number }> {
  const latencies: number[] = [];
  let accepted = 0;
  let next = 0;
  await Promise.all(
    Array.from({ length: CONNECTIONS }, async () => {
      for (let d = deliveries[next++]; d; d = deliveries[next++]) {
        const t0 = performance.now();
        const res = await pool.request({
          method: 'POST',
          path: '/v1/webhooks/bench-hr',
          headers: d.headers,
          body: d.body,
        });
        await res.body.dump();
        latencies.push(performance.now() - t0);
        if (res.statusCode === 202) accepted++;
      }
    }),
  );
  return { latencies, accepted };
}

export function printWebhooksIntake(r: WebhooksIntakeReport): void {
  console.log('\nwebhooks-intake: 2,000 signed user.created events, 16 connections, ROLE=api');
  console.log(
    `  accepted ${r.accepted} (refused ${r.refused})   ${r.perSecond.toFixed(0)} events/s   p50 ${r.p50Ms.toFixed(2)} ms   p99 ${r.p99Ms.toFixed(2)} ms`,
  );
  const rate = r.perSecond >= TARGET_RATE ? 'met' : 'MISSED';
  const p99 = r.p99Ms <= TARGET_P99_MS ? 'met' : 'MISSED';
  console.log(`  target >= ${TARGET_RATE}/s: ${rate}; p99 <= ${TARGET_P99_MS} ms: ${p99}`);
}
