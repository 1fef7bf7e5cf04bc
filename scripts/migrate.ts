import { loadConfig } from '../src/config/app-config';
import { loadEnvFile } from '../src/config/env-file';
import { runMigrations } from '../src/database/data-source';

/** `npm run migration:run`: applies pending migrations and exits. */
async function main(): Promise<void> {
  loadEnvFile();
  const databaseUrl = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/mailroom';
  // Only DATABASE_URL matters here; validate it the same way the service does.
  const config = loadConfig({
    ADMIN_API_KEY: 'x'.repeat(32),
    SECRETS_KEY: Buffer.alloc(32).toString('base64'),
    DATABASE_URL: databaseUrl,
  });
  const applied = await runMigrations(config.databaseUrl);
  console.log(applied.length ? `Applied: ${applied.join(', ')}` : 'No pending migrations.');
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
