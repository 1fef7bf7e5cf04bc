import { GatewayError, type FieldError } from '../../domain/errors';
import type { CreateUserInput, UpdateUserInput, UserRecord } from '../../domain/model';
import type { MigrateResultWire, MigrateUserWire } from './datamotion.client';
import type { RemoteAccount } from './datamotion.remote';

/** The reference's field rules (datamotion-smc-migrate-users.txt), checked before any call. */
export const FIELD_LIMITS = { UserTag: 50, UserId: 50, FirstName: 50, LastName: 50, Email: 100 } as const;

/** `YYYY-MM-DD hh:mm:ss[.nnn]`, the only CreateDate the reference accepts. */
const CREATE_DATE = /^(\d{4})-(\d{2})-(\d{2}) (\d{2}):(\d{2}):(\d{2})(\.\d{1,3})?$/;
/** What DataMotion calls an invalid email (90/100) is not documented; this is the common shape. */
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

export const DATAMOTION_EXTRAS = ['userId', 'userTypeId', 'createDate'] as const;

/** One user's MigrateUsers entry and the request-level values it needs (one Password and UserTypeId per call). */
export interface MigrateEntry {
  user: MigrateUserWire;
  password?: string;
  /** Undefined: the connection's `settings.userTypeId` (create) or the account's own (change). */
  userTypeId?: number;
}

export function isCreateDate(value: string): boolean {
  const m = CREATE_DATE.exec(value);
  if (!m) return false;
  const [y, mo, d, h, mi, s] = m.slice(1, 7).map(Number);
  const date = new Date(Date.UTC(y, mo - 1, d, h, mi, s));
  return date.getUTCMonth() === mo - 1 && date.getUTCDate() === d && h < 24 && mi < 60 && s < 60;
}

function checkLength(
  errors: FieldError[],
  field: string,
  wire: keyof typeof FIELD_LIMITS,
  value: string | undefined,
): void {
  const max = FIELD_LIMITS[wire];
  if (value !== undefined && value.length > max) {
    errors.push({ field, message: `must be at most ${max} characters (DataMotion ${wire})` });
  }
}

interface ParsedExtras {
  userId?: string;
  userTypeId?: number;
  createDate?: string;
}

function parseExtras(extras: Record<string, unknown> | undefined, errors: FieldError[]): ParsedExtras {
  const parsed: ParsedExtras = {};
  for (const [name, value] of Object.entries(extras ?? {})) {
    if (name === 'userId') {
      if (typeof value === 'string' && value !== '') parsed.userId = value;
      else errors.push({ field: 'extras.userId', message: 'must be a non-empty string' });
    } else if (name === 'userTypeId') {
      if (typeof value === 'number' && Number.isInteger(value) && value > 0 && value <= 2_147_483_647)
        parsed.userTypeId = value;
      else errors.push({ field: 'extras.userTypeId', message: 'must be a positive integer' });
    } else if (name === 'createDate') {
      if (typeof value === 'string' && isCreateDate(value)) parsed.createDate = value;
      else
        errors.push({ field: 'extras.createDate', message: 'must be a date as YYYY-MM-DD hh:mm:ss[.nnn]' });
    } else {
      errors.push({
        field: `extras.${name}`,
        message: `is not a DataMotion extra (${DATAMOTION_EXTRAS.join(', ')})`,
      });
    }
  }
  return parsed;
}

function refuseUnmapped(input: UpdateUserInput, errors: FieldError[]): void {
  if (input.aliases !== undefined && input.aliases.length > 0) {
    errors.push({ field: 'aliases', message: 'DataMotion accounts have no additional addresses' });
  }
  if (input.mailbox !== undefined)
    errors.push({ field: 'mailbox', message: 'DataMotion accounts have no mailbox settings' });
}

function throwIfAny(errors: FieldError[]): void {
  if (errors.length > 0) throw GatewayError.validation(errors);
}

/**
 * A user to create or update by UserTag (externalId, default the email): UserId defaults to the
 * email; every field rule of the reference is checked here. `passwordRequired` is set for a
 * create through the users API (DataMotion refuses a create without one, status 90).
 */
