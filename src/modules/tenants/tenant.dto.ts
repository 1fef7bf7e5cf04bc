import { applyDecorators } from '@nestjs/common';
import { ApiProperty } from '@nestjs/swagger';
import { IsString, Length, Matches } from 'class-validator';

/** What a tenant or connection id may hold; lookups test it before a query is made. */
export const ID_PATTERN = /^[a-z0-9-]{3,63}$/;

/**
 * A new tenant or connection id: 3–63 of a-z, 0-9 and -, starting and ending with a letter or
 * digit as a DNS label does (API.md names only the characters; the edges are a house rule).
 */
export const NEW_ID_PATTERN = /^[a-z0-9][a-z0-9-]{1,61}[a-z0-9]$/;

/** The one validator of a client-chosen tenant or connection id. */
export function IsResourceId(): PropertyDecorator {
  return applyDecorators(
    IsString(),
    Matches(NEW_ID_PATTERN, {
      message: 'id must be 3-63 of a-z, 0-9 and -, starting and ending with a letter or digit',
    }),
  );
}

export class CreateTenantDto {
  @ApiProperty({ example: 'acme', pattern: NEW_ID_PATTERN.source })
  @IsResourceId()
  id: string;

  @ApiProperty({ example: 'Acme Corp', minLength: 1, maxLength: 200 })
  @IsString()
  @Length(1, 200)
  name: string;
}

export class UpdateTenantDto {
  @ApiProperty({ example: 'Acme Corporation', minLength: 1, maxLength: 200 })
  @IsString()
  @Length(1, 200)
  name: string;
}

export class TenantView {
  @ApiProperty()
  id: string;
  @ApiProperty()
  name: string;
  @ApiProperty({ format: 'date-time' })
  createdAt: string;
  @ApiProperty({ format: 'date-time' })
  updatedAt: string;
}

export class TenantListView {
  @ApiProperty({ type: [TenantView] })
  data: TenantView[];
  @ApiProperty({ nullable: true, type: String })
  nextCursor: string | null;
}
