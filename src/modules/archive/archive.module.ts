import { Module } from '@nestjs/common';
import { TenantsModule } from '../tenants/tenants.module';
import { ArchiveJobsService } from './archive-jobs.service';
import { ArchiveOperationsController } from './archive-operations.controller';
import { ArchiveStoresController } from './archive-stores.controller';
import { ArchiveStoresService } from './archive-stores.service';
import { ArchiveUsersController } from './archive-users.controller';
import { ArchiveUsersService } from './archive-users.service';

/** The archive API (MailStore stores, verification jobs) over the tenant's archive connection. */
@Module({
  imports: [TenantsModule],
  controllers: [ArchiveStoresController, ArchiveUsersController, ArchiveOperationsController],
  providers: [ArchiveStoresService, ArchiveUsersService, ArchiveJobsService],
})
export class ArchiveModule {}
