import { Module } from '@nestjs/common';
import { JobEngineModule } from '../../../jobs/job-engine.module';
import { TenantsModule } from '../../tenants/tenants.module';
import { MigrationProcessor } from '../migration.processor';
import { BulkMigrationService } from './bulk-migration.service';
import { ItemSecretsRepository } from './item-secrets.repository';
import { MIGRATION_JOB_TYPES } from './migration-job';
import { PerUserMigrationService } from './per-user-migration.service';
import { SecretsRetentionService } from './secrets-retention.service';

/** The `migration` job type and its processor, in every role (the API enqueues, workers run it). */
@Module({
  imports: [TenantsModule, JobEngineModule.forFeature(MIGRATION_JOB_TYPES)],
  providers: [
    MigrationProcessor,
    PerUserMigrationService,
    BulkMigrationService,
    ItemSecretsRepository,
    SecretsRetentionService,
  ],
})
export class MigrationRunModule {}
