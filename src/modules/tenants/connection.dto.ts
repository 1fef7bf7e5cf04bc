import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  ArrayMaxSize,
  ArrayMinSize,
  ArrayUnique,
  IsArray,
  IsIn,
  IsObject,
  IsString,
  MaxLength,
} from 'class-validator';
import { IsOmittable } from '../../common/validation/omittable';
import { SERVICES, type ServiceKind } from '../../domain/model';
import { IsResourceId, NEW_ID_PATTERN } from './tenant.dto';

export class CreateConnectionDto {
  @ApiPropertyOptional({
    example: 'archive-main',
    pattern: NEW_ID_PATTERN.source,
    description:
      'Chosen by the caller, unique within the tenant (409 `conflict` when taken); generated (a uuid) when omitted. ' +
      'Every `{connectionId}` path takes it.',
  })
  @IsOmittable()
  @IsResourceId()
  id?: string;

  @ApiProperty({ example: 'open-xchange', description: 'A provider name from GET /v1/providers.' })
  @IsString()
  @MaxLength(64)
  provider: string;

  @ApiProperty({
    example: 'https://provisioning.example.com',
    description: 'http(s) only; private hosts refused unless allowed.',
  })
  @IsString()
  @MaxLength(2048)
  baseUrl: string;

  @ApiProperty({
    description: 'Write-only: stored encrypted (AES-256-GCM), never returned, logged or audited.',
    example: { username: 'brand', password: 'secret' },
    type: 'object',
    additionalProperties: { type: 'string' },
  })
  @IsObject()
  credentials: Record<string, unknown>;

  @ApiPropertyOptional({ example: { context: 'acme' }, type: 'object', additionalProperties: true })
  @IsOmittable()
  @IsObject()
  settings?: Record<string, unknown>;

  @ApiPropertyOptional({
    enum: SERVICES,
    isArray: true,
    description: 'Defaults to every service the provider offers.',
  })
  @IsOmittable()
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(SERVICES.length)
  @ArrayUnique()
  @IsIn(SERVICES, { each: true })
  services?: ServiceKind[];
}

export class UpdateConnectionDto {
  @ApiPropertyOptional()
  @IsOmittable()
  @IsString()
  @MaxLength(2048)
  baseUrl?: string;

  @ApiPropertyOptional({
    description: 'Replaces the stored credentials whole (write-only).',
    type: 'object',
    additionalProperties: { type: 'string' },
  })
  @IsOmittable()
  @IsObject()
  credentials?: Record<string, unknown>;

  @ApiPropertyOptional({
    description: 'Replaces the settings whole.',
    type: 'object',
    additionalProperties: true,
  })
  @IsOmittable()
  @IsObject()
  settings?: Record<string, unknown>;

  @ApiPropertyOptional({ enum: SERVICES, isArray: true })
  @IsOmittable()
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(SERVICES.length)
  @ArrayUnique()
  @IsIn(SERVICES, { each: true })
  services?: ServiceKind[];
}

export class ConnectionView {
  @ApiProperty({
    example: 'archive-main',
    description: 'Unique within the tenant: chosen at creation, or a generated uuid.',
  })
  id: string;
  @ApiProperty()
  tenantId: string;
  @ApiProperty()
  provider: string;
  @ApiProperty()
  baseUrl: string;
  @ApiProperty({ type: 'object', additionalProperties: true })
  settings: Record<string, unknown>;
  @ApiProperty({ enum: SERVICES, isArray: true })
  services: ServiceKind[];
  @ApiProperty({ format: 'date-time' })
  createdAt: string;
  @ApiProperty({ format: 'date-time' })
  updatedAt: string;
}

export class ConnectionListView {
  @ApiProperty({ type: [ConnectionView] })
  data: ConnectionView[];
  @ApiProperty({ nullable: true, type: String })
  nextCursor: string | null;
}

export class ConnectionCheckView {
  @ApiProperty()
  ok: boolean;
  @ApiProperty()
  latencyMs: number;
  @ApiProperty()
  detail: string;
}
