import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import type { INestApplicationContext } from '@nestjs/common';
import { AppModule } from './app.module';
import { createHttpApp } from './common/http/http-app';
import { createLogger } from './common/logging/logger';
import { NestPinoLogger } from './common/logging/nest-pino-logger';
import { type AppConfig, loadConfig } from './config/app-config';
import { loadEnvFile } from './config/env-file';
import { runMigrations } from './database/data-source';

const SHUTDOWN_DEADLINE_MS = 10_000;

function configOrExit(): AppConfig {
  try {
    loadEnvFile();
    return loadConfig();
  } catch (error) {
    console.error(error instanceof Error ? error.message : String(error));
    process.exit(1);
  }
}

async function bootstrap(): Promise<void> {
  const config = configOrExit();
  const logger = createLogger(config.logLevel);
  const applied = await runMigrations(config.databaseUrl);
  if (applied.length) logger.info({ applied }, 'migrations applied');

  const module = AppModule.forRole(config);
  let app: INestApplicationContext;
  if (config.runsApi) {
    const http = await createHttpApp(module, logger);
    await http.listen({ port: config.port, host: config.host });
    logger.info({ role: config.role, url: await http.getUrl() }, 'mailroom listening');
    app = http;
  } else {
    app = await NestFactory.createApplicationContext(module, { logger: new NestPinoLogger(logger) });
    await app.init();
    logger.info({ role: config.role }, 'mailroom worker started');
  }

  let stopping = false;
  const shutdown = (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down: no new requests, finishing those in flight');
    setTimeout(() => {
      logger.error('shutdown deadline passed; exiting');
      process.exit(1);
    }, SHUTDOWN_DEADLINE_MS).unref();
    app
      .close()
      .then(() => process.exit(0))
      .catch((error: unknown) => {
        logger.error({ err: error }, 'error during shutdown');
        process.exit(1);
      });
  };
  process.once('SIGTERM', () => shutdown('SIGTERM'));
  process.once('SIGINT', () => shutdown('SIGINT'));
}

bootstrap().catch((error: unknown) => {
  console.error(`mailroom failed to start: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
