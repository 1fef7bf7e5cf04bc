import { Module } from '@nestjs/common';
import { TenantsModule } from '../../modules/tenants/tenants.module';
import { CompactStoreProcessor } from './compact-store.processor';
import { VerifyStoreProcessor } from './verify-store.processor';
import { VerifyStoresProcessor } from './verify-stores.processor';

/** The archive job processors, in every role: the catalogue refuses to boot without them. */
@Module({
  imports: [TenantsModule],
  providers: [VerifyStoreProcessor, VerifyStoresProcessor, CompactStoreProcessor],
})
export class ArchiveJobsModule {}
