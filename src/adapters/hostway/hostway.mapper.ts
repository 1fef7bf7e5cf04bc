import { GatewayError, type FieldError } from '../../domain/errors';
import type {
  CreateUserInput,
  MailboxPatch,
  MailboxSettings,
  UpdateUserInput,
  UserListQuery,
  UserRecord,
} from '../../domain/model';
import { checkPassword, passwordRules } from '../../domain/password-rules';
import type {
  HostwayLink,
  HostwayListItem,
  HostwayListParams,
  HostwayMailbox,
  HostwayMailboxWrite,
} from './hostway.client';

/**
 * Hostway's documented password rules (PROTOCOLS.md): 8–128 characters with an upper-case letter,
 * a lower-case letter, a digit and a special character. The reference documents no forbidden
 * prefixes, so none are enforced.
 */
const HOSTWAY_PASSWORD_RULES = passwordRules({
  minLength: 8,
  maxLength: 128,
  uppercase: true,
  lowercase: true,
  digit: true,
  special: true,
});

export const MAILBOX_NAME = /^[a-zA-Z0-9._-]+$/;
const HOSTWAY_TYPES = ['standard', 'activesync', 'premium'] as const;

export interface HostwayAddress {
  mailboxName: string;
  domain: string;
}

/** Splits an address into Hostway's mailbox name and domain, refusing names Hostway cannot hold. */
export function parseAddress(address: string, field = 'email'): HostwayAddress {
  const at = address.lastIndexOf('@');
  const mailboxName = at > 0 ? address.slice(0, at) : '';
  const domain = at > 0 ? address.slice(at + 1).toLowerCase() : '';
  if (!mailboxName || !domain) {
    throw GatewayError.validation([{ field, message: 'must be an address of the form name@domain' }]);
  }
  if (!MAILBOX_NAME.test(mailboxName)) {
    throw GatewayError.validation([
      {
        field,
        message: `hostway mailbox names may contain only letters, digits, ".", "_" and "-" (pattern [a-zA-Z0-9._-]+)`,
      },
    ]);
  }
  return { mailboxName, domain };
}

const address = (mailboxName: string, domain: string): string => `${mailboxName}@${domain}`;

/** Mailbox settings from whatever Hostway told us: the listing item (type, trials) and/or the mailbox (usage). */
export function toMailboxSettings(
  item: HostwayListItem | undefined,
  mailbox: HostwayMailbox | undefined,
): MailboxSettings {
  const quota = mailbox?.quota ?? item?.quota;
  const master = mailbox?.master ?? item?.master;
  const type = item?.webmailAccess;
  return {
    ...(quota === undefined ? {} : { quotaMb: quota }),
    ...(mailbox === undefined ? {} : { usedMb: mailbox.usage }),
    ...(type === undefined ? {} : { plan: type, webmailAccess: type }),
    extras: {
      ...(master === undefined ? {} : { master }),
      ...(item?.trialType === undefined ? {} : { trialType: item.trialType }),
      ...(item?.trialExpiration === undefined ? {} : { trialExpiration: item.trialExpiration }),
    },
  };
}

export function toUserRecord(
  domain: string,
  source: { item?: HostwayListItem; mailbox?: HostwayMailbox },
  includeRaw: boolean,
): UserRecord {
  const mailboxName = source.mailbox?.username ?? source.item?.username ?? '';
  const email = address(mailboxName, domain);
  return {
    email,
    externalId: email,
    // Hostway keeps no account state besides the mailbox's existence.
    status: 'active',
    aliases: [],
    mailbox: toMailboxSettings(source.item, source.mailbox),
    ...(includeRaw ? { raw: { listing: source.item, mailbox: source.mailbox } } : {}),
  };
}

function fail(errors: FieldError[]): never {
  throw GatewayError.validation(errors);
}

