import { execFileSync } from 'node:child_process';
import { benchJobsApi, printJobsApi } from './jobs-api.bench';
import { benchMigrationIntake, printMigrationIntake } from './migrations-intake.bench';
import { benchMigrationsRun, printMigrationsRun } from './migrations-run.bench';
import { benchUsersGet, printUsersGet } from './users-get.bench';
import { benchWebhooksIntake, printWebhooksIntake } from './webhooks-intake.bench';

/** `npm run bench [scenario…]`: performance targets are shown here, never asserted in timed tests. */
const SCENARIOS: Record<string, () => Promise<void>> = {
  'users-get': async () => printUsersGet(await benchUsersGet()),
  'jobs-api': async () => printJobsApi(await benchJobsApi()),
  'webhooks-intake': async () => printWebhooksIntake(await benchWebhooksIntake()),
  'migrations-intake': async () => printMigrationIntake(await benchMigrationIntake()),
  'migrations-run': async () => printMigrationsRun(await benchMigrationsRun()),
};

async function main(): Promise<void> {
  const wanted = process.argv.slice(2);
  const names = wanted.length ? wanted : Object.keys(SCENARIOS);
  // The processes under test run from dist/, as in production: build what is measured.
  if (!process.env.BENCH_SKIP_BUILD) execFileSync('npm', ['run', 'build', '--silent'], { stdio: 'inherit' });
  for (const name of names) {
    const scenario = SCENARIOS[name];
    if (!scenario) throw new Error(`unknown scenario "${name}"; known: ${Object.keys(SCENARIOS).join(', ')}`);
    await scenario();
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.stack : error);
  process.exit(1);
});
