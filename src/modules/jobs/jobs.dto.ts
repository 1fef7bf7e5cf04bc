import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, Matches } from 'class-validator';
import { IsOmittable } from '../../common/validation/omittable';
import { ListQueryDto } from '../../common/pagination/list-query.dto';
import { ITEM_STATES, type ItemState, JOB_STATES, type JobState } from '../../jobs/job.entity';

/** The job types dashboards filter on (each feature's catalogue entries; documented as an enum). */
export const JOB_TYPES = [
  'archive.verify-store',
  'archive.verify-stores',
  'archive.compact-store',
  'migration',
];

export class JobListQueryDto extends ListQueryDto {
  @ApiPropertyOptional()
  @IsOmittable()
  @Matches(/^[a-z0-9-]{3,63}$/, { message: 'tenantId must be 3-63 of a-z, 0-9 and -' })
  tenantId?: string;

  @ApiPropertyOptional({ enum: JOB_TYPES, example: 'archive.verify-store' })
  @IsOmittable()
  @Matches(/^[a-z0-9-]+(\.[a-z0-9-]+){0,5}$/, {
    message: 'type must be a job type such as archive.verify-store',
  })
  type?: string;

  @ApiPropertyOptional({ enum: JOB_STATES })
  @IsOmittable()
  @IsIn(JOB_STATES, { message: `state must be one of ${JOB_STATES.join(', ')}` })
  state?: JobState;
}

export class JobItemQueryDto extends ListQueryDto {
  @ApiPropertyOptional({ enum: ITEM_STATES })
  @IsOmittable()
  @IsIn(ITEM_STATES, { message: `state must be one of ${ITEM_STATES.join(', ')}` })
  state?: ItemState;
}

export class JobItemCountsView {
  @ApiProperty()
  pending: number;
  @ApiProperty()
  running: number;
  @ApiProperty()
  succeeded: number;
  @ApiProperty()
  failed: number;
  @ApiProperty()
  cancelled: number;
}

export class JobProgressView {
  @ApiProperty({ description: 'Items in the job (0 for a single operation).' })
  total: number;
  @ApiProperty({ description: 'Items finished, succeeded or failed.' })
  done: number;
  @ApiProperty()
  succeeded: number;
  @ApiProperty()
  failed: number;
  @ApiProperty({ minimum: 0, maximum: 100 })
  percent: number;
  @ApiPropertyOptional({
    nullable: true,
    type: String,
    description: "The operation's own status text, when it has one.",
  })
  message?: string | null;
  @ApiPropertyOptional({
    type: JobItemCountsView,
    description: 'Items by state (batch jobs, e.g. migrations).',
  })
  items?: JobItemCountsView;
  @ApiPropertyOptional({ description: 'Items finished per second over the last few seconds (batch jobs).' })
  ratePerSecond?: number;
  @ApiPropertyOptional({
    nullable: true,
    type: String,
    format: 'date-time',
    description: 'Set while the job waits for its vendor (down or rate limiting): when it tries again.',
  })
  waitingUntil?: string | null;
}

export class JobErrorView {
  @ApiProperty({ example: 'provider_rejected' })
  code: string;
  @ApiProperty()
  detail: string;
}

export class JobView {
  @ApiProperty({ format: 'uuid' })
  id: string;
  @ApiProperty({ enum: JOB_TYPES, example: 'archive.verify-store' })
  type: string;
  @ApiProperty({ nullable: true, type: String })
  tenantId: string | null;
  @ApiProperty({ enum: JOB_STATES })
  state: JobState;
  @ApiProperty({ type: JobProgressView })
  progress: JobProgressView;
  @ApiProperty({ format: 'date-time' })
  createdAt: string;
  @ApiProperty({ format: 'date-time', nullable: true, type: String })
  startedAt: string | null;
  @ApiProperty({ format: 'date-time', nullable: true, type: String })
  finishedAt: string | null;
  @ApiProperty({
    format: 'date-time',
    nullable: true,
    type: String,
    description: 'Set while a cancel waits for the next checkpoint.',
  })
  cancelRequestedAt: string | null;
  @ApiProperty({ description: 'The API key (or system actor) that started the job.' })
  createdBy: string;
  @ApiProperty({ type: 'object', additionalProperties: true, nullable: true })
  result: Record<string, unknown> | null;
  @ApiProperty({ type: JobErrorView, nullable: true })
  error: JobErrorView | null;
}

export class JobListView {
  @ApiProperty({ type: [JobView] })
  data: JobView[];
  @ApiProperty({ nullable: true, type: String })
  nextCursor: string | null;
}

export class JobItemView {
  @ApiProperty({ example: 'ann@example.com' })
  key: string;
  @ApiProperty({ enum: ITEM_STATES })
  state: ItemState;
  @ApiProperty({ description: 'Tries so far.' })
  attempts: number;
  @ApiProperty({ nullable: true, type: String, example: 'provider_rejected' })
  code: string | null;
  @ApiProperty({ nullable: true, type: String })
  detail: string | null;
  @ApiProperty({ type: 'object', additionalProperties: true, nullable: true })
  result: Record<string, unknown> | null;
  @ApiProperty({ format: 'date-time' })
  updatedAt: string;
}

export class JobItemListView {
  @ApiProperty({ type: [JobItemView] })
  data: JobItemView[];
  @ApiProperty({ nullable: true, type: String })
  nextCursor: string | null;
}
