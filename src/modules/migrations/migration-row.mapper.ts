import type { UserInputLimits } from '../../adapters/provider-adapter';
import type { CreateUserInput } from '../../domain/model';
import { checkPassword, passwordRules, type PasswordRule } from '../../domain/password-rules';
import { isEmailAddress } from './email-address';

/** The user fields of one upload row (API.md "Migrations"), in CSV header order. */
export const MIGRATION_USER_FIELDS = [
  'email',
  'firstName',
  'lastName',
  'password',
  'externalId',
  'quotaMb',
  'plan',
  'aliases',
] as const;
export type MigrationUserField = (typeof MIGRATION_USER_FIELDS)[number];

/** What a pending item keeps as `input`: never the password (see MigrationSecrets). */
export interface MigrationItemInput {
  /** The physical CSV line of the row (header = line 1); absent for JSON. */
  line?: number;
  externalId?: string;
  user: Omit<CreateUserInput, 'password'>;
}

/** Item codes given at intake. */
export type IntakeFailureCode = 'validation_failed' | 'bad_request' | 'duplicate_in_upload';

/**
 * One row after validation: an item to run (`key` = the lower-cased address), or an item that
 * failed at intake (`key` from `failedKey`).
 */
export type RowVerdict =
  | { ok: true; key: string; line?: number; input: MigrationItemInput; password?: string }
  | { ok: false; key: string; line?: number; code: IntakeFailureCode; detail: string };

/** The neutral bounds (the same as the users API), tightened by the target vendor's declared limits. */
export interface RowRules {
  maxLength: Record<'email' | 'firstName' | 'lastName' | 'externalId' | 'plan' | 'password', number>;
  passwordRules: readonly PasswordRule[];
  /** Named in messages about vendor limits, e.g. "datamotion". */
  provider: string;
}

const NEUTRAL_MAX = { email: 254, firstName: 100, lastName: 100, externalId: 255, plan: 100, password: 256 };
const MAX_QUOTA_MB = 100_000_000;
const MAX_ALIASES = 100;
const MAX_EXTRAS = 50;
const EXTRA_NAME = /^[A-Za-z][A-Za-z0-9_]{0,63}$/;

export function rowRules(provider: string, limits: UserInputLimits | undefined): RowRules {
  const maxLength = { ...NEUTRAL_MAX };
  for (const [field, max] of Object.entries(limits?.maxLength ?? {})) {
    const name = field as keyof typeof NEUTRAL_MAX;
    if (typeof max === 'number') maxLength[name] = Math.min(maxLength[name], max);
  }
  return { maxLength, passwordRules: limits?.password ? passwordRules(limits.password) : [], provider };
}

/**
 * Length in code points, as users count characters (and as the password rules do); -1 for text
 * Postgres cannot store (NUL, or half of a surrogate pair, which JSON input can carry).
 */
function charCount(value: string): number {
  let count = value.length;
  for (let i = 0; i < value.length; i++) {
    const unit = value.charCodeAt(i);
    if (unit === 0) return -1;
    if (unit >= 0xd800 && unit <= 0xdbff) {
      const next = value.charCodeAt(i + 1);
      if (!(next >= 0xdc00 && next <= 0xdfff)) return -1;
      count--;
      i++;
    } else if (unit >= 0xdc00 && unit <= 0xdfff) return -1;
  }
  return count;
}

/** Whether every string in a JSON value (keys too) can be stored. */
function storable(value: unknown): boolean {
  if (typeof value === 'string') return charCount(value) >= 0;
  if (Array.isArray(value)) return value.every(storable);
  if (value && typeof value === 'object')
    return Object.entries(value).every(([k, v]) => charCount(k) >= 0 && storable(v));
  return true;
}

/**
 * Validates one row's user fields, as loosely typed as they arrive (JSON values, or CSV cells
 * already split by `csvRecordToUser`). Every problem is named, all at once; the row then becomes
 * a failed item instead of refusing the upload. Written by hand rather than with class-validator
 * DTOs because it runs for up to a million rows per upload: a class-validator pass costs about
 * 20 µs a row here, two thirds of the whole intake budget (30,000 rows/s); the checks are the
 * users API's (`isEmailAddress` accepts exactly what class-validator's isEmail does).
 */
