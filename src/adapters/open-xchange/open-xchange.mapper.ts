import { GatewayError, type FieldError } from '../../domain/errors';
import {
  SPAM_LEVELS,
  type CreateUserInput,
  type MailboxSettings,
  type SpamLevel,
  type UpdateUserInput,
  type UserRecord,
} from '../../domain/model';
import type { OxChangeUser, OxCreateUser, OxUser } from './open-xchange.client';

/** User-level extras: v2 fields with no neutral counterpart. */
const OX_USER_EXTRAS = ['classOfService', 'language', 'timezone'] as const;

const isSpamLevel = (value: unknown): value is SpamLevel => SPAM_LEVELS.includes(value as SpamLevel);
const sameAddress = (a: string, b: string): boolean => a.toLowerCase() === b.toLowerCase();

/** OX keeps either one unified quota or separate mail and file quotas; the mailbox shows the mail side. */
function usesSplitQuota(user: OxUser): boolean {
  return user.unifiedQuota == null && (user.mailQuota != null || user.fileQuota != null);
}

export function toMailbox(user: OxUser): MailboxSettings {
  const split = usesSplitQuota(user);
  const quota = split ? user.mailQuota : user.unifiedQuota;
  const used = split ? user.usedMailQuota : (user.usedQuota ?? user.usedMailQuota);
  const mailbox: MailboxSettings = {};
  if (quota != null) mailbox.quotaMb = quota;
  if (used != null) mailbox.usedMb = used;
  if (user.classOfService?.[0] !== undefined) mailbox.plan = user.classOfService[0];
  if (isSpamLevel(user.spamLevel)) mailbox.spamLevel = user.spamLevel;
  return mailbox;
}

export function toUserRecord(user: OxUser, includeRaw: boolean): UserRecord {
  const extras: Record<string, unknown> = {};
  const otherClasses = user.classOfService?.slice(1) ?? [];
  if (otherClasses.length > 0) extras.classOfService = otherClasses;
  if (user.language) extras.language = user.language;
  if (user.timezone) extras.timezone = user.timezone;
  const record: UserRecord = {
    email: user.mail,
    externalId: user.name,
    firstName: user.givenName,
    lastName: user.surName,
    displayName: user.displayName,
    status: 'active',
    aliases: (user.aliases ?? []).filter((a) => !sameAddress(a, user.mail)),
    mailbox: toMailbox(user),
  };
  if (Object.keys(extras).length > 0) record.extras = extras;
  if (includeRaw) record.raw = user;
  return record;
}

function stringList(field: string, value: unknown, errors: FieldError[]): string[] | undefined {
  if (value === undefined) return undefined;
  if (!Array.isArray(value) || !value.every((v) => typeof v === 'string')) {
    errors.push({ field, message: 'must be an array of strings' });
    return undefined;
  }
  return value;
}

interface UserExtras {
  classOfService?: string[];
  language?: string;
  timezone?: string;
}

/** Checks the user extras OX accepts; anything else is refused rather than silently dropped. */
function readUserExtras(extras: Record<string, unknown> | undefined, errors: FieldError[]): UserExtras {
  const out: UserExtras = {};
  for (const [key, value] of Object.entries(extras ?? {})) {
    if (key === 'classOfService') out.classOfService = stringList('extras.classOfService', value, errors);
    else if (key === 'language' || key === 'timezone') {
      if (typeof value === 'string' && value !== '') out[key] = value;
      else errors.push({ field: `extras.${key}`, message: 'must be a non-empty string' });
    } else
      errors.push({
        field: `extras.${key}`,
        message: `is not an Open-Xchange user field (${OX_USER_EXTRAS.join(', ')})`,
      });
  }
  return out;
}

function checkQuota(quotaMb: number | undefined, errors: FieldError[]): void {
  if (quotaMb !== undefined && (!Number.isInteger(quotaMb) || quotaMb <= 0)) {
    errors.push({
      field: 'mailbox.quotaMb',
      message: 'must be a positive whole number of MB (Open-Xchange has no zero quota)',
    });
  }
}

function aliasesWithPrimary(email: string, aliases: string[]): string[] {
  const rest = aliases.filter((a) => !sameAddress(a, email));
  return [email, ...rest.filter((a, i) => rest.findIndex((b) => sameAddress(a, b)) === i)];
}

