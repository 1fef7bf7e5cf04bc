import { Global, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AuditController } from './audit.controller';
import { AuditEventEntity } from './audit-event.entity';
import { AuditEventsRepository } from './audit-events.repository';
import { AuditService } from './audit.service';
import { RequestAuditor } from './request-auditor';

/** The append-only audit log: written by every mutation, job step and webhook. */
@Global()
@Module({
  imports: [TypeOrmModule.forFeature([AuditEventEntity])],
  controllers: [AuditController],
  providers: [AuditEventsRepository, AuditService, RequestAuditor],
  exports: [AuditService, RequestAuditor],
})
export class AuditModule {}
