import { Injectable } from '@nestjs/common';
import type { RequestMeta } from '../../common/http/request-meta';
import { GatewayError } from '../../domain/errors';
import { ServicePortResolver } from '../tenants/service-port.resolver';
import type { ArchiveUserView } from './archive.dto';

/** Archive-only user operations; the neutral user CRUD lives in the users API (`?service=archive`). */
@Injectable()
export class ArchiveUsersService {
  constructor(private readonly ports: ServicePortResolver) {}

  async rename(
    meta: RequestMeta,
    tenantId: string,
    email: string,
    newEmail: string,
  ): Promise<ArchiveUserView> {
    if (email.toLowerCase() === newEmail.toLowerCase()) {
      throw GatewayError.validation([{ field: 'newEmail', message: 'is the current name' }]);
    }
    const { port, ctx, provider } = await this.ports.bind(meta, tenantId, 'archive', 'users.rename', [
      'getUser',
    ]);
    await port.renameUser(ctx, email, newEmail);
    const { raw: _raw, ...user } = await port.getUser(ctx, newEmail, { includeRaw: false });
    return { ...user, service: 'archive', provider, connectionId: ctx.connection.id };
  }
}
