import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AppConfig } from '../../config/app-config';
import { CallContextFactory } from './call-context.factory';
import { ConnectionEntity, ConnectionServiceEntity } from './connection.entity';
import { ConnectionsController } from './connections.controller';
import { ConnectionsRepository } from './connections.repository';
import { ConnectionsService } from './connections.service';
import { CredentialsCipher } from './credentials-cipher';
import { ServicePortResolver } from './service-port.resolver';
import { TenantEntity } from './tenant.entity';
import { TenantsRepository } from './tenants.repository';
import { TenantsController } from './tenants.controller';
import { TenantsService } from './tenants.service';

/** Tenants and their vendor connections; the source of CallContexts and bound ports for every port call. */
@Module({
  imports: [TypeOrmModule.forFeature([TenantEntity, ConnectionEntity, ConnectionServiceEntity])],
  controllers: [TenantsController, ConnectionsController],
  providers: [
    TenantsRepository,
    TenantsService,
    ConnectionsRepository,
    ConnectionsService,
    CallContextFactory,
    ServicePortResolver,
    {
      provide: CredentialsCipher,
      inject: [AppConfig],
      useFactory: (config: AppConfig) => new CredentialsCipher(config.secretsKey),
    },
  ],
  exports: [TenantsService, ConnectionsService, CallContextFactory, ServicePortResolver, CredentialsCipher],
})
export class TenantsModule {}
