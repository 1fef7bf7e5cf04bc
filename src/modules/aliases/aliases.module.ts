import { Module } from '@nestjs/common';
import { TenantsModule } from '../tenants/tenants.module';
import { AliasesController } from './aliases.controller';
import { AliasesService } from './aliases.service';

/** The neutral aliases API of the mail service. */
@Module({
  imports: [TenantsModule],
  controllers: [AliasesController],
  providers: [AliasesService],
  exports: [AliasesService],
})
export class AliasesModule {}
