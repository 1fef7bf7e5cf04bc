import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, Matches } from 'class-validator';
import { IsOmittable } from '../../common/validation/omittable';
import { ListQueryDto } from '../../common/pagination/list-query.dto';
import { WEBHOOK_EVENT_STATUSES, type WebhookEventStatus } from './webhook-event.entity';

export class WebhookEventListQueryDto extends ListQueryDto {
  @ApiPropertyOptional()
  @IsOmittable()
  @Matches(/^[a-z0-9-]{3,63}$/, { message: 'sourceId must be 3-63 of a-z, 0-9 and -' })
  sourceId?: string;

  @ApiPropertyOptional({ enum: WEBHOOK_EVENT_STATUSES })
  @IsOmittable()
  @IsIn(WEBHOOK_EVENT_STATUSES)
  status?: WebhookEventStatus;
}

class WebhookEventErrorView {
  @ApiProperty({ example: 'provider_unavailable' })
  code: string;
  @ApiProperty()
  detail: string;
  @ApiPropertyOptional({ type: 'array', items: { type: 'object' } })
  errors?: { field: string; message: string }[];
}

export class WebhookEventView {
  @ApiProperty({ format: 'uuid' })
  id: string;
  @ApiProperty()
  sourceId: string;
  @ApiProperty()
  tenantId: string;
  @ApiProperty({
    description: 'The `webhook-id` header: deliveries repeating it are answered, not run again.',
  })
  webhookId: string;
  @ApiProperty({ example: 'user.created' })
  type: string;
  @ApiProperty({ enum: WEBHOOK_EVENT_STATUSES })
  status: WebhookEventStatus;
  @ApiProperty({
    type: 'object',
    additionalProperties: true,
    nullable: true,
    description: 'The event data, passwords and other secret-named fields redacted.',
  })
  data: Record<string, unknown> | null;
  @ApiProperty({
    type: 'object',
    additionalProperties: true,
    nullable: true,
    description: '`user`, `alias`, `deleted` or `jobId`, by type.',
  })
  result: Record<string, unknown> | null;
  @ApiProperty({
    type: WebhookEventErrorView,
    nullable: true,
    description: 'Why it failed; on a `received` event, the last try that will be retried.',
  })
  error: WebhookEventErrorView | null;
  @ApiProperty({ format: 'uuid', nullable: true, type: String, description: 'The job that processes it.' })
  jobId: string | null;
  @ApiProperty({ description: 'Tries so far.' })
  attempts: number;
  @ApiProperty({ format: 'date-time' })
  receivedAt: string;
  @ApiProperty({ format: 'date-time', nullable: true, type: String })
  finishedAt: string | null;
}

export class WebhookEventListView {
  @ApiProperty({ type: [WebhookEventView] })
  data: WebhookEventView[];
  @ApiProperty({ nullable: true, type: String })
  nextCursor: string | null;
}

/** What a sender gets: 202 for a new event, 200 (with the first answer's outcome) for a repeat. */
export class WebhookIntakeView {
  @ApiProperty({ format: 'uuid' })
  eventId: string;
  @ApiProperty({ enum: WEBHOOK_EVENT_STATUSES })
  status: WebhookEventStatus;
  @ApiPropertyOptional({ type: 'object', additionalProperties: true, nullable: true })
  result?: Record<string, unknown> | null;
  @ApiPropertyOptional({ type: WebhookEventErrorView, nullable: true })
  error?: WebhookEventErrorView | null;
}
