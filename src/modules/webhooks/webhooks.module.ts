import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AppConfig } from '../../config/app-config';
import { JobEngineModule } from '../../jobs/job-engine.module';
import { AliasesModule } from '../aliases/aliases.module';
import { MigrationsModule } from '../migrations/migrations.module';
import { CredentialsCipher } from '../tenants/credentials-cipher';
import { TenantsModule } from '../tenants/tenants.module';
import { UsersModule } from '../users/users.module';
import { WebhookCipher } from './webhook-cipher';
import { WebhookEventActions } from './webhook-event-actions.service';
import { WebhookEventAuditor } from './webhook-event-auditor';
import { WebhookEventEntity } from './webhook-event.entity';
import { WebhookEventProcessor } from './webhook-event.processor';
import { WebhookEventQueuer } from './webhook-event-queuer';
import { WebhookEventSweeper } from './webhook-event-sweeper';
import { WebhookEventsController } from './webhook-events.controller';
import { WebhookEventsRepository } from './webhook-events.repository';
import { WebhookEventsService } from './webhook-events.service';
import { WebhookIntakeController } from './webhook-intake.controller';
import { WebhookIntakeService } from './webhook-intake.service';
import { WEBHOOK_JOB_TYPES } from './webhook-jobs';
import { WebhookSourceEntity } from './webhook-source.entity';
import { WebhookSourcesController } from './webhook-sources.controller';
import { WebhookSourcesRepository } from './webhook-sources.repository';
import { WebhookSourcesService } from './webhook-sources.service';

/**
 * Inbound webhooks: sources and their secrets, the signed intake, the events API, and the
 * processor that runs events through the users, aliases and migrations services (in every role: the API
 * enqueues `webhook.event`, workers run it).
 */
@Module({
  imports: [
    TypeOrmModule.forFeature([WebhookSourceEntity, WebhookEventEntity]),
    JobEngineModule.forFeature(WEBHOOK_JOB_TYPES),
    TenantsModule,
    UsersModule,
    AliasesModule,
    MigrationsModule,
  ],
  controllers: [WebhookSourcesController, WebhookIntakeController, WebhookEventsController],
  providers: [
    {
      provide: WebhookCipher,
      inject: [AppConfig],
      useFactory: (config: AppConfig) => new WebhookCipher(new CredentialsCipher(config.secretsKey)),
    },
    WebhookSourcesRepository,
    WebhookEventsRepository,
    WebhookSourcesService,
    WebhookEventsService,
    WebhookEventActions,
    WebhookEventAuditor,
    WebhookIntakeService,
    WebhookEventProcessor,
    WebhookEventQueuer,
    WebhookEventSweeper,
  ],
})
export class WebhooksModule {}
