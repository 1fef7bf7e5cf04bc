import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsInt, IsString, Matches, Max, Min } from 'class-validator';
import { IsOmittable } from '../../common/validation/omittable';
import { ListQueryDto } from '../../common/pagination/list-query.dto';

const ID_MESSAGE = 'must be 3-63 of a-z, 0-9 and -';
export const DEFAULT_OVERLAP_SECONDS = 86_400;
const MAX_OVERLAP_SECONDS = 30 * 86_400;

export class CreateWebhookSourceDto {
  @ApiProperty({ example: 'hr-system', pattern: '^[a-z0-9-]{3,63}$', description: 'Unique across tenants.' })
  @IsString()
  @Matches(/^[a-z0-9-]{3,63}$/, { message: `id ${ID_MESSAGE}` })
  id: string;

  @ApiProperty({
    example: 'acme',
    description: 'The tenant the source acts on (a tenant-bound key: its own).',
  })
  @IsString()
  @Matches(/^[a-z0-9-]{3,63}$/, { message: `tenantId ${ID_MESSAGE}` })
  tenantId: string;
}

export class RotateWebhookSecretDto {
  @ApiPropertyOptional({
    minimum: 0,
    maximum: MAX_OVERLAP_SECONDS,
    default: DEFAULT_OVERLAP_SECONDS,
    description: 'How long the old secret keeps verifying; 0 stops it at once.',
  })
  @IsOmittable()
  @IsInt()
  @Min(0)
  @Max(MAX_OVERLAP_SECONDS)
  overlapSeconds?: number;
}

export class WebhookSourceListQueryDto extends ListQueryDto {
  @ApiPropertyOptional({ description: 'Only this tenant (a tenant-bound key always sees only its own).' })
  @IsOmittable()
  @Matches(/^[a-z0-9-]{3,63}$/, { message: `tenantId ${ID_MESSAGE}` })
  tenantId?: string;
}

export class WebhookSourceView {
  @ApiProperty()
  id: string;
  @ApiProperty()
  tenantId: string;
  @ApiProperty({ format: 'date-time' })
  createdAt: string;
  @ApiProperty({ format: 'date-time', nullable: true, type: String })
  rotatedAt: string | null;
  @ApiProperty({
    format: 'date-time',
    nullable: true,
    type: String,
    description: 'Until then the secret before the last rotation still verifies.',
  })
  previousSecretExpiresAt: string | null;
}

export class WebhookSourceWithSecretView extends WebhookSourceView {
  @ApiProperty({
    example: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw',
    description: 'Shown only in this answer; store it in the sending system.',
  })
  secret: string;
}

export class WebhookSourceListView {
  @ApiProperty({ type: [WebhookSourceView] })
  data: WebhookSourceView[];
  @ApiProperty({ nullable: true, type: String })
  nextCursor: string | null;
}
