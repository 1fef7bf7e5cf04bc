import { Module } from '@nestjs/common';
import { TenantsModule } from '../tenants/tenants.module';
import { DomainsController } from './domains.controller';

@Module({ imports: [TenantsModule], controllers: [DomainsController] })
export class DomainsModule {}
