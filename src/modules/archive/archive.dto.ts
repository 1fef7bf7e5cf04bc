import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsBoolean, IsEmail, IsIn, IsNotEmpty, IsString, MaxLength } from 'class-validator';
import { IsOmittable } from '../../common/validation/omittable';
import { ListQueryDto } from '../../common/pagination/list-query.dto';
import { ARCHIVE_STORE_STATES, type ArchiveStoreState } from '../../domain/ports/archive-service.port';

const STATE_HELP =
  '`current` also receives newly archived messages (one store per instance); `normal` is readable and changeable; ' +
  '`writeProtected` is readable only; `disabled` stays known to the archive but its content is not available.';

/** Query strings carry booleans as text; only the two exact words count. */
const queryBoolean = ({ value }: { value: unknown }): unknown =>
  value === 'true' ? true : value === 'false' ? false : value;

export class ListArchiveStoresQueryDto extends ListQueryDto {
  @ApiPropertyOptional({
    type: Boolean,
    default: false,
    description: 'Also report each store size (`sizeMb`); MailStore may take a while to compute sizes.',
  })
  @IsOmittable()
  @Transform(queryBoolean)
  @IsBoolean()
  includeSize?: boolean;
}

export class CreateArchiveStoreDto {
  @ApiProperty({ example: 'Archive 2026', description: 'A meaningful, unique name.', maxLength: 255 })
  @IsString()
  @IsNotEmpty()
  @MaxLength(255)
  name: string;

  @ApiProperty({
    example: 'D:\\MailArchive\\acme\\Archive 2026',
    description:
      'Directory of the store database, on the archive server. When it is the only path given, MailStore derives the content and index directories from it.',
    maxLength: 1024,
  })
  @IsString()
  @IsNotEmpty()
  @MaxLength(1024)
  databasePath: string;

  @ApiPropertyOptional({ description: 'Directory of the store content.', maxLength: 1024 })
  @IsOmittable()
  @IsString()
  @IsNotEmpty()
  @MaxLength(1024)
  contentPath?: string;

  @ApiPropertyOptional({ description: 'Directory of the store search indexes.', maxLength: 1024 })
  @IsOmittable()
  @IsString()
  @IsNotEmpty()
  @MaxLength(1024)
  indexPath?: string;

  @ApiPropertyOptional({ enum: ARCHIVE_STORE_STATES, description: `State after creation. ${STATE_HELP}` })
  @IsOmittable()
  @IsIn(ARCHIVE_STORE_STATES)
  requestedState?: ArchiveStoreState;
}

export class UpdateArchiveStoreDto {
  @ApiPropertyOptional({
    example: 'Archive 2026 (closed)',
    description: 'New name (MailStore RenameStore).',
    maxLength: 255,
  })
  @IsOmittable()
  @IsString()
  @IsNotEmpty()
  @MaxLength(255)
  name?: string;

  @ApiPropertyOptional({
    enum: ARCHIVE_STORE_STATES,
    description: `New requested state (MailStore SetStoreRequestedState). ${STATE_HELP}`,
  })
  @IsOmittable()
  @IsIn(ARCHIVE_STORE_STATES)
  requestedState?: ArchiveStoreState;
}

export class ArchiveVerifyDto {
  @ApiPropertyOptional({
    type: Boolean,
    description: 'Also verify the search indexes (takes longer). Default: false.',
  })
  @IsOmittable()
  @IsBoolean()
  includeIndexes?: boolean;
}

export class ArchiveStoreView {
  @ApiProperty({ example: '3', description: "The archive's own store id." })
  id: string;

  @ApiProperty({ example: 'Archive 2026' })
  name: string;

  @ApiProperty({ enum: ARCHIVE_STORE_STATES, description: STATE_HELP })
  requestedState: ArchiveStoreState;

  @ApiPropertyOptional({
    example: 'normal',
    description:
      'What the archive reports the store to be now; differs from requestedState while opening or on error.',
  })
  actualState?: string;

  @ApiPropertyOptional()
  databasePath?: string;

  @ApiPropertyOptional()
  contentPath?: string;

  @ApiPropertyOptional()
  indexPath?: string;

  @ApiPropertyOptional({
    description: 'Size in MB, when asked for (`includeSize=true`, and always on a single store).',
  })
  sizeMb?: number;

  @ApiPropertyOptional({ description: "The archive's error text for a store that failed to open." })
  error?: string;
}

export class ArchiveStoreListView {
  @ApiProperty({ type: [ArchiveStoreView] })
  data: ArchiveStoreView[];

  @ApiProperty({ type: String, nullable: true })
  nextCursor: string | null;
}

export class RenameArchiveUserDto {
  @ApiProperty({
    example: 'john.doe@example.com',
    description:
      "The user's new name (address). MailStore keeps the user's own address in step with its name.",
    maxLength: 254,
  })
  @IsEmail({}, { message: 'must be an email address' })
  @MaxLength(254)
  newEmail: string;
}

export class ArchiveUserView {
  @ApiProperty({ example: 'john.doe@example.com' })
  email: string;
  @ApiProperty({ example: 'archive' })
  service: 'archive';
  @ApiProperty({ example: 'mailstore' })
  provider: string;
  @ApiProperty({ format: 'uuid' })
  connectionId: string;
  @ApiProperty({ type: String, nullable: true })
  externalId: string | null;
  @ApiPropertyOptional()
  displayName?: string;
  @ApiProperty({ enum: ['active', 'disabled', 'unknown'] })
  status: string;
  @ApiProperty({ type: [String], description: "The user's further e-mail addresses." })
  aliases: string[];
  @ApiPropertyOptional({
    type: 'object',
    additionalProperties: true,
    description: 'privileges, authentication, distinguishedName',
  })
  extras?: Record<string, unknown>;
}
