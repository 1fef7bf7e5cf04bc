import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { AppModule } from '../../src/app.module';
import { loadConfig } from '../../src/config/app-config';
import { testJobsOptions } from './test-jobs';

/** A ROLE=worker process with the test job types, spawned (and killed) by the job tests. */
async function main(): Promise<void> {
  const config = loadConfig(process.env);
  const app = await NestFactory.createApplicationContext(
    AppModule.forRole(config, { jobs: testJobsOptions() }),
    {
      logger: ['error'],
    },
  );
  await app.init();
  process.once('SIGTERM', () => {
    app.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  });
  process.stdout.write('worker ready\n');
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
