import { Module } from '@nestjs/common';
import { JobEngineModule } from '../../../jobs/job-engine.module';
import { TenantsModule } from '../../tenants/tenants.module';
import { ARCHIVE_JOB_TYPES } from './archive-jobs';
import { CompactStoreProcessor } from './compact-store.processor';
import { VerifyStoreProcessor } from './verify-store.processor';
import { VerifyStoresProcessor } from './verify-stores.processor';

/** The archive job types and their processors, in every role (the API enqueues, workers run them). */
@Module({
  imports: [TenantsModule, JobEngineModule.forFeature(ARCHIVE_JOB_TYPES)],
  providers: [VerifyStoreProcessor, VerifyStoresProcessor, CompactStoreProcessor],
})
export class ArchiveJobsModule {}
