import { type DynamicModule, Global, Module } from '@nestjs/common';
import { DiscoveryModule } from '@nestjs/core';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AppConfig } from './config/app-config';
import { ChangeNotifier } from './database/change-notifier';
import { dataSourceOptions } from './database/data-source';
import { JobEngineModule, type JobEngineOptions } from './jobs/job-engine.module';
import { QueueModule } from './jobs/queue.module';
import { AliasesModule } from './modules/aliases/aliases.module';
import { DomainsModule } from './modules/domains/domains.module';
import { UsersModule } from './modules/users/users.module';
import { ArchiveModule } from './modules/archive/archive.module';
import { ArchiveJobsModule } from './modules/archive/jobs/archive-jobs.module';
import { AuditModule } from './modules/audit/audit.module';
import { AuthModule } from './modules/auth/auth.module';
import { HealthModule } from './modules/health/health.module';
import { IdempotencyModule } from './modules/idempotency/idempotency.module';
import { JobsModule } from './modules/jobs/jobs.module';
import { MigrationsModule } from './modules/migrations/migrations.module';
import { MigrationRunModule } from './modules/migrations/run/migration-run.module';
import { ProvidersModule } from './modules/providers/providers.module';
import { RateLimitModule } from './modules/rate-limit/rate-limit.module';
import { TenantsModule } from './modules/tenants/tenants.module';
import { WebhooksModule } from './modules/webhooks/webhooks.module';

@Global()
@Module({})
class ConfigModule {
  static forRoot(config: AppConfig): DynamicModule {
    return {
      module: ConfigModule,
      providers: [{ provide: AppConfig, useValue: config }],
      exports: [AppConfig],
    };
  }
}

/** Postgres-side services shared by every module. */
@Global()
@Module({ providers: [ChangeNotifier], exports: [ChangeNotifier] })
class DatabaseModule {}

/**
 * Everything both roles need: config, Postgres (each module registers its own entities),
 * Redis queues, the job engine, audit, tenants, vendor adapters and the features' job types.
 */
function coreImports(config: AppConfig, jobs: JobEngineOptions) {
  return [
    ConfigModule.forRoot(config),
    DiscoveryModule,
    TypeOrmModule.forRoot({ ...dataSourceOptions(config.databaseUrl), autoLoadEntities: true }),
    DatabaseModule,
    QueueModule,
    JobEngineModule.forRoot(config, jobs),
    HealthModule.forRole(config),
    AuditModule,
    ProvidersModule,
    TenantsModule,
    ArchiveJobsModule,
    MigrationRunModule,
    // Its event processor must exist in every role; its controllers serve only where HTTP does.
    WebhooksModule,
    // Controllers of core modules carry @Audited's interceptors, which need IdempotencyService in every role.
    IdempotencyModule,
  ];
}

@Module({})
export class AppModule {
  /** ROLE=api serves HTTP and only enqueues; ROLE=worker runs processors; ROLE=all does both. */
  static forRole(config: AppConfig, options: { jobs?: JobEngineOptions } = {}): DynamicModule {
    const api = config.runsApi
      ? [
          RateLimitModule,
          AuthModule,
          ArchiveModule,
          UsersModule,
          AliasesModule,
          DomainsModule,
          MigrationsModule,
        ]
      : [];
    return {
      module: AppModule,
      imports: [...coreImports(config, options.jobs ?? {}), JobsModule.forRoot(config), ...api],
    };
  }
}
