import { type DynamicModule, Global, Module, type Provider } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import { AppConfig } from '../../config/app-config';
import type { JobDefinition } from '../../jobs/job-definition';
import { JOB_DEFINITIONS, JobCatalogue, SHIPPED_JOB_TYPES } from '../../jobs/job-catalogue';
import { JobDispatcher } from '../../jobs/job-dispatcher';
import { JobMetrics } from '../../jobs/job-metrics';
import {
  DEFAULT_RUNNER_SETTINGS,
  JobRunner,
  RUNNER_SETTINGS,
  type RunnerSettings,
} from '../../jobs/job-runner';
import { LeaseLimiter } from '../../jobs/lease-limiter';
import { JobEventsService } from './job-events.service';
import { JobsController } from './jobs.controller';
import { JobsRepository } from './jobs.repository';
import { JobsService } from './jobs.service';

/** Extra job types and runner timings; tests use them, production boots with none. */
export interface JobsModuleOptions {
  types?: JobDefinition[];
  /** Providers the extra types need (their processors). */
  providers?: Provider[];
  runner?: Partial<RunnerSettings>;
}

/**
 * Job records, the catalogue and the jobs API in every role; the runner only where workers
 * run (ROLE=worker|all). Global, so archive and migrations can enqueue through JobsService.
 */
@Global()
@Module({})
export class JobsModule {
  static forRoot(config: AppConfig, options: JobsModuleOptions = {}): DynamicModule {
    const definitions = [...SHIPPED_JOB_TYPES, ...(options.types ?? [])];
    return {
      module: JobsModule,
      controllers: config.runsApi ? [JobsController] : [],
      providers: [
        { provide: JOB_DEFINITIONS, useValue: definitions },
        {
          provide: JobCatalogue,
          inject: [JOB_DEFINITIONS, ModuleRef],
          useFactory: (defs: JobDefinition[], moduleRef: ModuleRef) => new JobCatalogue(defs, moduleRef),
        },
        { provide: RUNNER_SETTINGS, useValue: { ...DEFAULT_RUNNER_SETTINGS, ...options.runner } },
        JobsRepository,
        JobsService,
        JobDispatcher,
        JobEventsService,
        JobMetrics,
        LeaseLimiter,
        ...(config.runsWorkers ? [JobRunner] : []),
        ...(options.providers ?? []),
      ],
      exports: [JobsService, JobCatalogue, JobsRepository],
    };
  }
}
