import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';
import { EnvSchema } from './env.schema';

/** Typed, validated configuration; built once at boot from the environment. */
export class AppConfig {
  readonly port: number;
  readonly host: string;
  readonly databaseUrl: string;
  readonly redisUrl: string;
  readonly queuePrefix: string;
  readonly adminApiKey: string;
  readonly secretsKey: Buffer;
  readonly role: 'all' | 'api' | 'worker';
  readonly allowPrivateHosts: boolean;
  readonly logLevel: string;
  readonly rateLimitPerKey: number;
  readonly rateLimitPerTenant: number;
  readonly rateLimitWindowSeconds: number;
  readonly corsOrigins: readonly string[];
  readonly migrationCsvLimits: { maxRows: number; maxBytes: number };

  constructor(env: EnvSchema) {
    this.port = env.PORT;
    this.host = env.HOST;
    this.databaseUrl = env.DATABASE_URL;
    this.redisUrl = env.REDIS_URL;
    this.queuePrefix = env.QUEUE_PREFIX;
    this.adminApiKey = env.ADMIN_API_KEY;
    this.secretsKey = Buffer.from(env.SECRETS_KEY, 'base64');
    this.role = env.ROLE;
    this.allowPrivateHosts = env.PROVIDER_ALLOW_PRIVATE_HOSTS;
    this.logLevel = env.LOG_LEVEL;
    this.rateLimitPerKey = env.RATE_LIMIT_PER_KEY;
    this.rateLimitPerTenant = env.RATE_LIMIT_PER_TENANT;
    this.rateLimitWindowSeconds = env.RATE_LIMIT_WINDOW_SECONDS;
    this.corsOrigins = env.CORS_ORIGINS.split(',')
      .map((origin) => origin.trim())
      .filter((origin) => origin !== '');
    this.migrationCsvLimits = { maxRows: env.MIGRATION_CSV_MAX_ROWS, maxBytes: env.MIGRATION_CSV_MAX_BYTES };
  }

  get runsApi(): boolean {
    return this.role !== 'worker';
  }

  get runsWorkers(): boolean {
    return this.role !== 'api';
  }
}

export class ConfigError extends Error {}

const KNOWN = Object.keys(new EnvSchema());

/** Validates the environment; the error message names every bad variable (never its value). */
export function loadConfig(source: NodeJS.ProcessEnv = process.env): AppConfig {
  const raw: Record<string, string> = {};
  for (const name of [...KNOWN, 'ADMIN_API_KEY', 'SECRETS_KEY']) {
    const value = source[name];
    if (value !== undefined && value !== '') raw[name] = value;
  }
  const env = plainToInstance(EnvSchema, raw, { exposeDefaultValues: true });
  const errors = validateSync(env, { forbidUnknownValues: false });
  if (errors.length > 0) {
    const lines = errors.map((e) => {
      const missing = raw[e.property] === undefined;
      return missing
        ? `${e.property} is required but not set`
        : Object.values(e.constraints ?? {}).join('; ');
    });
    throw new ConfigError(`Invalid configuration:\n  - ${lines.join('\n  - ')}`);
  }
  return new AppConfig(env);
}
