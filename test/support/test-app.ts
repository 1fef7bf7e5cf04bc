import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { DestinationStream } from 'pino';
import { AppModule } from '../../src/app.module';
import { createHttpApp, type HttpAppOptions } from '../../src/common/http/http-app';
import { createLogger } from '../../src/common/logging/logger';
import { type AppConfig, loadConfig } from '../../src/config/app-config';
import { runMigrations } from '../../src/database/data-source';
import { dropDatabase, dropQueueKeys, testEnv } from './test-env';

export interface ApiResponse<T = Record<string, unknown>> {
  status: number;
  headers: Headers;
  body: T;
  text: string;
}

export interface RequestOptions {
  /** API key to send; defaults to the admin key, `null` sends none. */
  key?: string | null;
  body?: unknown;
  /** Sent as-is instead of JSON-encoding `body`. */
  rawBody?: string;
  headers?: Record<string, string>;
}

export interface TestApp {
  app: NestFastifyApplication;
  config: AppConfig;
  env: Record<string, string>;
  url: string;
  adminKey: string;
  request<T = Record<string, unknown>>(
    method: string,
    path: string,
    options?: RequestOptions,
  ): Promise<ApiResponse<T>>;
  close(): Promise<void>;
}

/** Boots the real gateway (own database, own QUEUE_PREFIX) on a random port. */
export async function startTestApp(
  overrides: Record<string, string> = {},
  logDestination?: DestinationStream,
  moduleOptions: Parameters<typeof AppModule.forRole>[1] = {},
  httpOptions: HttpAppOptions = {},
): Promise<TestApp> {
  const env = testEnv(overrides);
  const config = loadConfig(env);
  await runMigrations(config.databaseUrl);
  const app = await createHttpApp(
    AppModule.forRole(config, moduleOptions),
    createLogger(config.logLevel, logDestination),
    httpOptions,
  );
  await app.listen({ port: 0, host: '127.0.0.1' });
  const url = (await app.getUrl()).replace('[::1]', '127.0.0.1');
  const databaseName = new URL(config.databaseUrl).pathname.slice(1);

  return {
    app,
    config,
    env,
    url,
    adminKey: config.adminApiKey,
    async request<T>(method: string, path: string, options: RequestOptions = {}): Promise<ApiResponse<T>> {
      const key = options.key === undefined ? config.adminApiKey : options.key;
      const headers: Record<string, string> = { ...(options.headers ?? {}) };
      if (key) headers.authorization = `Bearer ${key}`;
      let body: string | undefined = options.rawBody;
      if (body === undefined && options.body !== undefined) {
        body = JSON.stringify(options.body);
        headers['content-type'] = headers['content-type'] ?? 'application/json';
      }
      const response = await fetch(`${url}${path}`, { method, headers, body });
      const text = await response.text();
      let parsed: unknown = text;
      try {
        parsed = text ? JSON.parse(text) : undefined;
      } catch {
        parsed = text;
      }
      return { status: response.status, headers: response.headers, body: parsed as T, text };
    },
    async close() {
      await app.close();
      await dropDatabase(databaseName);
      await dropQueueKeys(config.redisUrl, config.queuePrefix);
    },
  };
}
