import { ApiProperty } from '@nestjs/swagger';
import { IsString, Length, Matches } from 'class-validator';

export const TENANT_ID_PATTERN = /^[a-z0-9-]{3,63}$/;

export class CreateTenantDto {
  @ApiProperty({ example: 'acme', pattern: TENANT_ID_PATTERN.source })
  @IsString()
  @Matches(TENANT_ID_PATTERN, { message: 'id must be 3-63 of a-z, 0-9 and -' })
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
