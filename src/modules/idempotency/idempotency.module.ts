import { Global, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { IdempotencyHooks } from './idempotency.hooks';
import { IdempotencyRecordEntity } from './idempotency-record.entity';
import { IdempotencyPurger } from './idempotency-purger';
import { IdempotencyRecordsRepository } from './idempotency-records.repository';
import { IdempotencyService } from './idempotency.service';

/** Idempotency-Key storage (Postgres, 24 h), used by every mutating route. */
@Global()
@Module({
  imports: [TypeOrmModule.forFeature([IdempotencyRecordEntity])],
  providers: [IdempotencyRecordsRepository, IdempotencyService, IdempotencyPurger, IdempotencyHooks],
  exports: [IdempotencyService],
})
export class IdempotencyModule {}
