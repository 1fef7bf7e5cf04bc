import { Controller, Delete, Get, HttpCode, Param, Patch, Post } from '@nestjs/common';
import { Body, Query } from '../../common/http/validated-params';
import { ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { checkPrecondition, IfMatch, Versioned } from '../../common/http/entity-tag';
import { Endpoint } from '../../common/http/endpoint.decorator';
import { Meta, type RequestMeta } from '../../common/http/request-meta';
import { DEFAULT_PAGE_SIZE, ListQueryDto } from '../../common/pagination/list-query.dto';
import { Audited } from '../audit/audited.decorator';
import { CreateTenantDto, TenantListView, TenantView, UpdateTenantDto } from './tenant.dto';
import { TenantsService } from './tenants.service';

@ApiTags('Tenants')
@Controller('v1/tenants')
export class TenantsController {
  constructor(private readonly tenants: TenantsService) {}

  @Post()
  @Endpoint({ summary: 'Create a tenant', scopes: ['tenants:write'], errors: ['conflict'] })
  @ApiCreatedResponse({ type: TenantView })
  @Audited({
    action: 'tenant.created',
    resourceType: 'tenant',
    tenantId: ({ body }) => (body as Partial<CreateTenantDto> | undefined)?.id,
  })
  create(@Meta() meta: RequestMeta, @Body() body: CreateTenantDto): Promise<TenantView> {
    return this.tenants.create(meta.principal, body);
  }

  @Get()
  @Endpoint({ summary: 'List tenants', scopes: ['tenants:read'] })
  @ApiOkResponse({ type: TenantListView })
  list(@Meta() meta: RequestMeta, @Query() query: ListQueryDto): Promise<TenantListView> {
    return this.tenants.list(meta.principal, query.limit ?? DEFAULT_PAGE_SIZE, query.cursor);
  }

  @Get(':tenantId')
  @Endpoint({ summary: 'Get a tenant', scopes: ['tenants:read'], errors: ['not_found'] })
  @ApiOkResponse({ type: TenantView })
  @Versioned()
  get(@Meta() meta: RequestMeta, @Param('tenantId') tenantId: string): Promise<TenantView> {
    return this.tenants.get(meta.principal, tenantId);
  }

  @Patch(':tenantId')
  @Endpoint({
    summary: 'Rename a tenant',
    scopes: ['tenants:write'],
    errors: ['not_found', 'precondition_failed'],
  })
  @ApiOkResponse({ type: TenantView })
  @Audited({ action: 'tenant.updated', resourceType: 'tenant', resourceId: ({ params }) => params.tenantId })
  @Versioned()
  async update(
    @Meta() meta: RequestMeta,
    @Param('tenantId') tenantId: string,
    @Body() body: UpdateTenantDto,
    @IfMatch() ifMatch?: string,
  ): Promise<TenantView> {
    await checkPrecondition(ifMatch, () => this.tenants.get(meta.principal, tenantId));
    return this.tenants.update(meta.principal, tenantId, body);
  }

  @Delete(':tenantId')
  @HttpCode(204)
  @Endpoint({
    summary: 'Delete a tenant with its connections and keys',
    scopes: ['tenants:write'],
    errors: ['not_found', 'precondition_failed'],
  })
  @ApiNoContentResponse()
  @Audited({ action: 'tenant.deleted', resourceType: 'tenant', resourceId: ({ params }) => params.tenantId })
  async remove(
    @Meta() meta: RequestMeta,
    @Param('tenantId') tenantId: string,
    @IfMatch() ifMatch?: string,
  ): Promise<void> {
    await checkPrecondition(ifMatch, () => this.tenants.get(meta.principal, tenantId));
    return this.tenants.remove(meta.principal, tenantId);
  }
}
