import { Module } from '@nestjs/common';
import { UsersModule } from '../users/users.module';
import { AliasesController } from './aliases.controller';

@Module({ imports: [UsersModule], controllers: [AliasesController] })
export class AliasesModule {}
