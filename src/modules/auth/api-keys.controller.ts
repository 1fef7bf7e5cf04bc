import { Controller, Delete, Get, HttpCode, Param, Post } from '@nestjs/common';
import { Body, Query } from '../../common/http/validated-params';
import { ApiTags } from '@nestjs/swagger';
import { Endpoint } from '../../common/http/endpoint.decorator';
import { Meta, type RequestMeta } from '../../common/http/request-meta';
import { DEFAULT_PAGE_SIZE, ListQueryDto } from '../../common/pagination/list-query.dto';
import { Audited } from '../audit/audited.decorator';
import { ApiKeyListView, CreateApiKeyDto, CreatedApiKeyView } from './api-key.dto';
import { ApiKeysService } from './api-keys.service';
import { ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse } from '@nestjs/swagger';

@ApiTags('API keys')
@Controller('v1/api-keys')
export class ApiKeysController {
  constructor(private readonly keys: ApiKeysService) {}

  @Post()
  @Endpoint({
    summary: 'Create an API key (the secret is shown once)',
    scopes: ['admin'],
    errors: ['not_found'],
  })
  @ApiCreatedResponse({ type: CreatedApiKeyView })
  @Audited({ action: 'api_key.created', resourceType: 'api_key' }, { replayable: false })
  create(@Meta() meta: RequestMeta, @Body() body: CreateApiKeyDto): Promise<CreatedApiKeyView> {
    return this.keys.create(meta.principal, body);
  }

  @Get()
  @Endpoint({ summary: 'List API keys', scopes: ['admin'] })
  @ApiOkResponse({ type: ApiKeyListView })
  list(@Meta() meta: RequestMeta, @Query() query: ListQueryDto): Promise<ApiKeyListView> {
    return this.keys.list(meta.principal, query.limit ?? DEFAULT_PAGE_SIZE, query.cursor);
  }

  @Delete(':id')
  @HttpCode(204)
  @Endpoint({ summary: 'Revoke an API key (it fails at once)', scopes: ['admin'], errors: ['not_found'] })
  @ApiNoContentResponse()
  @Audited({ action: 'api_key.revoked', resourceType: 'api_key' })
  revoke(@Meta() meta: RequestMeta, @Param('id') id: string): Promise<void> {
    return this.keys.revoke(meta.principal, id);
  }
}