function typeFrom(mailbox: { plan?: string; webmailAccess?: string } | undefined, errors: FieldError[]) {
  const plan = mailbox?.plan;
  const webmail = mailbox?.webmailAccess;
  for (const [field, value] of [
    ['mailbox.plan', plan],
    ['mailbox.webmailAccess', webmail],
  ] as const) {
    if (value !== undefined && !(HOSTWAY_TYPES as readonly string[]).includes(value)) {
      errors.push({ field, message: `hostway allows ${HOSTWAY_TYPES.join(', ')}` });
    }
  }
  if (plan !== undefined && webmail !== undefined && plan !== webmail) {
    errors.push({
      field: 'mailbox.webmailAccess',
      message: 'hostway stores one mailbox type: plan and webmailAccess must agree',
    });
  }
  return plan ?? webmail;
}

function masterFrom(extras: Record<string, unknown> | undefined, prefix: string, errors: FieldError[]) {
  let master: 0 | 1 | undefined;
  for (const [key, value] of Object.entries(extras ?? {})) {
    const field = `${prefix}${key}`;
    if (key === 'master') {
      if (value === 0 || value === false) master = 0;
      else if (value === 1 || value === true) master = 1;
      else errors.push({ field, message: 'hostway allows 0 or 1' });
    } else if (key === 'trialType' || key === 'trialExpiration') {
      errors.push({ field, message: `hostway does not let ${key} be set through its API (read-only)` });
    } else {
      errors.push({ field, message: `hostway has no ${key}; the settable extra is master` });
    }
  }
  return master;
}

function quotaFrom(quotaMb: number | undefined, errors: FieldError[]) {
  if (quotaMb !== undefined && (!Number.isInteger(quotaMb) || quotaMb < 0)) {
    errors.push({ field: 'mailbox.quotaMb', message: 'hostway quotas are whole megabytes, 0 or more' });
  }
  return quotaMb;
}

function rejectUnsupportedMailboxFields(
  mailbox: { spamLevel?: unknown; antivirus?: unknown } | undefined,
  errors: FieldError[],
) {
  if (mailbox?.spamLevel !== undefined)
    errors.push({ field: 'mailbox.spamLevel', message: 'hostway does not store spamLevel' });
  if (mailbox?.antivirus !== undefined)
    errors.push({ field: 'mailbox.antivirus', message: 'hostway does not store antivirus' });
}

function compact(write: HostwayMailboxWrite): HostwayMailboxWrite {
  return Object.fromEntries(Object.entries(write).filter(([, v]) => v !== undefined)) as HostwayMailboxWrite;
}

/**
 * The `PUT …/mailbox` body for a user create or update. Names are dropped, not refused: other
 * vendors require them, and a portal must work unchanged here (the descriptor says so, and the
 * user returned carries no names). Any other field Hostway cannot store is refused (422 naming
 * the field), so a caller never believes it was saved.
 */
export function mailboxWriteFromUser(
  input: CreateUserInput | UpdateUserInput,
  creating: boolean,
): HostwayMailboxWrite {
  const errors: FieldError[] = [];
  if (input.aliases !== undefined && input.aliases.length > 0) {
    errors.push({
      field: 'aliases',
      message:
        'hostway has no additional addresses on a mailbox; forwards are managed through the aliases resource',
    });
  }
  rejectUnsupportedMailboxFields(input.mailbox, errors);
  const type = typeFrom(input.mailbox, errors);
  const quota = quotaFrom(input.mailbox?.quotaMb, errors);
  const master = masterFrom(input.extras, 'extras.', errors);
  if (creating && !input.password)
    errors.push({ field: 'password', message: 'hostway requires a password to create a mailbox' });
  if (input.password !== undefined) {
    for (const failure of checkPassword(input.password, HOSTWAY_PASSWORD_RULES)) {
      errors.push({ field: 'password', message: `hostway password ${failure.message}` });
    }
  }
  if (errors.length > 0) fail(errors);
  return compact({ password: input.password, master, quota, type });
}