export function toMigrateEntry(input: CreateUserInput, passwordRequired: boolean): MigrateEntry {
  const errors: FieldError[] = [];
  const extras = parseExtras(input.extras, errors);
  refuseUnmapped(input, errors);
  const userTag = input.externalId ?? input.email;
  const userId = extras.userId ?? input.email;
  if (!EMAIL.test(input.email)) errors.push({ field: 'email', message: 'must be an email address' });
  checkLength(errors, 'email', 'Email', input.email);
  checkLength(errors, 'externalId', 'UserTag', userTag);
  if (userTag === '') errors.push({ field: 'externalId', message: 'must not be empty (DataMotion UserTag)' });
  checkLength(errors, 'extras.userId', 'UserId', userId);
  checkLength(errors, 'firstName', 'FirstName', input.firstName);
  checkLength(errors, 'lastName', 'LastName', input.lastName);
  if (passwordRequired && !input.password) {
    errors.push({ field: 'password', message: 'is required: DataMotion creates no account without one' });
  }
  throwIfAny(errors);
  return {
    user: {
      UserTag: userTag,
      Email: input.email,
      UserId: userId,
      FirstName: input.firstName,
      LastName: input.lastName,
      CreateDate: extras.createDate,
    },
    password: input.password,
    userTypeId: extras.userTypeId,
  };
}

/**
 * A change of the account whose UserTag is `userTag`. The entry carries no Email (the users API
 * has no email change), and only the UserId it changes, so that MigrateUsers cannot create an
 * account for an unknown tag: a create needs both, and DataMotion answers 90 instead.
 */
export function toUpdateEntry(userTag: string, patch: UpdateUserInput): MigrateEntry {
  const errors: FieldError[] = [];
  const extras = parseExtras(patch.extras, errors);
  refuseUnmapped(patch, errors);
  checkLength(errors, 'email', 'UserTag', userTag);
  checkLength(errors, 'extras.userId', 'UserId', extras.userId);
  checkLength(errors, 'firstName', 'FirstName', patch.firstName);
  checkLength(errors, 'lastName', 'LastName', patch.lastName);
  throwIfAny(errors);
  return {
    user: {
      UserTag: userTag,
      UserId: extras.userId,
      FirstName: patch.firstName,
      LastName: patch.lastName,
      CreateDate: extras.createDate,
    },
    password: patch.password,
    userTypeId: extras.userTypeId,
  };
}

/** The last date isoOf converted: a bulk answer's users mostly share their CreateDate. */
let lastIso: { createDate: string; iso: string | undefined } = { createDate: '', iso: undefined };

/** `2024-05-01 10:00:00.123` (DataMotion, no zone: taken as UTC) → ISO 8601. */
function isoOf(createDate: string | undefined): string | undefined {
  if (!createDate) return undefined;
  if (createDate !== lastIso.createDate) {
    const iso = isCreateDate(createDate)
      ? new Date(`${createDate.replace(' ', 'T')}Z`).toISOString()
      : undefined;
    lastIso = { createDate, iso };
  }
  return lastIso.iso;
}

function recordOf(
  fields: {
    Email?: string;
    UserTag?: string;
    FirstName?: string;
    LastName?: string;
    UserId?: string;
    UserTypeId?: number;
    CompanyId?: number;
    Uid?: number;
    CreateDate?: string;
  },
  fallbackEmail: string,
  status: UserRecord['status'],
  raw: unknown,
): UserRecord {
  const extras: Record<string, unknown> = {};
  if (fields.UserId) extras.userId = fields.UserId;
  if (fields.UserTypeId) extras.userTypeId = fields.UserTypeId;
  if (fields.CompanyId) extras.companyId = fields.CompanyId;
  if (fields.Uid) extras.uid = fields.Uid;
  if (fields.CreateDate) extras.createDate = fields.CreateDate;
  const record: UserRecord = {
    email: fields.Email || fallbackEmail,
    externalId: fields.UserTag || null,
    firstName: fields.FirstName || undefined,
    lastName: fields.LastName || undefined,
    status,
    aliases: [],
    extras,
    createdAt: isoOf(fields.CreateDate),
  };
  if (raw !== undefined) record.raw = raw;
  return record;
}

/** A successful MigrateUsers result (DataMotion echoes the account as migrated). */
export function fromMigrateResult(result: MigrateResultWire, fallbackEmail: string): UserRecord {
  return recordOf(result, fallbackEmail, 'active', undefined);
}

/** `created` or `updated`, from the result's Action (`Create`/`Update`; the exact words are a guess). */
export function actionOf(result: MigrateResultWire): 'created' | 'updated' {
  return /^update/i.test(result.Action ?? '') ? 'updated' : 'created';
}

/** A /Remote account. */
export function fromRemoteAccount(account: RemoteAccount, includeRaw: boolean): UserRecord {
  return recordOf(
    account,
    account.Email ?? '',
    account.IsDisabled ? 'disabled' : 'active',
    includeRaw ? account : undefined,
  );
}
