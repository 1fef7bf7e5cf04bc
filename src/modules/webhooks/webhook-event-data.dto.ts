import { applyDecorators } from '@nestjs/common';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsEmail, IsIn, IsISO8601, IsObject, IsString, MaxLength } from 'class-validator';
import { IsOmittable } from '../../common/validation/omittable';
import { SERVICES, type ServiceKind } from '../../domain/model';
import { PutAliasDto } from '../aliases/aliases.dto';
import { CreateMigrationDto } from '../migrations/migrations.dto';
import { CreateUserDto, UpdateUserDto } from '../users/users.dto';

/** The body of a signed delivery (Standard Webhooks' recommended `{type, timestamp?, data}`). */
export class WebhookEnvelopeDto {
  @ApiProperty({ example: 'user.created' })
  @IsString()
  @MaxLength(100)
  type: string;

  @ApiPropertyOptional({ format: 'date-time', description: 'When the sender produced the event.' })
  @IsOmittable()
  @IsISO8601({ strict: true })
  timestamp?: string;

  @ApiProperty({ type: 'object', additionalProperties: true })
  @IsObject()
  data: Record<string, unknown>;
}

/** `data.service` picks the tenant's connection, as `?service=` does on the REST API (default mail). */
const AnyService = () =>
  applyDecorators(
    IsOmittable(),
    IsIn(SERVICES, { message: `service must be one of ${SERVICES.join(', ')}` }),
  );

/** Aliases belong to the mail service; `service` may only name it. */
const MailService = () =>
  applyDecorators(IsOmittable(), IsIn(['mail'], { message: 'service must be mail (aliases are mail)' }));

/** An address field of the event (the REST API takes it from the path). */
const Address = (field: string) =>
  applyDecorators(IsEmail({}, { message: `${field} must be an email address` }), MaxLength(254));

/** `POST /v1/tenants/{t}/users` body plus `service`. */
export class UserCreatedData extends CreateUserDto {
  @AnyService()
  service?: ServiceKind;
}

/** `PATCH /v1/tenants/{t}/users/{email}` body plus `email` and `service`. */
export class UserUpdatedData extends UpdateUserDto {
  @Address('email')
  email: string;

  @AnyService()
  service?: ServiceKind;
}

/** `DELETE /v1/tenants/{t}/users/{email}`: `email` and `service`. */
export class UserDeletedData {
  @Address('email')
  email: string;

  @AnyService()
  service?: ServiceKind;
}

/** `PUT /v1/tenants/{t}/aliases/{address}` body plus `address` (aliases are a mail-service feature). */
export class AliasSetData extends PutAliasDto {
  @Address('address')
  address: string;

  @MailService()
  service?: 'mail';
}

/** `DELETE /v1/tenants/{t}/aliases/{address}`: `address`. */
export class AliasDeletedData {
  @Address('address')
  address: string;

  @MailService()
  service?: 'mail';
}

/** `POST /v1/tenants/{t}/migrations` JSON body; `service` may be left out (mail). */
export class MigrationRequestedData extends CreateMigrationDto {
  @AnyService()
  declare service: ServiceKind;
}
