import { Controller, Delete, Get, HttpCode, Param, Post, Put } from '@nestjs/common';
import { Body, Query } from '../../common/http/validated-params';
import { ApiNoContentResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { checkPrecondition, IfMatch, Versioned } from '../../common/http/entity-tag';
import { CONDITIONAL_VENDOR_ERRORS, Endpoint, VENDOR_ERRORS } from '../../common/http/endpoint.decorator';
import { Meta, type RequestMeta } from '../../common/http/request-meta';
import { Audited } from '../audit/audited.decorator';
import { emailParam } from '../users/email-param';
import { AddRecipientDto, AliasListQueryDto, AliasListView, AliasView, PutAliasDto } from './aliases.dto';
import { AliasesService } from './aliases.service';

/** Aliases: an address forwarding to recipients (OX mail forwards, Hostway forwards). */
@ApiTags('Aliases')
@Controller('v1/tenants/:tenantId/aliases')
export class AliasesController {
  constructor(private readonly aliases: AliasesService) {}

  @Get()
  @Endpoint({ summary: 'List aliases', scopes: ['aliases:read'], errors: VENDOR_ERRORS })
  @ApiOkResponse({ type: AliasListView })
  async list(
    @Meta() meta: RequestMeta,
    @Param('tenantId') tenantId: string,
    @Query() query: AliasListQueryDto,
  ): Promise<AliasListView> {
    return this.aliases.list(meta, tenantId, query);
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
    return this.aliases.get(meta, tenantId, emailParam(address, 'address'));
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
    return this.aliases.put(meta, tenantId, emailParam(address, 'address'), body.recipients);
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
    await this.aliases.remove(meta, tenantId, emailParam(address, 'address'));
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
    return this.aliases.addRecipient(meta, tenantId, emailParam(address, 'address'), body.recipient);
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
    return this.aliases.removeRecipient(
      meta,
      tenantId,
      emailParam(address, 'address'),
      emailParam(recipient, 'recipient'),
    );
  }
}
