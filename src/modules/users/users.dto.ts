import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayUnique,
  IsArray,
  IsBoolean,
  IsEmail,
  IsIn,
  IsInt,
  IsObject,
  IsString,
  Length,
  Matches,
  Max,
  MaxLength,
  Min,
  ValidateNested,
} from 'class-validator';
import { IsOmittable } from '../../common/validation/omittable';
import { ListQueryDto } from '../../common/pagination/list-query.dto';
import { SERVICES, SPAM_LEVELS, type ServiceKind, type SpamLevel } from '../../domain/model';

const MAX_QUOTA_MB = 100_000_000;

export class ServiceQueryDto {
  @ApiPropertyOptional({ enum: SERVICES, default: 'mail' })
  @IsOmittable()
  @IsIn(SERVICES)
  service?: ServiceKind;
}

export class UserGetQueryDto extends ServiceQueryDto {
  @ApiPropertyOptional({ enum: ['raw'], description: "`raw` adds the vendor's own record." })
  @IsOmittable()
  @IsIn(['raw'])
  include?: 'raw';
}

export class UserListQueryDto extends ListQueryDto {
  @ApiPropertyOptional({ enum: SERVICES, default: 'mail' })
  @IsOmittable()
  @IsIn(SERVICES)
  service?: ServiceKind;

  @ApiPropertyOptional({ example: 'example.com' })
  @IsOmittable()
  @Matches(/^[A-Za-z0-9.-]{1,253}$/, { message: 'domain must be a domain name' })
  domain?: string;

  @ApiPropertyOptional({ example: 'jo*', description: '`*` wildcard on the address.' })
  @IsOmittable()
  @IsString()
  @MaxLength(254)
  q?: string;

  @ApiPropertyOptional({ enum: ['email', 'quota'] })
  @IsOmittable()
  @IsIn(['email', 'quota'])
  sort?: 'email' | 'quota';

  @ApiPropertyOptional({ enum: ['asc', 'desc'] })
  @IsOmittable()
  @IsIn(['asc', 'desc'])
  order?: 'asc' | 'desc';

  @ApiPropertyOptional({ enum: ['raw'] })
  @IsOmittable()
  @IsIn(['raw'])
  include?: 'raw';
}

export class MailboxInputDto {
  @ApiPropertyOptional({ minimum: 1, example: 1024, description: 'Quota in MB.' })
  @IsOmittable()
  @IsInt()
  @Min(1)
  @Max(MAX_QUOTA_MB)
  quotaMb?: number;

  @ApiPropertyOptional({
    example: 'cloud_pim',
    description: 'Plan / class of service / mailbox type, as the provider names it.',
  })
  @IsOmittable()
  @IsString()
  @Length(1, 100)
  plan?: string;

  @ApiPropertyOptional({ enum: SPAM_LEVELS })
  @IsOmittable()
  @IsIn(SPAM_LEVELS)
  spamLevel?: SpamLevel;

  @ApiPropertyOptional()
  @IsOmittable()
  @IsBoolean()
  antivirus?: boolean;

  @ApiPropertyOptional({ example: 'standard' })
  @IsOmittable()
  @IsString()
  @Length(1, 50)
  webmailAccess?: string;
}

export class MailboxPatchDto extends MailboxInputDto {
  @ApiPropertyOptional({
    type: 'object',
    additionalProperties: true,
    description: 'Vendor-specific mailbox fields (GET /v1/providers).',
  })
  @IsOmittable()
  @IsObject()
  extras?: Record<string, unknown>;
}

class UserFieldsDto {
  @ApiPropertyOptional({ example: 'John' })
  @IsOmittable()
  @IsString()
  @Length(1, 100)
  firstName?: string;

  @ApiPropertyOptional({ example: 'Doe' })
  @IsOmittable()
  @IsString()
  @Length(1, 100)
  lastName?: string;

  @ApiPropertyOptional({ example: 'John Doe' })
  @IsOmittable()
  @IsString()
  @Length(1, 200)
  displayName?: string;

  @ApiPropertyOptional({
    description: "Write-only; the provider's password rules are checked before the call.",
    writeOnly: true,
  })
  @IsOmittable()
  @IsString()
  @Length(1, 256)
  password?: string;

  @ApiPropertyOptional({ type: [String], example: ['john.d@example.com'] })
  @IsOmittable()
  @IsArray()
  @ArrayMaxSize(100)
  @ArrayUnique()
  @IsEmail({}, { each: true, message: 'each alias must be an email address' })
  aliases?: string[];

  @ApiPropertyOptional({ type: MailboxInputDto })
  @IsOmittable()
  @ValidateNested()
  @Type(() => MailboxInputDto)
  mailbox?: MailboxInputDto;

  @ApiPropertyOptional({
    type: 'object',
    additionalProperties: true,
    description: 'Vendor-specific settable fields (GET /v1/providers).',
  })
  @IsOmittable()
  @IsObject()
  extras?: Record<string, unknown>;
}

export class CreateUserDto extends UserFieldsDto {
  @ApiProperty({ example: 'john.doe@example.com' })
  @IsEmail({}, { message: 'email must be an email address' })
  @MaxLength(254)
  email: string;

  @ApiPropertyOptional({
    example: 'crm-4711',
    description:
      "The vendor's key for the user, where the provider lets the caller choose it (datamotion: the UserTag; defaults to the email). Other providers answer 422.",
  })
  @IsOmittable()
  @IsString()
  @Length(1, 255)
  externalId?: string;
}

export class UpdateUserDto extends UserFieldsDto {}

export class MailboxView {
  @ApiPropertyOptional()
  quotaMb?: number;
  @ApiPropertyOptional()
  usedMb?: number;
  @ApiPropertyOptional()
  plan?: string;
  @ApiPropertyOptional({ enum: SPAM_LEVELS })
  spamLevel?: SpamLevel;
  @ApiPropertyOptional()
  antivirus?: boolean;
  @ApiPropertyOptional()
  webmailAccess?: string;
  @ApiPropertyOptional({ type: 'object', additionalProperties: true })
  extras?: Record<string, unknown>;
}

export class UserView {
  @ApiProperty()
  email: string;
  @ApiProperty({ enum: SERVICES })
  service: ServiceKind;
  @ApiProperty()
  provider: string;
  @ApiProperty({ format: 'uuid' })
  connectionId: string;
  @ApiProperty({ nullable: true, type: String })
  externalId: string | null;
  @ApiPropertyOptional()
  firstName?: string;
  @ApiPropertyOptional()
  lastName?: string;
  @ApiPropertyOptional()
  displayName?: string;
  @ApiProperty({ enum: ['active', 'disabled', 'unknown'] })
  status: string;
  @ApiProperty({ type: [String] })
  aliases: string[];
  @ApiPropertyOptional({ type: MailboxView })
  mailbox?: MailboxView;
  @ApiPropertyOptional({ type: 'object', additionalProperties: true })
  extras?: Record<string, unknown>;
  @ApiPropertyOptional({ format: 'date-time' })
  createdAt?: string;
  @ApiPropertyOptional({ description: "The vendor's own record (with ?include=raw)." })
  raw?: unknown;
}

export class UserListView {
  @ApiProperty({ type: [UserView] })
  data: UserView[];
  @ApiProperty({ nullable: true, type: String })
  nextCursor: string | null;
}
