import { Module } from '@nestjs/common';
import { UsersModule } from '../users/users.module';
import { DomainsController } from './domains.controller';

@Module({ imports: [UsersModule], controllers: [DomainsController] })
export class DomainsModule {}
