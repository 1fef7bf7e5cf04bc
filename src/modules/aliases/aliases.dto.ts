import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  ArrayMaxSize,
  ArrayMinSize,
  ArrayUnique,
  IsArray,
  IsEmail,
  Matches,
  MaxLength,
} from 'class-validator';
import { IsOmittable } from '../../common/validation/omittable';
import { ListQueryDto } from '../../common/pagination/list-query.dto';

export class AliasListQueryDto extends ListQueryDto {
  @ApiPropertyOptional({
    example: 'example.com',
    description: 'Required by providers that list aliases per domain (Hostway).',
  })
  @IsOmittable()
  @Matches(/^[A-Za-z0-9.-]{1,253}$/, { message: 'domain must be a domain name' })
  domain?: string;
}

export class PutAliasDto {
  @ApiProperty({ type: [String], example: ['a@example.com', 'b@example.org'], minItems: 1, maxItems: 100 })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(100)
  @ArrayUnique()
  @IsEmail({}, { each: true, message: 'each recipient must be an email address' })
  recipients: string[];
}

export class AddRecipientDto {
  @ApiProperty({ example: 'c@example.com' })
  @IsEmail({}, { message: 'recipient must be an email address' })
  @MaxLength(254)
  recipient: string;
}

export class AliasView {
  @ApiProperty()
  address: string;
  @ApiProperty({ type: [String] })
  recipients: string[];
}

export class AliasListView {
  @ApiProperty({ type: [AliasView] })
  data: AliasView[];
  @ApiProperty({ nullable: true, type: String })
  nextCursor: string | null;
}
