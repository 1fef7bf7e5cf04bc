import { randomBytes } from 'node:crypto';
import IORedis from 'ioredis';
import { Client } from 'pg';

/** Per-run names, so parallel runs and leftovers never collide. */
export function uniqueName(prefix: string): string {
  return `${prefix}_${process.pid}_${randomBytes(4).toString('hex')}`;
}

export const PG_ADMIN_URL = process.env.TEST_PG_ADMIN_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
export const TEST_REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

export function testDatabaseUrl(name: string): string {
  const url = new URL(PG_ADMIN_URL);
  url.pathname = `/${name}`;
  return url.toString();
}

export async function dropDatabase(name: string): Promise<void> {
  const client = new Client({ connectionString: PG_ADMIN_URL });
  await client.connect();
  try {
    await client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
  } finally {
    await client.end();
  }
}

/** The environment a Mailroom process under test runs with; overrides win. */
export function testEnv(overrides: Record<string, string> = {}): Record<string, string> {
  const database = uniqueName('mailroom_test');
  return {
    DATABASE_URL: testDatabaseUrl(database),
    REDIS_URL: TEST_REDIS_URL,
    QUEUE_PREFIX: uniqueName('mrtest'),
    ADMIN_API_KEY: `test-admin-${randomBytes(16).toString('hex')}`,
    SECRETS_KEY: randomBytes(32).toString('base64'),
    PROVIDER_ALLOW_PRIVATE_HOSTS: 'true',
    LOG_LEVEL: 'silent',
    HOST: '127.0.0.1',
    PORT: '0',
    ROLE: 'all',
    ...overrides,
  };
}

/** Deletes every Redis key of a test run's QUEUE_PREFIX, so runs leave nothing behind. */
export async function dropQueueKeys(redisUrl: string, prefix: string): Promise<void> {
  const redis = new IORedis(redisUrl, { maxRetriesPerRequest: 1 });
  try {
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 500);
      if (keys.length > 0) await redis.del(...keys);
      cursor = next;
    } while (cursor !== '0');
  } finally {
    redis.disconnect();
  }
}
