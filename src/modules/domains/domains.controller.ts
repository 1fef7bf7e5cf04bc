import { Controller, Delete, Get, HttpCode, Param, Post } from '@nestjs/common';
import { Body } from '../../common/http/validated-params';
import { ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { Endpoint, VENDOR_ERRORS } from '../../common/http/endpoint.decorator';
import { Meta, type RequestMeta } from '../../common/http/request-meta';
import { GatewayError } from '../../domain/errors';
import { Audited } from '../audit/audited.decorator';
import { ServicePortResolver } from '../tenants/service-port.resolver';
import { CreateDomainDto, DOMAIN_NAME, DomainListView, DomainView } from './domains.dto';

function domainParam(name: string): string {
  if (!DOMAIN_NAME.test(name))
    throw GatewayError.validation([{ field: 'name', message: 'must be a domain name' }]);
  return name;
}

/** Mail domains: OX shared domains (brand-wide) and explicit domains (per context). */
@ApiTags('Domains')
@Controller('v1/tenants/:tenantId/domains')
export class DomainsController {
  constructor(private readonly ports: ServicePortResolver) {}

  @Get()
  @Endpoint({ summary: 'List mail domains', scopes: ['domains:read'], errors: VENDOR_ERRORS })
  @ApiOkResponse({ type: DomainListView })
  async list(@Meta() meta: RequestMeta, @Param('tenantId') tenantId: string): Promise<DomainListView> {
    const { port, ctx } = await this.ports.bind(meta, tenantId, 'mail', 'domains.list');
    return { data: await port.listDomains(ctx), nextCursor: null };
  }

  @Post()
  @Endpoint({ summary: 'Add a mail domain', scopes: ['domains:write'], errors: VENDOR_ERRORS })
  @ApiCreatedResponse({ type: DomainView })
  @Audited({ action: 'domain.created', resourceType: 'domain' })
  async create(
    @Meta() meta: RequestMeta,
    @Param('tenantId') tenantId: string,
    @Body() body: CreateDomainDto,
  ): Promise<DomainView> {
    const { port, ctx } = await this.ports.bind(meta, tenantId, 'mail', 'domains.create');
    return port.createDomain(ctx, body.name, body.kind ?? 'shared');
  }

  @Get(':name')
  @Endpoint({ summary: 'Get a mail domain', scopes: ['domains:read'], errors: VENDOR_ERRORS })
  @ApiOkResponse({ type: DomainView })
  async get(
    @Meta() meta: RequestMeta,
    @Param('tenantId') tenantId: string,
    @Param('name') name: string,
  ): Promise<DomainView> {
    const { port, ctx } = await this.ports.bind(meta, tenantId, 'mail', 'domains.get');
    return port.getDomain(ctx, domainParam(name));
  }

  @Delete(':name')
  @HttpCode(204)
  @Endpoint({ summary: 'Remove a mail domain', scopes: ['domains:write'], errors: VENDOR_ERRORS })
  @ApiNoContentResponse()
  @Audited({ action: 'domain.deleted', resourceType: 'domain' })
  async remove(
    @Meta() meta: RequestMeta,
    @Param('tenantId') tenantId: string,
    @Param('name') name: string,
  ): Promise<void> {
    const { port, ctx } = await this.ports.bind(meta, tenantId, 'mail', 'domains.delete');
    await port.deleteDomain(ctx, domainParam(name));
  }
}
