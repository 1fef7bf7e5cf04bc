import { Module } from '@nestjs/common';
import { TenantsModule } from '../tenants/tenants.module';
import { ArchivePortResolver } from './archive-port.resolver';
import { ArchiveStoresController } from './archive-stores.controller';
import { ArchiveStoresService } from './archive-stores.service';

/** The archive API (MailStore stores, verification jobs) over the tenant's archive connection. */
@Module({
  imports: [TenantsModule],
  controllers: [ArchiveStoresController],
  providers: [ArchivePortResolver, ArchiveStoresService],
  exports: [ArchivePortResolver],
})
export class ArchiveModule {}