export function validateRow(
  raw: Record<string, unknown>,
  rules: RowRules,
  position: RowPosition,
): RowVerdict {
  const problems: string[] = [];
  const text = (field: keyof RowRules['maxLength']): string | undefined => {
    const value = raw[field];
    if (value === undefined || value === null) return undefined;
    if (typeof value !== 'string') {
      problems.push(`${field} must be a string`);
      return undefined;
    }
    const max = rules.maxLength[field];
    const length = charCount(value);
    if (length < 0) {
      problems.push(`${field} must be text without NUL characters or broken surrogate pairs`);
      return undefined;
    }
    if (length < 1 || length > max) {
      const vendor = max < NEUTRAL_MAX[field] ? ` (${rules.provider} limit)` : '';
      problems.push(`${field} must be 1-${max} characters${vendor}, found ${length}`);
      return undefined;
    }
    return value;
  };

  for (const name in raw) {
    if (!KNOWN_FIELDS.has(name)) problems.push(`${name.slice(0, 64)} is not a known field`);
  }
  let email = text('email');
  if (raw.email === undefined || raw.email === null || raw.email === '') problems.push('email is required');
  else if (email !== undefined && !isEmailAddress(email)) {
    problems.push('email must be an email address');
    email = undefined;
  }
  const key = email?.toLowerCase();

  const user: MigrationItemInput['user'] = { email: email ?? '' };
  const firstName = text('firstName');
  if (firstName !== undefined) user.firstName = firstName;
  const lastName = text('lastName');
  if (lastName !== undefined) user.lastName = lastName;
  const password = text('password');
  if (password !== undefined) {
    for (const failure of checkPassword(password, rules.passwordRules))
      problems.push(`password ${failure.message} (${rules.provider} password rules)`);
  }
  const externalId = text('externalId');
  const plan = text('plan');
  const quotaMb = raw.quotaMb;
  if (typeof quotaMb === 'number' && Number.isInteger(quotaMb) && quotaMb >= 1 && quotaMb <= MAX_QUOTA_MB) {
    user.mailbox = { quotaMb };
  } else if (quotaMb !== undefined && quotaMb !== null) {
    problems.push(`quotaMb must be a whole number of MB from 1 to ${MAX_QUOTA_MB}`);
  }
  if (plan !== undefined) user.mailbox = { ...user.mailbox, plan };
  const aliases = aliasesOf(raw.aliases, problems);
  if (aliases) user.aliases = aliases;
  const extras = extrasOf(raw.extras, problems);
  if (extras) user.extras = extras;

  const line = position.line;
  if (problems.length) {
    const where = line === undefined ? '' : `line ${line}: `;
    return {
      ok: false,
      key: failedKey(key, position.n),
      line,
      code: 'validation_failed',
      detail: `${where}${problems.join('; ')}`,
    };
  }
  const input: MigrationItemInput = line === undefined ? { user } : { line, user };
  if (externalId !== undefined) input.externalId = externalId;
  return password === undefined
    ? { ok: true, key: key as string, line, input }
    : { ok: true, key: key as string, line, input, password };
}

/**
 * The key of an item that failed at intake: it carries its line (or position) so that it never
 * takes the plain address from the row of the same user that is migrated.
 */
export const failedKey = (email: string | undefined, n: number): string =>
  email === undefined ? `line:${n}` : `${email}#line:${n}`;

/** Where a row sits: `n` is its 1-based position among the rows (JSON) or its CSV line. */
export interface RowPosition {
  n: number;
  line?: number;
}

const KNOWN_FIELDS = new Set<string>([...MIGRATION_USER_FIELDS, 'extras']);

function aliasesOf(value: unknown, problems: string[]): string[] | undefined {
  if (value === undefined || value === null) return undefined;
  if (!Array.isArray(value)) {
    problems.push('aliases must be a list of email addresses');
    return undefined;
  }
  if (value.length > MAX_ALIASES) problems.push(`aliases may hold at most ${MAX_ALIASES} addresses`);
  const seen = new Set<string>();
  for (const alias of value) {
    if (typeof alias !== 'string' || alias.length > 254 || !isEmailAddress(alias)) {
      problems.push('each alias must be an email address');
      return undefined;
    }
    const lower = alias.toLowerCase();
    if (seen.has(lower)) {
      problems.push(`alias ${alias} is listed twice`);
      return undefined;
    }
    seen.add(lower);
  }
  return value as string[];
}

function extrasOf(value: unknown, problems: string[]): Record<string, unknown> | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'object' || Array.isArray(value)) {
    problems.push('extras must be an object');
    return undefined;
  }
  const names = Object.keys(value);
  if (names.length > MAX_EXTRAS) problems.push(`extras may hold at most ${MAX_EXTRAS} fields`);
  const bad = names.find((name) => !EXTRA_NAME.test(name));
  if (bad !== undefined) problems.push(`extras.${bad.slice(0, 64)} is not a valid extras name`);
  else if (!storable(value))
    problems.push('extras must be text without NUL characters or broken surrogate pairs');
  return names.length ? (value as Record<string, unknown>) : undefined;
}
