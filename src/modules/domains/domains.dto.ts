import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, Matches } from 'class-validator';
import { IsOmittable } from '../../common/validation/omittable';
import type { DomainKind } from '../../domain/model';

export const DOMAIN_NAME = /^(?=.{1,253}$)([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/i;

export class CreateDomainDto {
  @ApiProperty({ example: 'example.com' })
  @Matches(DOMAIN_NAME, { message: 'name must be a domain name' })
  name: string;

  @ApiPropertyOptional({ enum: ['shared', 'explicit'], default: 'shared' })
  @IsOmittable()
  @IsIn(['shared', 'explicit'])
  kind?: DomainKind;
}

export class DomainView {
  @ApiProperty()
  name: string;
  @ApiProperty({ enum: ['shared', 'explicit'] })
  kind: DomainKind;
}

export class DomainListView {
  @ApiProperty({ type: [DomainView] })
  data: DomainView[];
  @ApiProperty({
    nullable: true,
    type: String,
    description: 'Always null: providers return every domain at once.',
  })
  nextCursor: null;
}
