import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsString, Matches, MaxLength } from 'class-validator';
import { IsOmittable } from '../../common/validation/omittable';
import { IsTimestamp } from '../../common/validation/timestamp';
import { ListQueryDto } from '../../common/pagination/list-query.dto';

export class AuditQueryDto extends ListQueryDto {
  @ApiPropertyOptional()
  @IsOmittable()
  @Matches(/^[a-z0-9-]{3,63}$/, { message: 'tenantId must be 3-63 of a-z, 0-9 and -' })
  tenantId?: string;

  @ApiPropertyOptional({ example: 'tenant.created' })
  @IsOmittable()
  @IsString()
  @MaxLength(100)
  action?: string;

  @ApiPropertyOptional()
  @IsOmittable()
  @IsString()
  @MaxLength(100)
  actorId?: string;

  @ApiPropertyOptional({ example: 'tenant' })
  @IsOmittable()
  @IsString()
  @MaxLength(100)
  resourceType?: string;

  @ApiPropertyOptional()
  @IsOmittable()
  @IsString()
  @MaxLength(512)
  resourceId?: string;

  @ApiPropertyOptional({ enum: ['success', 'failure'] })
  @IsOmittable()
  @IsIn(['success', 'failure'])
  outcome?: 'success' | 'failure';

  @ApiPropertyOptional({
    format: 'date-time',
    description:
      'Inclusive lower bound of occurredAt: `2026-01-31` or `2026-01-31T12:00:00Z` (an offset is required).',
  })
  @IsOmittable()
  @IsTimestamp()
  from?: string;

  @ApiPropertyOptional({
    format: 'date-time',
    description: 'Exclusive upper bound of occurredAt, in the same forms as `from`.',
  })
  @IsOmittable()
  @IsTimestamp()
  to?: string;

  @ApiPropertyOptional({ description: 'The X-Request-Id of the request that wrote the events.' })
  @IsOmittable()
  @IsString()
  @MaxLength(128)
  requestId?: string;
}

class ActorView {
  @ApiProperty({ enum: ['api-key', 'webhook', 'job', 'system'] })
  type: string;
  @ApiProperty()
  id: string;
}

class ResourceView {
  @ApiProperty()
  type: string;
  @ApiProperty({ nullable: true, type: String })
  id: string | null;
}

class VendorCallView {
  @ApiProperty()
  method: string;
  @ApiProperty()
  path: string;
  @ApiProperty({ nullable: true, type: Number })
  status: number | null;
  @ApiProperty()
  durationMs: number;
  @ApiPropertyOptional()
  error?: string;
}

export class AuditEventDto {
  @ApiProperty()
  id: string;
  @ApiProperty({ format: 'date-time' })
  occurredAt: string;
  @ApiProperty({ type: ActorView })
  actor: ActorView;
  @ApiProperty({ nullable: true, type: String })
  tenantId: string | null;
  @ApiProperty()
  action: string;
  @ApiProperty({ type: ResourceView })
  resource: ResourceView;
  @ApiProperty({ enum: ['success', 'failure'] })
  outcome: 'success' | 'failure';
  @ApiProperty({ nullable: true, type: String })
  requestId: string | null;
  @ApiProperty({ nullable: true, type: String })
  jobId: string | null;
  @ApiProperty({ nullable: true, type: String })
  provider: string | null;
  @ApiProperty({ type: [VendorCallView] })
  vendorCalls: VendorCallView[];
  @ApiProperty({ type: 'object', additionalProperties: true })
  detail: Record<string, unknown>;
}

export class AuditEventListDto {
  @ApiProperty({ type: [AuditEventDto] })
  data: AuditEventDto[];
  @ApiProperty({ nullable: true, type: String })
  nextCursor: string | null;
}
