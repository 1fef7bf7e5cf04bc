import { Module } from '@nestjs/common';
import { TenantsModule } from '../tenants/tenants.module';
import { ServicePortResolver } from './service-port.resolver';
import { UsersController } from './users.controller';
import { UsersService } from './users.service';

/** The neutral users and mailbox API, for every service. */
@Module({
  imports: [TenantsModule],
  controllers: [UsersController],
  providers: [UsersService, ServicePortResolver],
  exports: [ServicePortResolver],
})
export class UsersModule {}
