import { Controller, Delete, Get, HttpCode, Param, Patch, Post } from '@nestjs/common';
import { Body, Query } from '../../common/http/validated-params';
import { ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { checkPrecondition, IfMatch, Versioned } from '../../common/http/entity-tag';
import { Endpoint } from '../../common/http/endpoint.decorator';
import { Meta, type RequestMeta } from '../../common/http/request-meta';
import { DEFAULT_PAGE_SIZE, ListQueryDto } from '../../common/pagination/list-query.dto';
import { toGatewayError } from '../../common/http/problem';
import { Audited } from '../audit/audited.decorator';
import { CallContextFactory } from './call-context.factory';
import {
  ConnectionCheckView,
  ConnectionListView,
  ConnectionView,
  CreateConnectionDto,
  UpdateConnectionDto,
} from './connection.dto';
import { ConnectionsService } from './connections.service';

@ApiTags('Connections')
@Controller('v1/tenants/:tenantId/connections')
export class ConnectionsController {
  constructor(
    private readonly connections: ConnectionsService,
    private readonly calls: CallContextFactory,
  ) {}

  @Post()
  @Endpoint({
    summary: 'Connect the tenant to a vendor back end',
    description: 'One connection per service per tenant. `credentials` are write-only and stored encrypted.',
    scopes: ['tenants:write'],
    errors: ['not_found', 'conflict'],
  })
  @ApiCreatedResponse({ type: ConnectionView })
  @Audited({ action: 'connection.created', resourceType: 'connection' })
  create(
    @Meta() meta: RequestMeta,
    @Param('tenantId') tenantId: string,
    @Body() body: CreateConnectionDto,
  ): Promise<ConnectionView> {
    return this.connections.create(meta.principal, tenantId, body);
  }

  @Get()
  @Endpoint({ summary: "List the tenant's connections", scopes: ['tenants:read'], errors: ['not_found'] })
  @ApiOkResponse({ type: ConnectionListView })
  list(
    @Meta() meta: RequestMeta,
    @Param('tenantId') tenantId: string,
    @Query() query: ListQueryDto,
  ): Promise<ConnectionListView> {
    return this.connections.list(meta.principal, tenantId, query.limit ?? DEFAULT_PAGE_SIZE, query.cursor);
  }

  @Get(':connectionId')
  @Endpoint({
    summary: 'Get a connection (never its credentials)',
    scopes: ['tenants:read'],
    errors: ['not_found'],
  })
  @ApiOkResponse({ type: ConnectionView })
  @Versioned()
  get(
    @Meta() meta: RequestMeta,
    @Param('tenantId') tenantId: string,
    @Param('connectionId') id: string,
  ): Promise<ConnectionView> {
    return this.connections.get(meta.principal, tenantId, id);
  }

  @Patch(':connectionId')
  @Endpoint({
    summary: 'Change a connection',
    scopes: ['tenants:write'],
    errors: ['not_found', 'conflict', 'precondition_failed'],
  })
  @ApiOkResponse({ type: ConnectionView })
  @Audited({ action: 'connection.updated', resourceType: 'connection' })
  @Versioned()
  async update(
    @Meta() meta: RequestMeta,
    @Param('tenantId') tenantId: string,
    @Param('connectionId') id: string,
    @Body() body: UpdateConnectionDto,
    @IfMatch() ifMatch?: string,
  ): Promise<ConnectionView> {
    await checkPrecondition(ifMatch, () => this.connections.get(meta.principal, tenantId, id));
    return this.connections.update(meta.principal, tenantId, id, body);
  }

  @Delete(':connectionId')
  @HttpCode(204)
  @Endpoint({
    summary: 'Delete a connection',
    scopes: ['tenants:write'],
    errors: ['not_found', 'precondition_failed'],
  })
  @ApiNoContentResponse()
  @Audited({ action: 'connection.deleted', resourceType: 'connection' })
  async remove(
    @Meta() meta: RequestMeta,
    @Param('tenantId') tenantId: string,
    @Param('connectionId') id: string,
    @IfMatch() ifMatch?: string,
  ): Promise<void> {
    await checkPrecondition(ifMatch, () => this.connections.get(meta.principal, tenantId, id));
    return this.connections.remove(meta.principal, tenantId, id);
  }

  @Post(':connectionId/check')
  @HttpCode(200)
  @Endpoint({
    summary: 'Make one cheap authenticated call to the vendor',
    description: 'Answers 200 with `ok: false` and the reason when the vendor cannot be reached or refuses.',
    scopes: ['tenants:read'],
    errors: ['not_found'],
  })
  @ApiOkResponse({ type: ConnectionCheckView })
  @Audited({ action: 'connection.checked', resourceType: 'connection' })
  async check(
    @Meta() meta: RequestMeta,
    @Param('tenantId') tenantId: string,
    @Param('connectionId') id: string,
  ): Promise<ConnectionCheckView> {
    await this.connections.get(meta.principal, tenantId, id);
    const started = performance.now();
    try {
      const { adapter, ctx } = await this.calls.forConnection(meta, tenantId, id);
      const detail = await adapter.check(ctx);
      return { ok: true, latencyMs: Math.round(performance.now() - started), detail };
    } catch (error) {
      const failure = toGatewayError(error);
      return {
        ok: false,
        latencyMs: Math.round(performance.now() - started),
        detail: `${failure.code}: ${failure.detail}`,
      };
    }
  }
}
