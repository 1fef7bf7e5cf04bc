import { Global, Module } from '@nestjs/common';
import { QueueFactory } from './queue-factory';

/** BullMQ wiring that job types plug into; Redis carries work, Postgres keeps the record. */
@Global()
@Module({ providers: [QueueFactory], exports: [QueueFactory] })
export class QueueModule {}
