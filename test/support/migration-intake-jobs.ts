import { Injectable } from '@nestjs/common';
import { SHIPPED_JOB_TYPES } from '../../src/jobs/job-catalogue';
import { defineJob, type ItemOutcome, type ItemsProcessor } from '../../src/jobs/job-definition';
import type { JobsModuleOptions } from '../../src/modules/jobs/jobs.module';

/** Stands in for the migration processor until it ships; intake specs run ROLE=api, so it never runs. */
@Injectable()
export class IntakeOnlyMigrationProcessor implements ItemsProcessor<unknown> {
  readonly kind = 'items';

  processItem(): Promise<ItemOutcome> {
    return Promise.reject(new Error('intake specs do not run migrations'));
  }
}

/** The job options intake specs boot with: the shipped `migration` type, or the stand-in while there is none. */
export function intakeJobsOptions(): JobsModuleOptions {
  if (SHIPPED_JOB_TYPES.some((d) => d.type === 'migration')) return {};
  return {
    types: [
      defineJob({
        type: 'migration',
        queue: 'migrations',
        processor: IntakeOnlyMigrationProcessor,
        concurrency: 1,
        itemConcurrency: 1,
        perConnectionLimit: 1,
        connectionKey: () => null,
        retry: { attempts: 1, backoffMs: 1000, itemAttempts: 1 },
      }),
    ],
    providers: [IntakeOnlyMigrationProcessor],
  };
}
