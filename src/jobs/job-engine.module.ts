import { type DynamicModule, Global, Module, type Provider } from '@nestjs/common';
import { DiscoveryModule } from '@nestjs/core';
import { TypeOrmModule } from '@nestjs/typeorm';
import type { AppConfig } from '../config/app-config';
import { DeclaredJobTypes, JOB_CATALOGUE_PROVIDER, JobCatalogue } from './job-catalogue';
import type { JobDefinition } from './job-definition';
import { JobDispatcher } from './job-dispatcher';
import { JobEntity, JobItemEntity } from './job.entity';
import { JobMetrics } from './job-metrics';
import { DEFAULT_RUNNER_SETTINGS, JobRunner, RUNNER_SETTINGS, type RunnerSettings } from './job-runner';
import { JobsRepository } from './jobs.repository';
import { LeaseLimiter } from './lease-limiter';

/** Extra job types and runner timings; tests use them, production boots with none. */
export interface JobEngineOptions {
  types?: JobDefinition[];
  /** Providers the extra types need (their processors). */
  providers?: Provider[];
  runner?: Partial<RunnerSettings>;
}

/** Holds one feature's declarations; a module per `forFeature` call. */
@Module({})
class JobTypesModule {}

/** Holds the extra types of `JobEngineOptions`. */
@Module({})
class ExtraJobTypesModule {}

/**
 * The job engine: job records, the catalogue of declared types, dispatch, metrics, and the
 * runner where workers run (ROLE=worker|all). Features declare their types with `forFeature`.
 */
@Global()
@Module({})
export class JobEngineModule {
  static forRoot(config: AppConfig, options: JobEngineOptions = {}): DynamicModule {
    const extra: DynamicModule[] = options.types?.length
      ? [
          {
            module: ExtraJobTypesModule,
            imports: [JobEngineModule.forFeature(options.types)],
            providers: options.providers ?? [],
          },
        ]
      : [];
    return {
      module: JobEngineModule,
      imports: [DiscoveryModule, TypeOrmModule.forFeature([JobEntity, JobItemEntity]), ...extra],
      providers: [
        JOB_CATALOGUE_PROVIDER,
        { provide: RUNNER_SETTINGS, useValue: { ...DEFAULT_RUNNER_SETTINGS, ...options.runner } },
        JobsRepository,
        JobDispatcher,
        JobMetrics,
        LeaseLimiter,
        ...(config.runsWorkers ? [JobRunner] : []),
      ],
      exports: [JobCatalogue, JobsRepository, JobDispatcher],
    };
  }

  /**
   * Declares a feature's job types. Import it in the feature module that provides their
   * processors; the engine collects every declaration at boot and refuses to start when a
   * declared type's processor is not a provider.
   */
  static forFeature(definitions: readonly JobDefinition[]): DynamicModule {
    return {
      module: JobTypesModule,
      providers: [{ provide: DeclaredJobTypes, useValue: new DeclaredJobTypes(definitions) }],
    };
  }
}
