import { Module } from '@nestjs/common';
import { TenantsModule } from '../tenants/tenants.module';
import { AliasesController } from './aliases.controller';

@Module({ imports: [TenantsModule], controllers: [AliasesController] })
export class AliasesModule {}