/**
 * CreateUser v2 from the neutral input. OX requires a password and both names; their absence is
 * reported here, before any vendor call. The login is the email address.
 */
export function toCreateUser(input: CreateUserInput): OxCreateUser {
  const errors: FieldError[] = [];
  const required: Array<[keyof CreateUserInput, string]> = [
    ['password', 'is required by Open-Xchange'],
    ['firstName', 'is required by Open-Xchange (givenName)'],
    ['lastName', 'is required by Open-Xchange (surName)'],
  ];
  for (const [field, message] of required) {
    const value = input[field];
    if (typeof value !== 'string' || value.trim() === '') errors.push({ field, message });
  }
  const extras = readUserExtras(input.extras, errors);
  checkQuota(input.mailbox?.quotaMb, errors);
  if (input.mailbox?.webmailAccess !== undefined) {
    errors.push({ field: 'mailbox.webmailAccess', message: 'is not supported by Open-Xchange' });
  }
  if (errors.length > 0) throw GatewayError.validation(errors);

  const body: OxCreateUser = {
    name: input.email,
    password: input.password as string,
    givenName: input.firstName as string,
    surName: input.lastName as string,
    mail: input.email,
  };
  if (input.displayName) body.displayName = input.displayName;
  const plan = input.mailbox?.plan;
  const classes = [...(plan ? [plan] : []), ...(extras.classOfService ?? [])];
  if (classes.length > 0) body.classOfService = classes;
  if (input.aliases && input.aliases.length > 0)
    body.aliases = aliasesWithPrimary(input.email, input.aliases);
  if (input.mailbox?.spamLevel) body.spamLevel = input.mailbox.spamLevel;
  if (input.mailbox?.quotaMb !== undefined) body.unifiedQuota = input.mailbox.quotaMb;
  if (extras.language) body.language = extras.language;
  if (extras.timezone) body.timezone = extras.timezone;
  return body;
}

const sameList = (a: readonly string[], b: readonly string[]): boolean =>
  a.length === b.length && a.every((x, i) => x === b[i]);

/** ChangeUser v2 holding only what differs from the current record; empty when nothing does. */
export function toChangeUser(current: OxUser, patch: UpdateUserInput): OxChangeUser {
  const errors: FieldError[] = [];
  const extras = readUserExtras(patch.extras, errors);
  checkQuota(patch.mailbox?.quotaMb, errors);
  if (patch.mailbox?.webmailAccess !== undefined) {
    errors.push({ field: 'mailbox.webmailAccess', message: 'is not supported by Open-Xchange' });
  }
  if (patch.password !== undefined && patch.password.trim() === '') {
    errors.push({ field: 'password', message: 'must not be empty' });
  }
  if (errors.length > 0) throw GatewayError.validation(errors);

  const change: OxChangeUser = {};
  if (patch.password !== undefined) change.password = patch.password;
  if (patch.firstName !== undefined && patch.firstName !== current.givenName)
    change.givenName = patch.firstName;
  if (patch.lastName !== undefined && patch.lastName !== current.surName) change.surName = patch.lastName;
  if (patch.displayName !== undefined && patch.displayName !== current.displayName)
    change.displayName = patch.displayName;
  if (patch.aliases !== undefined) {
    const aliases = aliasesWithPrimary(current.mail, patch.aliases);
    if (!sameList(aliases, current.aliases ?? [])) change.aliases = aliases;
  }
  const currentClasses = current.classOfService ?? [];
  const plan = patch.mailbox?.plan ?? currentClasses[0];
  const others = extras.classOfService ?? currentClasses.slice(1);
  const classes = plan === undefined ? others : [plan, ...others.filter((c) => c !== plan)];
  if (!sameList(classes, currentClasses)) change.classOfService = classes;
  if (patch.mailbox?.spamLevel !== undefined && patch.mailbox.spamLevel !== current.spamLevel) {
    change.spamLevel = patch.mailbox.spamLevel;
  }
  const quota = patch.mailbox?.quotaMb;
  if (quota !== undefined) {
    if (usesSplitQuota(current)) {
      if (quota !== current.mailQuota) change.mailQuota = quota;
    } else if (quota !== current.unifiedQuota) change.unifiedQuota = quota;
  }
  if (extras.language !== undefined && extras.language !== current.language)
    change.language = extras.language;
  if (extras.timezone !== undefined && extras.timezone !== current.timezone)
    change.timezone = extras.timezone;
  return change;
}
