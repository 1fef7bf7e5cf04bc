import { type DynamicModule, Global, Module } from '@nestjs/common';
import type { AppConfig } from '../../config/app-config';
import { JobEventsService } from './job-events.service';
import { JobsController } from './jobs.controller';
import { JobsService } from './jobs.service';
import { QueueDashboardPlugin } from './queue-dashboard.plugin';

/**
 * The jobs API of API.md, and `JobsService.enqueue` for other features, in every role.
 * Global, so archive and migrations can enqueue through JobsService.
 */
@Global()
@Module({})
export class JobsModule {
  static forRoot(config: AppConfig): DynamicModule {
    return {
      module: JobsModule,
      controllers: config.runsApi ? [JobsController] : [],
      providers: [JobsService, JobEventsService, ...(config.runsApi ? [QueueDashboardPlugin] : [])],
      exports: [JobsService],
    };
  }
}
