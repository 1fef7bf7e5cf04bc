import { parseArgs } from 'node:util';
import { startFuzzEnvironment } from '../test/support/fuzz-target';
import { formatReport, runFuzz, violationCount } from '../test/support/openapi-fuzz';

/**
 * `npm run fuzz -- [--count N] [--seed S] [--concurrency C]`: boots the gateway with the demo
 * simulators and tenants in this process, sends N OpenAPI-driven hostile requests (seed S, random
 * when omitted, printed first) and reports 5xx, non-problem 4xx and undocumented statuses, each
 * failure with its request and the seed, and `audit_write_failures_total` at the end. Exits 1 on
 * any violation.
 */
async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      count: { type: 'string', default: '2000' },
      seed: { type: 'string' },
      concurrency: { type: 'string', default: '4' },
    },
  });
  const count = Number(values.count);
  const seed = values.seed === undefined ? Math.floor(Math.random() * 2 ** 31) : Number(values.seed);
  const concurrency = Number(values.concurrency);
  if (![count, seed, concurrency].every((n) => Number.isInteger(n) && n >= 0) || concurrency < 1)
    throw new Error('--count, --seed and --concurrency must be whole numbers (concurrency at least 1)');
  console.log(`fuzz: seed ${seed}, ${count} requests, concurrency ${concurrency}`);

  const env = await startFuzzEnvironment();
  const started = Date.now();
  try {
    const report = await runFuzz({
      document: env.document,
      target: env.target,
      count,
      seed,
      concurrency,
      checkpoint: { every: 1_000, run: env.reseed },
      onProgress: (sent) => {
        if (sent % 1_000 === 0 || sent === count)
          console.log(`fuzz: ${sent}/${count} (${Math.round((Date.now() - started) / 1000)} s)`);
      },
    });
    const auditFailures = await env.auditWriteFailures();
    console.log(formatReport(report));
    console.log(`audit_write_failures_total: ${auditFailures}`);
    console.log(`fuzz: seed ${seed} done in ${Math.round((Date.now() - started) / 1000)} s`);
    process.exitCode = violationCount(report) > 0 || auditFailures !== 0 ? 1 : 0;
  } finally {
    await env.close();
  }
}

main().catch((error: unknown) => {
  console.error(`fuzz failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
  process.exit(1);
});
