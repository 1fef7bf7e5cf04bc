import { Module } from '@nestjs/common';
import { TenantsModule } from '../../tenants/tenants.module';
import { MigrationProcessor } from '../migration.processor';
import { BulkMigrationService } from './bulk-migration.service';
import { ItemSecretsRepository } from './item-secrets.repository';
import { PerUserMigrationService } from './per-user-migration.service';

/** The `migration` job processor, in every role: the catalogue refuses to boot without it. */
@Module({
  imports: [TenantsModule],
  providers: [MigrationProcessor, PerUserMigrationService, BulkMigrationService, ItemSecretsRepository],
})
export class MigrationRunModule {}
