import { Injectable } from '@nestjs/common';
import { AdapterRegistry } from '../../adapters/adapter-registry';
import type { RequestMeta } from '../../common/http/request-meta';
import { DEFAULT_PAGE_SIZE } from '../../common/pagination/list-query.dto';
import { GatewayError } from '../../domain/errors';
import type { MailboxSettings, ServiceKind, UserRecord } from '../../domain/model';
import type {
  CreateUserDto,
  MailboxPatchDto,
  UpdateUserDto,
  UserListQueryDto,
  UserListView,
  UserView,
} from './users.dto';
import { ServicePortResolver } from '../tenants/service-port.resolver';

/** Users of any service (mail, archive, secure mail) through the tenant's connection for it. */
@Injectable()
export class UsersService {
  constructor(
    private readonly ports: ServicePortResolver,
    private readonly adapters: AdapterRegistry,
  ) {}

  async list(meta: RequestMeta, tenantId: string, query: UserListQueryDto): Promise<UserListView> {
    const service = query.service ?? 'mail';
    const op = await this.ports.bind(meta, tenantId, service, 'users.list');
    const page = await op.port.listUsers(op.ctx, {
      domain: query.domain,
      q: query.q,
      sort: query.sort,
      order: query.order,
      limit: query.limit ?? DEFAULT_PAGE_SIZE,
      cursor: query.cursor,
      includeRaw: query.include === 'raw',
    });
    return {
      data: page.data.map((u) => toView(u, service, op, query.include === 'raw')),
      nextCursor: page.nextCursor,
    };
  }

  async get(
    meta: RequestMeta,
    tenantId: string,
    service: ServiceKind,
    email: string,
    includeRaw: boolean,
  ): Promise<UserView> {
    const op = await this.ports.bind(meta, tenantId, service, 'users.get');
    return toView(await op.port.getUser(op.ctx, email, { includeRaw }), service, op, includeRaw);
  }

  async create(
    meta: RequestMeta,
    tenantId: string,
    service: ServiceKind,
    input: CreateUserDto,
  ): Promise<UserView> {
    const op = await this.ports.bind(meta, tenantId, service, 'users.create');
    if (
      input.externalId !== undefined &&
      !this.adapters.get(op.provider).descriptor.userFields.includes('externalId')
    ) {
      throw GatewayError.validation([
        { field: 'externalId', message: `${op.provider} assigns its own ids; leave externalId out` },
      ]);
    }
    return toView(await op.port.createUser(op.ctx, input), service, op, false);
  }

  async update(
    meta: RequestMeta,
    tenantId: string,
    service: ServiceKind,
    email: string,
    patch: UpdateUserDto,
  ): Promise<UserView> {
    const op = await this.ports.bind(meta, tenantId, service, 'users.update');
    return toView(await op.port.updateUser(op.ctx, email, patch), service, op, false);
  }

  async remove(meta: RequestMeta, tenantId: string, service: ServiceKind, email: string): Promise<void> {
    const { port, ctx } = await this.ports.bind(meta, tenantId, service, 'users.delete');
    await port.deleteUser(ctx, email);
  }

  async getMailbox(meta: RequestMeta, tenantId: string, email: string): Promise<MailboxSettings> {
    const { port, ctx } = await this.ports.bind(meta, tenantId, 'mail', 'mailbox.get');
    return port.getMailbox(ctx, email);
  }

  async updateMailbox(
    meta: RequestMeta,
    tenantId: string,
    email: string,
    patch: MailboxPatchDto,
  ): Promise<MailboxSettings> {
    const { port, ctx } = await this.ports.bind(meta, tenantId, 'mail', 'mailbox.update');
    return port.updateMailbox(ctx, email, patch);
  }
}

/** Every field of a user record but `raw` (a field added to UserRecord must be added to the view). */
type ViewOfRecord = Record<Exclude<keyof UserRecord, 'raw'>, unknown> &
  Pick<UserView, 'service' | 'provider' | 'connectionId'>;

/** Built field by field: this runs on every user read, and rest/spread copies are slow in V8. */
function toView(
  user: UserRecord,
  service: ServiceKind,
  origin: { provider: string; connectionId: string },
  includeRaw: boolean,
): UserView {
  const view: UserView = {
    email: user.email,
    externalId: user.externalId,
    firstName: user.firstName,
    lastName: user.lastName,
    displayName: user.displayName,
    status: user.status,
    aliases: user.aliases,
    mailbox: user.mailbox,
    extras: user.extras,
    createdAt: user.createdAt,
    service,
    provider: origin.provider,
    connectionId: origin.connectionId,
  } satisfies ViewOfRecord;
  if (includeRaw) view.raw = user.raw;
  return view;
}
