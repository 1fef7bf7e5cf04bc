import { Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { TypeOrmModule } from '@nestjs/typeorm';
import { TenantsModule } from '../tenants/tenants.module';
import { ApiKeyAuthenticator } from './api-key-authenticator';
import { ApiKeyEntity } from './api-key.entity';
import { ApiKeysController } from './api-keys.controller';
import { ApiKeysRepository } from './api-keys.repository';
import { ApiKeysService } from './api-keys.service';
import { AuthGuard } from './auth.guard';
import { RefusalAuditHooks } from './refusal-audit.hooks';

/** API keys and the global guard that checks them, their scopes and their tenant binding. */
@Module({
  imports: [TypeOrmModule.forFeature([ApiKeyEntity]), TenantsModule],
  controllers: [ApiKeysController],
  providers: [
    ApiKeysRepository,
    ApiKeysService,
    ApiKeyAuthenticator,
    RefusalAuditHooks,
    { provide: APP_GUARD, useClass: AuthGuard },
  ],
})
export class AuthModule {}
