import { Pool } from 'undici';

export interface LoadResult {
  label: string;
  requests: number;
  errors: number;
  rps: number;
  p50Ms: number;
  p95Ms: number;
  p99Ms: number;
  /** Every request's latency, ascending, so that runs can be pooled. */
  latencies: number[];
  elapsedMs: number;
}

export interface LoadOptions {
  label: string;
  url: string;
  path: string | (() => string);
  headers?: Record<string, string>;
  connections: number;
  durationMs: number;
  warmupMs?: number;
  /** Answers other than this status count as errors. */
  expectStatus?: number;
}

export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

/** Closed-loop load: `connections` keep-alive clients each send the next request when the last answers. */
export async function runLoad(options: LoadOptions): Promise<LoadResult> {
  const pool = new Pool(options.url, { connections: options.connections, pipelining: 1 });
  const pathOf = typeof options.path === 'function' ? options.path : () => options.path as string;
  const expected = options.expectStatus ?? 200;
  const send = async (): Promise<boolean> => {
    const res = await pool.request({ method: 'GET', path: pathOf(), headers: options.headers });
    await res.body.dump();
    return res.statusCode === expected;
  };

  const warmupEnd = Date.now() + (options.warmupMs ?? 1000);
  await Promise.all(
    Array.from({ length: options.connections }, async () => {
      while (Date.now() < warmupEnd) await send();
    }),
  );

  const latencies: number[] = [];
  let errors = 0;
  const started = performance.now();
  const end = started + options.durationMs;
  await Promise.all(
    Array.from({ length: options.connections }, async () => {
      while (performance.now() < end) {
        const t0 = performance.now();
        const ok = await send().catch(() => false);
        latencies.push(performance.now() - t0);
        if (!ok) errors++;
      }
    }),
  );
  const elapsed = (performance.now() - started) / 1000;
  await pool.close();
  return summarize(options.label, latencies, errors, elapsed * 1000);
}

function summarize(label: string, latencies: number[], errors: number, elapsedMs: number): LoadResult {
  latencies.sort((a, b) => a - b);
  return {
    label,
    requests: latencies.length,
    errors,
    rps: latencies.length / (elapsedMs / 1000),
    p50Ms: percentile(latencies, 50),
    p95Ms: percentile(latencies, 95),
    p99Ms: percentile(latencies, 99),
    latencies,
    elapsedMs,
  };
}

/** Several runs of the same target as one: throughput over their summed time, percentiles of all requests. */
export function pool(label: string, runs: LoadResult[]): LoadResult {
  return summarize(
    label,
    runs.flatMap((r) => r.latencies),
    runs.reduce((sum, r) => sum + r.errors, 0),
    runs.reduce((sum, r) => sum + r.elapsedMs, 0),
  );
}

export function formatResult(r: LoadResult): string {
  return `${r.label.padEnd(34)} ${r.rps.toFixed(0).padStart(7)} req/s   p50 ${r.p50Ms.toFixed(2).padStart(7)} ms   p95 ${r.p95Ms
    .toFixed(2)
    .padStart(
      7,
    )} ms   p99 ${r.p99Ms.toFixed(2).padStart(7)} ms   (${r.requests} requests, ${r.errors} errors)`;
}
