import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsBoolean,
  IsIn,
  IsInt,
  IsObject,
  Max,
  Min,
  ValidateNested,
} from 'class-validator';
import { IsOmittable } from '../../common/validation/omittable';
import { SERVICES, type ServiceKind } from '../../domain/model';

/** Users one JSON upload may carry; larger migrations come as CSV. */
export const MAX_JSON_USERS = 10_000;
export const MIGRATION_MODES = ['create', 'upsert'] as const;
export type MigrationMode = (typeof MIGRATION_MODES)[number];
export const DEFAULT_BATCH_SIZE = 100;
const MAX_BATCH_SIZE = 1000;

export class MigrationOptionsDto {
  @ApiPropertyOptional({ default: false, description: 'Validate and read only; no mutating vendor call.' })
  @IsOmittable()
  @IsBoolean()
  dryRun?: boolean;

  @ApiPropertyOptional({
    enum: MIGRATION_MODES,
    default: 'create',
    description: '`create`: an existing user is a `conflict` item; `upsert`: it is updated.',
  })
  @IsOmittable()
  @IsIn(MIGRATION_MODES)
  mode?: MigrationMode;

  @ApiPropertyOptional({
    minimum: 1,
    maximum: MAX_BATCH_SIZE,
    default: DEFAULT_BATCH_SIZE,
    description: 'Users per vendor call where the vendor has a bulk call (DataMotion MigrateUsers).',
  })
  @IsOmittable()
  @IsInt()
  @Min(1)
  @Max(MAX_BATCH_SIZE)
  batchSize?: number;
}

export class MigrationUserView {
  @ApiProperty({ example: 'ann@example.com' })
  email: string;
  @ApiPropertyOptional({ example: 'Ann' })
  firstName?: string;
  @ApiPropertyOptional({ example: 'Lee' })
  lastName?: string;
  @ApiPropertyOptional({ writeOnly: true, description: 'Kept encrypted only until the item finishes.' })
  password?: string;
  @ApiPropertyOptional({ description: "The vendor's own id where it has one (DataMotion UserTag)." })
  externalId?: string;
  @ApiPropertyOptional({ example: 1024 })
  quotaMb?: number;
  @ApiPropertyOptional({ example: 'standard' })
  plan?: string;
  @ApiPropertyOptional({ type: [String] })
  aliases?: string[];
  @ApiPropertyOptional({ type: 'object', additionalProperties: true })
  extras?: Record<string, unknown>;
}

/**
 * The JSON upload. Only this envelope can refuse the request; each user is checked on its own
 * and a bad one becomes a failed item (see the README, "Migrations").
 */
export class CreateMigrationDto {
  @ApiProperty({ enum: SERVICES })
  @IsIn(SERVICES)
  service: ServiceKind;

  @ApiProperty({ type: [MigrationUserView], maxItems: MAX_JSON_USERS })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(MAX_JSON_USERS, {
    message: `users may hold at most ${MAX_JSON_USERS} users; send more as CSV`,
  })
  @IsObject({ each: true, message: 'each user must be an object' })
  users: Record<string, unknown>[];

  @ApiPropertyOptional({ type: MigrationOptionsDto })
  @IsOmittable()
  @ValidateNested()
  @Type(() => MigrationOptionsDto)
  options?: MigrationOptionsDto;
}

const toBoolean = ({ value }: { value: unknown }): unknown =>
  value === 'true' ? true : value === 'false' ? false : value;
const toInteger = ({ value }: { value: unknown }): unknown =>
  typeof value === 'string' && /^[0-9]{1,7}$/.test(value) ? Number(value) : value;

/** The CSV upload's options, in the query string. */
export class CsvMigrationQueryDto {
  @ApiProperty({ enum: SERVICES })
  @IsIn(SERVICES)
  service: ServiceKind;

  @ApiPropertyOptional({ enum: ['true', 'false'], default: 'false' })
  @IsOmittable()
  @Transform(toBoolean)
  @IsBoolean({ message: 'dryRun must be true or false' })
  dryRun?: boolean;

  @ApiPropertyOptional({ enum: MIGRATION_MODES, default: 'create' })
  @IsOmittable()
  @IsIn(MIGRATION_MODES)
  mode?: MigrationMode;

  @ApiPropertyOptional({ minimum: 1, maximum: MAX_BATCH_SIZE, default: DEFAULT_BATCH_SIZE })
  @IsOmittable()
  @Transform(toInteger)
  @IsInt({ message: 'batchSize must be a whole number' })
  @Min(1)
  @Max(MAX_BATCH_SIZE)
  batchSize?: number;
}
