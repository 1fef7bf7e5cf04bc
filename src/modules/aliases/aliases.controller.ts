import { Controller, Delete, Get, HttpCode, Param, Post, Put } from '@nestjs/common';
import { Body, Query } from '../../common/http/validated-params';
import { ApiNoContentResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { checkPrecondition, IfMatch, Versioned } from '../../common/http/entity-tag';
import { CONDITIONAL_VENDOR_ERRORS, Endpoint, VENDOR_ERRORS } from '../../common/http/endpoint.decorator';
import { Meta, type RequestMeta } from '../../common/http/request-meta';
import { DEFAULT_PAGE_SIZE } from '../../common/pagination/list-query.dto';
import { Audited } from '../audit/audited.decorator';
import { emailParam } from '../users/email-param';
import { ServicePortResolver } from '../tenants/service-port.resolver';
import { AddRecipientDto, AliasListQueryDto, AliasListView, AliasView, PutAliasDto } from './aliases.dto';

/** Aliases: an address forwarding to recipients (OX mail forwards, Hostway forwards). */
@ApiTags('Aliases')
@Controller('v1/tenants/:tenantId/aliases')
export class AliasesController {
  constructor(private readonly ports: ServicePortResolver) {}

  @Get()
  @Endpoint({ summary: 'List aliases', scopes: ['aliases:read'], errors: VENDOR_ERRORS })
  @ApiOkResponse({ type: AliasListView })
  async list(
    @Meta() meta: RequestMeta,
    @Param('tenantId') tenantId: string,
    @Query() query: AliasListQueryDto,
  ): Promise<AliasListView> {
    const { port, ctx } = await this.ports.bind(meta, tenantId, 'mail', 'aliases.list');
    return port.listAliases(ctx, {
      domain: query.domain,
      limit: query.limit ?? DEFAULT_PAGE_SIZE,
      cursor: query.cursor,
    });
  }

  @Get(':address')
  @Endpoint({ summary: 'Get an alias', scopes: ['aliases:read'], errors: VENDOR_ERRORS })
  @ApiOkResponse({ type: AliasView })
  @Versioned()
  async get(
    @Meta() meta: RequestMeta,
    @Param('tenantId') tenantId: string,
    @Param('address') address: string,
  ): Promise<AliasView> {
    const { port, ctx } = await this.ports.bind(meta, tenantId, 'mail', 'aliases.get');
    return port.getAlias(ctx, emailParam(address, 'address'));
  }

  @Put(':address')
  @Endpoint({
    summary: 'Create an alias or replace its recipients',
    scopes: ['aliases:write'],
    errors: CONDITIONAL_VENDOR_ERRORS,
  })
  @ApiOkResponse({ type: AliasView })
  @Audited({ action: 'alias.set', resourceType: 'alias' })
  @Versioned()
  async put(
    @Meta() meta: RequestMeta,
    @Param('tenantId') tenantId: string,
    @Param('address') address: string,
    @Body() body: PutAliasDto,
    @IfMatch() ifMatch?: string,
  ): Promise<AliasView> {
    await checkPrecondition(ifMatch, () => this.get(meta, tenantId, address));
    const { port, ctx } = await this.ports.bind(meta, tenantId, 'mail', 'aliases.put');
    return port.putAlias(ctx, emailParam(address, 'address'), body.recipients);
  }

  @Delete(':address')
  @HttpCode(204)
  @Endpoint({ summary: 'Delete an alias', scopes: ['aliases:write'], errors: CONDITIONAL_VENDOR_ERRORS })
  @ApiNoContentResponse()
  @Audited({ action: 'alias.deleted', resourceType: 'alias' })
  async remove(
    @Meta() meta: RequestMeta,
    @Param('tenantId') tenantId: string,
    @Param('address') address: string,
    @IfMatch() ifMatch?: string,
  ): Promise<void> {
    await checkPrecondition(ifMatch, () => this.get(meta, tenantId, address));
    const { port, ctx } = await this.ports.bind(meta, tenantId, 'mail', 'aliases.delete');
    await port.deleteAlias(ctx, emailParam(address, 'address'));
  }

  @Post(':address/recipients')
  @HttpCode(200)
  @Endpoint({ summary: 'Add a recipient to an alias', scopes: ['aliases:write'], errors: VENDOR_ERRORS })
  @ApiOkResponse({ type: AliasView })
  @Audited({ action: 'alias.recipient_added', resourceType: 'alias' })
  async addRecipient(
    @Meta() meta: RequestMeta,
    @Param('tenantId') tenantId: string,
    @Param('address') address: string,
    @Body() body: AddRecipientDto,
  ): Promise<AliasView> {
    const { port, ctx } = await this.ports.bind(meta, tenantId, 'mail', 'aliases.recipients.add');
    return port.addAliasRecipient(ctx, emailParam(address, 'address'), body.recipient);
  }

  @Delete(':address/recipients/:recipient')
  @Endpoint({
    summary: 'Remove a recipient from an alias',
    scopes: ['aliases:write'],
    errors: VENDOR_ERRORS,
  })
  @ApiOkResponse({ type: AliasView })
  @Audited({
    action: 'alias.recipient_removed',
    resourceType: 'alias',
    resourceId: ({ params }) => params.address,
  })
  async removeRecipient(
    @Meta() meta: RequestMeta,
    @Param('tenantId') tenantId: string,
    @Param('address') address: string,
    @Param('recipient') recipient: string,
  ): Promise<AliasView> {
    const { port, ctx } = await this.ports.bind(meta, tenantId, 'mail', 'aliases.recipients.remove');
    return port.removeAliasRecipient(ctx, emailParam(address, 'address'), emailParam(recipient, 'recipient'));
  }
}
