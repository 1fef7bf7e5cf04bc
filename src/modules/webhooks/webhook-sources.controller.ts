import { Controller, Delete, Get, HttpCode, Param, Post } from '@nestjs/common';
import { ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { Endpoint } from '../../common/http/endpoint.decorator';
import { Meta, type RequestMeta } from '../../common/http/request-meta';
import { Body, Query } from '../../common/http/validated-params';
import { DEFAULT_PAGE_SIZE } from '../../common/pagination/list-query.dto';
import { OptionalBody } from '../archive/optional-body.decorator';
import { Audited } from '../audit/audited.decorator';
import {
  CreateWebhookSourceDto,
  RotateWebhookSecretDto,
  WebhookSourceListQueryDto,
  WebhookSourceListView,
  WebhookSourceView,
  WebhookSourceWithSecretView,
} from './webhook-sources.dto';
import { WebhookSourcesService } from './webhook-sources.service';

const SECRET_NOTE =
  'The answer carries the signing secret, shown only here; it is never stored for `Idempotency-Key` replays.';

@ApiTags('Webhooks')
@Controller('v1/webhook-sources')
export class WebhookSourcesController {
  constructor(private readonly sources: WebhookSourcesService) {}

  @Post()
  @Endpoint({
    summary: 'Create a webhook source (its secret is shown once)',
    description: SECRET_NOTE,
    scopes: ['webhooks:write'],
    errors: ['not_found', 'conflict'],
  })
  @ApiCreatedResponse({ type: WebhookSourceWithSecretView })
  @Audited({ action: 'webhook_source.created', resourceType: 'webhook_source' }, { replayable: false })
  create(
    @Meta() meta: RequestMeta,
    @Body() body: CreateWebhookSourceDto,
  ): Promise<WebhookSourceWithSecretView> {
    return this.sources.create(meta.principal, body);
  }

  @Get()
  @Endpoint({ summary: 'List webhook sources', scopes: ['webhooks:write'], errors: ['not_found'] })
  @ApiOkResponse({ type: WebhookSourceListView })
  list(@Meta() meta: RequestMeta, @Query() query: WebhookSourceListQueryDto): Promise<WebhookSourceListView> {
    return this.sources.list(meta.principal, {
      tenantId: query.tenantId,
      limit: query.limit ?? DEFAULT_PAGE_SIZE,
      cursor: query.cursor,
    });
  }

  @Get(':id')
  @Endpoint({ summary: 'Get a webhook source', scopes: ['webhooks:write'], errors: ['not_found'] })
  @ApiOkResponse({ type: WebhookSourceView })
  get(@Meta() meta: RequestMeta, @Param('id') id: string): Promise<WebhookSourceView> {
    return this.sources.get(meta.principal, id);
  }

  @Delete(':id')
  @HttpCode(204)
  @Endpoint({
    summary: 'Delete a webhook source (its deliveries are refused at once; its events go with it)',
    scopes: ['webhooks:write'],
    errors: ['not_found'],
  })
  @ApiNoContentResponse()
  @Audited({ action: 'webhook_source.deleted', resourceType: 'webhook_source' })
  remove(@Meta() meta: RequestMeta, @Param('id') id: string): Promise<void> {
    return this.sources.remove(meta.principal, id);
  }

  @Post(':id/rotate-secret')
  @HttpCode(200)
  @Endpoint({
    summary: 'Rotate the signing secret',
    description: `The old secret keeps verifying for \`overlapSeconds\` (default 86400), then stops. ${SECRET_NOTE}`,
    scopes: ['webhooks:write'],
    errors: ['not_found'],
  })
  @ApiOkResponse({ type: WebhookSourceWithSecretView })
  @Audited({ action: 'webhook_source.secret_rotated', resourceType: 'webhook_source' }, { replayable: false })
  rotate(
    @Meta() meta: RequestMeta,
    @Param('id') id: string,
    @OptionalBody(RotateWebhookSecretDto) body: RotateWebhookSecretDto,
  ): Promise<WebhookSourceWithSecretView> {
    return this.sources.rotate(meta.principal, id, body.overlapSeconds);
  }
}
