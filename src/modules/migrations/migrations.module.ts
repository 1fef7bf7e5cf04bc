import { Module } from '@nestjs/common';
import { TenantsModule } from '../tenants/tenants.module';
import { MigrationIntakeService } from './migration-intake.service';
import { MigrationItemsRepository } from './migration-items.repository';
import { MigrationSecretsService } from './migration-secrets.service';
import { MigrationsController } from './migrations.controller';

/** Batch migrations: the upload route (JSON or streamed CSV) that stores a job's items and queues it. */
@Module({
  imports: [TenantsModule],
  controllers: [MigrationsController],
  providers: [MigrationIntakeService, MigrationItemsRepository, MigrationSecretsService],
  exports: [MigrationIntakeService],
})
export class MigrationsModule {}
