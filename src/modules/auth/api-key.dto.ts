import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  ArrayMaxSize,
  ArrayMinSize,
  ArrayUnique,
  IsArray,
  IsIn,
  // eslint-disable-next-line no-restricted-imports -- tenantId is nullable, see below
  IsOptional,
  IsString,
  Length,
  Matches,
} from 'class-validator';
import { SCOPES } from '../../common/auth/scopes';

export class CreateApiKeyDto {
  @ApiProperty({ example: 'portal-backend', minLength: 1, maxLength: 100 })
  @IsString()
  @Length(1, 100)
  name: string;

  @ApiPropertyOptional({
    description:
      'Bind the key to one tenant; omit (or send null) for a global key (global keys need a global admin key).',
    nullable: true,
  })
  // The one nullable input field: null has always meant "global".
  @IsOptional()
  @IsString()
  @Matches(/^[a-z0-9-]{3,63}$/, { message: 'tenantId must be 3-63 of a-z, 0-9 and -' })
  tenantId?: string;

  @ApiProperty({ enum: SCOPES, isArray: true, example: ['users:read', 'users:write'] })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(SCOPES.length)
  @ArrayUnique()
  @IsIn(SCOPES, { each: true, message: `each scope must be one of ${SCOPES.join(', ')}` })
  scopes: string[];
}

export class ApiKeyView {
  @ApiProperty({ example: 'k3x9q2m7a1b4c8d0' })
  id: string;

  @ApiProperty()
  name: string;

  @ApiProperty({ nullable: true, type: String })
  tenantId: string | null;

  @ApiProperty({ enum: SCOPES, isArray: true })
  scopes: string[];

  @ApiProperty({ format: 'date-time' })
  createdAt: string;

  @ApiProperty({ nullable: true, type: String, format: 'date-time' })
  revokedAt: string | null;
}

export class CreatedApiKeyView extends ApiKeyView {
  @ApiProperty({
    description: 'The secret key, shown once; only a hash is stored.',
    example: 'mr_live_k3x9q2m7a1b4c8d0_…',
  })
  key: string;
}

export class ApiKeyListView {
  @ApiProperty({ type: [ApiKeyView] })
  data: ApiKeyView[];

  @ApiProperty({ nullable: true, type: String })
  nextCursor: string | null;
}
