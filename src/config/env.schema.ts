import { Transform } from 'class-transformer';
import { IsBoolean, IsIn, IsInt, IsNotEmpty, IsString, Matches, Max, Min, Validate } from 'class-validator';
import type { ValidationArguments, ValidatorConstraintInterface } from 'class-validator';
import { ValidatorConstraint } from 'class-validator';

@ValidatorConstraint({ name: 'base64Key32' })
class Base64Key32 implements ValidatorConstraintInterface {
  validate(value: unknown): boolean {
    if (typeof value !== 'string' || !/^[A-Za-z0-9+/]+={0,2}$/.test(value)) return false;
    return Buffer.from(value, 'base64').length === 32;
  }
  defaultMessage(args: ValidationArguments): string {
    return `${args.property} must be 32 bytes encoded as base64 (e.g. \`openssl rand -base64 32\`)`;
  }
}

const toBoolean = ({ value }: { value: unknown }): unknown =>
  value === 'true' ? true : value === 'false' ? false : value;

/** Every environment variable of API.md, validated at boot. */
export class EnvSchema {
  /** Port the HTTP API listens on. */
  @Transform(({ value }) => (value === undefined ? 3000 : Number(value)))
  @IsInt()
  @Min(0)
  @Max(65535)
  PORT = 3000;

  /** Address the HTTP API binds to. */
  @IsString()
  @IsNotEmpty()
  HOST = '127.0.0.1';

  /** Postgres connection string; the database is created if missing. */
  @Matches(/^postgres(ql)?:\/\/.+\/[^/?]+/, {
    message: 'DATABASE_URL must be a postgres:// URL naming a database',
  })
  DATABASE_URL = 'postgres://postgres@127.0.0.1:5432/mailroom';

  /** Redis connection string for BullMQ. */
  @Matches(/^rediss?:\/\/.+/, { message: 'REDIS_URL must be a redis:// or rediss:// URL' })
  REDIS_URL = 'redis://127.0.0.1:6379';

  /** BullMQ key prefix; isolates deployments and test runs. */
  @Matches(/^[A-Za-z0-9_.:-]{1,64}$/, { message: 'QUEUE_PREFIX must be 1-64 of A-Z a-z 0-9 _ . : -' })
  QUEUE_PREFIX = 'mailroom';

  /** Bootstrap key with every scope on every tenant. */
  @IsString()
  @Matches(/^\S{24,256}$/, { message: 'ADMIN_API_KEY must be 24-256 non-space characters' })
  ADMIN_API_KEY!: string;

  /** AES-256-GCM key (32 bytes, base64) for provider credentials at rest. */
  @IsString()
  @Validate(Base64Key32)
  SECRETS_KEY!: string;

  /** Which half of the service this process runs. */
  @IsIn(['all', 'api', 'worker'], { message: 'ROLE must be one of all, api, worker' })
  ROLE: 'all' | 'api' | 'worker' = 'all';

  /** Lets connections point at loopback/private addresses (dev, tests). */
  @Transform(toBoolean)
  @IsBoolean({ message: 'PROVIDER_ALLOW_PRIVATE_HOSTS must be true or false' })
  PROVIDER_ALLOW_PRIVATE_HOSTS = false;

  /** Most data rows one CSV migration upload may hold (413 past it). */
  @Transform(({ value }) => (value === undefined ? 1_000_000 : Number(value)))
  @IsInt({ message: 'MIGRATION_CSV_MAX_ROWS must be a whole number' })
  @Min(1)
  @Max(1_000_000)
  MIGRATION_CSV_MAX_ROWS = 1_000_000;

  /** Most bytes one CSV migration upload may hold (413 past it). */
  @Transform(({ value }) => (value === undefined ? 268_435_456 : Number(value)))
  @IsInt({ message: 'MIGRATION_CSV_MAX_BYTES must be a whole number' })
  @Min(1024)
  @Max(1_073_741_824)
  MIGRATION_CSV_MAX_BYTES = 268_435_456;

  /** pino log level. */
  @IsIn(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'], {
    message: 'LOG_LEVEL must be one of fatal, error, warn, info, debug, trace, silent',
  })
  LOG_LEVEL = 'info';

  /** Requests one API key may make per window, across all API processes; 0 turns the limit off. */
  @Transform(({ value }) => (value === undefined ? 6000 : Number(value)))
  @IsInt({ message: 'RATE_LIMIT_PER_KEY must be a whole number (0 turns it off)' })
  @Min(0, { message: 'RATE_LIMIT_PER_KEY must be a whole number (0 turns it off)' })
  RATE_LIMIT_PER_KEY = 6000;

  /** Requests made on one tenant per window, by all its keys together; 0 turns the limit off. */
  @Transform(({ value }) => (value === undefined ? 12000 : Number(value)))
  @IsInt({ message: 'RATE_LIMIT_PER_TENANT must be a whole number (0 turns it off)' })
  @Min(0, { message: 'RATE_LIMIT_PER_TENANT must be a whole number (0 turns it off)' })
  RATE_LIMIT_PER_TENANT = 12000;

  /** Length of the rate-limit window in seconds. */
  @Transform(({ value }) => (value === undefined ? 60 : Number(value)))
  @IsInt({ message: 'RATE_LIMIT_WINDOW_SECONDS must be a whole number of seconds from 1 to 86400' })
  @Min(1, { message: 'RATE_LIMIT_WINDOW_SECONDS must be a whole number of seconds from 1 to 86400' })
  @Max(86400, { message: 'RATE_LIMIT_WINDOW_SECONDS must be a whole number of seconds from 1 to 86400' })
  RATE_LIMIT_WINDOW_SECONDS = 60;

  /** Browser origins allowed to call the API (CORS), comma-separated; empty allows none. */
  @Matches(
    /^(\s*https?:\/\/[A-Za-z0-9.-]+(:\d{1,5})?\s*)(,\s*https?:\/\/[A-Za-z0-9.-]+(:\d{1,5})?\s*)*$|^$/,
    {
      message:
        'CORS_ORIGINS must be a comma-separated list of origins such as https://portal.example.com (no path)',
    },
  )
  CORS_ORIGINS = '';
}
