import { Controller, Get, Param } from '@nestjs/common';
import { ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { Endpoint } from '../../common/http/endpoint.decorator';
import { Meta, type RequestMeta } from '../../common/http/request-meta';
import { Query } from '../../common/http/validated-params';
import { DEFAULT_PAGE_SIZE } from '../../common/pagination/list-query.dto';
import { WebhookEventListQueryDto, WebhookEventListView, WebhookEventView } from './webhook-events.dto';
import { WebhookEventsService } from './webhook-events.service';

@ApiTags('Webhooks')
@Controller('v1/webhook-events')
export class WebhookEventsController {
  constructor(private readonly events: WebhookEventsService) {}

  @Get()
  @Endpoint({
    summary: 'List webhook events, newest first',
    description: "A tenant-bound key sees only its tenant; another tenant's source answers 404.",
    scopes: ['webhooks:write'],
    errors: ['not_found'],
  })
  @ApiOkResponse({ type: WebhookEventListView })
  list(@Meta() meta: RequestMeta, @Query() query: WebhookEventListQueryDto): Promise<WebhookEventListView> {
    return this.events.list(meta.principal, {
      sourceId: query.sourceId,
      status: query.status,
      limit: query.limit ?? DEFAULT_PAGE_SIZE,
      cursor: query.cursor,
    });
  }

  @Get(':id')
  @Endpoint({ summary: 'Get a webhook event', scopes: ['webhooks:write'], errors: ['not_found'] })
  @ApiOkResponse({ type: WebhookEventView })
  get(@Meta() meta: RequestMeta, @Param('id') id: string): Promise<WebhookEventView> {
    return this.events.get(meta.principal, id);
  }
}
