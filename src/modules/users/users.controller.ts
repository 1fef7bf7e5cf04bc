import { Controller, Delete, Get, HttpCode, Param, Patch, Post } from '@nestjs/common';
import { Body, Query } from '../../common/http/validated-params';
import { ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { checkPrecondition, IfMatch, Versioned } from '../../common/http/entity-tag';
import { CONDITIONAL_VENDOR_ERRORS, Endpoint, VENDOR_ERRORS } from '../../common/http/endpoint.decorator';
import { Meta, type RequestMeta } from '../../common/http/request-meta';
import type { MailboxSettings } from '../../domain/model';
import { Audited } from '../audit/audited.decorator';
import { emailParam } from './email-param';
import {
  CreateUserDto,
  MailboxPatchDto,
  MailboxView,
  ServiceQueryDto,
  UpdateUserDto,
  UserGetQueryDto,
  UserListQueryDto,
  UserListView,
  UserView,
} from './users.dto';
import { UsersService } from './users.service';

@ApiTags('Users')
@Controller('v1/tenants/:tenantId/users')
export class UsersController {
  constructor(private readonly users: UsersService) {}

  @Get()
  @Endpoint({
    summary: "List a service's users",
    description:
      '`q` takes `*` wildcards on the address; `nextCursor` pages on. 409 when the tenant has no connection for the service.',
    scopes: ['users:read'],
    errors: VENDOR_ERRORS,
  })
  @ApiOkResponse({ type: UserListView })
  list(
    @Meta() meta: RequestMeta,
    @Param('tenantId') tenantId: string,
    @Query() query: UserListQueryDto,
  ): Promise<UserListView> {
    return this.users.list(meta, tenantId, query);
  }

  @Post()
  @Endpoint({ summary: 'Create a user', scopes: ['users:write'], errors: VENDOR_ERRORS })
  @ApiCreatedResponse({ type: UserView })
  @Audited({
    action: 'user.created',
    resourceType: 'user',
    resourceId: ({ body }) => (body as CreateUserDto | undefined)?.email,
  })
  create(
    @Meta() meta: RequestMeta,
    @Param('tenantId') tenantId: string,
    @Query() query: ServiceQueryDto,
    @Body() body: CreateUserDto,
  ): Promise<UserView> {
    return this.users.create(meta, tenantId, query.service ?? 'mail', body);
  }

  @Get(':email')
  @Endpoint({ summary: 'Get a user', scopes: ['users:read'], errors: VENDOR_ERRORS })
  @ApiOkResponse({ type: UserView })
  @Versioned()
  get(
    @Meta() meta: RequestMeta,
    @Param('tenantId') tenantId: string,
    @Param('email') email: string,
    @Query() query: UserGetQueryDto,
  ): Promise<UserView> {
    return this.users.get(
      meta,
      tenantId,
      query.service ?? 'mail',
      emailParam(email, 'email'),
      query.include === 'raw',
    );
  }

  @Patch(':email')
  @Endpoint({ summary: 'Change a user', scopes: ['users:write'], errors: CONDITIONAL_VENDOR_ERRORS })
  @ApiOkResponse({ type: UserView })
  @Audited({ action: 'user.updated', resourceType: 'user' })
  @Versioned()
  async update(
    @Meta() meta: RequestMeta,
    @Param('tenantId') tenantId: string,
    @Param('email') email: string,
    @Query() query: ServiceQueryDto,
    @Body() body: UpdateUserDto,
    @IfMatch() ifMatch?: string,
  ): Promise<UserView> {
    const service = query.service ?? 'mail';
    const address = emailParam(email, 'email');
    await checkPrecondition(ifMatch, () => this.users.get(meta, tenantId, service, address, false));
    return this.users.update(meta, tenantId, service, address, body);
  }

  @Delete(':email')
  @HttpCode(204)
  @Endpoint({ summary: 'Delete a user', scopes: ['users:write'], errors: CONDITIONAL_VENDOR_ERRORS })
  @ApiNoContentResponse()
  @Audited({ action: 'user.deleted', resourceType: 'user' })
  async remove(
    @Meta() meta: RequestMeta,
    @Param('tenantId') tenantId: string,
    @Param('email') email: string,
    @Query() query: ServiceQueryDto,
    @IfMatch() ifMatch?: string,
  ): Promise<void> {
    const service = query.service ?? 'mail';
    const address = emailParam(email, 'email');
    await checkPrecondition(ifMatch, () => this.users.get(meta, tenantId, service, address, false));
    return this.users.remove(meta, tenantId, service, address);
  }

  @Get(':email/mailbox')
  @Endpoint({
    summary: "Get a mail user's mailbox settings",
    scopes: ['users:read'],
    errors: VENDOR_ERRORS,
  })
  @ApiOkResponse({ type: MailboxView })
  @Versioned()
  getMailbox(
    @Meta() meta: RequestMeta,
    @Param('tenantId') tenantId: string,
    @Param('email') email: string,
  ): Promise<MailboxSettings> {
    return this.users.getMailbox(meta, tenantId, emailParam(email, 'email'));
  }

  @Patch(':email/mailbox')
  @Endpoint({
    summary: "Change a mail user's mailbox settings",
    scopes: ['users:write'],
    errors: CONDITIONAL_VENDOR_ERRORS,
  })
  @ApiOkResponse({ type: MailboxView })
  @Audited({ action: 'mailbox.updated', resourceType: 'mailbox' })
  @Versioned()
  async updateMailbox(
    @Meta() meta: RequestMeta,
    @Param('tenantId') tenantId: string,
    @Param('email') email: string,
    @Body() body: MailboxPatchDto,
    @IfMatch() ifMatch?: string,
  ): Promise<MailboxSettings> {
    const address = emailParam(email, 'email');
    await checkPrecondition(ifMatch, () => this.users.getMailbox(meta, tenantId, address));
    return this.users.updateMailbox(meta, tenantId, address, body);
  }
}
