import 'reflect-metadata';
import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { AppModule } from '../src/app.module';
import { buildOpenApiDocument } from '../src/common/http/openapi-document';
import { loadConfig } from '../src/config/app-config';

/**
 * `npm run openapi:export [-- <file>]`: writes the OpenAPI document (default `openapi.json`)
 * without Postgres, Redis or a listening server: Nest's preview mode reads the controllers'
 * metadata and instantiates no provider.
 */
export async function exportOpenApi(): Promise<string> {
  // Only the module graph matters; these values never reach a database or a vendor.
  const config = loadConfig({
    ADMIN_API_KEY: 'x'.repeat(32),
    SECRETS_KEY: Buffer.alloc(32).toString('base64'),
  });
  const app = await NestFactory.create<NestFastifyApplication>(
    AppModule.forRole(config),
    new FastifyAdapter(),
    {
      preview: true,
      logger: false,
      abortOnError: false,
    },
  );
  try {
    return `${JSON.stringify(buildOpenApiDocument(app), null, 2)}\n`;
  } finally {
    await app.close();
  }
}

if (require.main === module) {
  const target = resolve(process.argv[2] ?? 'openapi.json');
  exportOpenApi()
    .then((text) => {
      writeFileSync(target, text);
      console.log(`OpenAPI document written to ${target}`);
    })
    .catch((error: unknown) => {
      console.error(error instanceof Error ? error.stack : error);
      process.exit(1);
    });
}