/** The `PUT …/mailbox` body for a mailbox settings patch. */
export function mailboxWriteFromPatch(patch: MailboxPatch): HostwayMailboxWrite {
  const errors: FieldError[] = [];
  rejectUnsupportedMailboxFields(patch, errors);
  const type = typeFrom(patch, errors);
  const quota = quotaFrom(patch.quotaMb, errors);
  const master = masterFrom(patch.extras, 'extras.', errors);
  if (errors.length > 0) fail(errors);
  return compact({ master, quota, type });
}

const GLOB_CHARS = /[.*+?^${}()|[\]\\]/g;

function globMatches(pattern: string, value: string): boolean {
  const source = pattern
    .split('*')
    .map((part) => part.replace(GLOB_CHARS, '\\$&'))
    .join('.*');
  return new RegExp(`^${source}$`, 'i').test(value);
}

/**
 * Hostway filters on the mailbox name within one domain. `q` without `@` is a pattern on the
 * mailbox name; with `@`, its domain part must match the listed domain, or nothing can match
 * (`undefined`: answer an empty page without asking Hostway).
 */
export function filterFromQuery(
  q: string | undefined,
  domain: string,
): { filterUsername?: string } | undefined {
  if (q === undefined || q === '') return {};
  const at = q.lastIndexOf('@');
  if (at < 0) return { filterUsername: q };
  const local = q.slice(0, at);
  if (!globMatches(q.slice(at + 1), domain)) return undefined;
  return local === '' || local === '*' ? {} : { filterUsername: local };
}

interface CursorState {
  page: number;
  pageSize: number;
}

/** Opaque to callers; holds Hostway's page and page size (base64url JSON). */
export function encodeCursor(state: CursorState): string {
  return Buffer.from(JSON.stringify({ p: state.page, s: state.pageSize }), 'utf8').toString('base64url');
}

export function decodeCursor(cursor: string): CursorState {
  try {
    const parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as {
      p?: unknown;
      s?: unknown;
    };
    if (
      Number.isInteger(parsed.p) &&
      Number.isInteger(parsed.s) &&
      (parsed.p as number) > 0 &&
      (parsed.s as number) > 0
    ) {
      return { page: parsed.p as number, pageSize: parsed.s as number };
    }
  } catch {
    // Falls through to the validation error below.
  }
  throw GatewayError.validation([{ field: 'cursor', message: 'is not a cursor this listing issued' }]);
}

/** The page to ask for: the cursor's (whose page size wins, so pages never shift) or the first. */
export function pageFrom(query: { limit: number; cursor?: string }): CursorState {
  return query.cursor ? decodeCursor(query.cursor) : { page: 1, pageSize: query.limit };
}

/**
 * Follows Hostway's `next` link: no link (last page) or an empty list ends the listing. The page
 * and size are read from the link itself; a link without them means the page after this one.
 */
export function nextCursorFrom(links: HostwayLink[], listed: number, current: CursorState): string | null {
  if (listed === 0) return null;
  const next = links.find((l) => l.rel === 'next');
  if (!next) return null;
  let page = current.page + 1;
  let pageSize = current.pageSize;
  try {
    const params = new URL(next.href, 'http://hostway.invalid').searchParams;
    const p = Number(params.get('page'));
    const s = Number(params.get('pageSize'));
    if (Number.isInteger(p) && p > 0) page = p;
    if (Number.isInteger(s) && s > 0) pageSize = s;
  } catch {
    // An unparsable href still says there is a next page.
  }
  return encodeCursor({ page, pageSize });
}

/** The neutral listing query as Hostway parameters (sorting always explicit, so pages are stable). */
export function listParams(
  query: UserListQuery,
  filter: { filterUsername?: string },
  page: CursorState,
): HostwayListParams {
  return {
    ...filter,
    page: page.page,
    pageSize: page.pageSize,
    sortField: query.sort === 'quota' ? 'quota' : 'username',
    sortOrder: query.order === 'desc' ? 'desc' : 'asc',
    details: true,
  };
}

export function requireDomain(domain: string | undefined): string {
  if (!domain) {
    throw GatewayError.validation([
      { field: 'domain', message: 'hostway lists one domain at a time: pass ?domain=' },
    ]);
  }
  return domain.toLowerCase();
}
