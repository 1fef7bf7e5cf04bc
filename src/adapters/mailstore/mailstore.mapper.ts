import { GatewayError } from '../../domain/errors';
import type { CreateUserInput, UserRecord } from '../../domain/model';
import {
  ARCHIVE_STORE_STATES,
  type ArchiveOperationStatus,
  type ArchiveStore,
  type ArchiveStoreState,
  type ArchiveVerificationReport,
  type StoreVerification,
} from '../../domain/ports/archive-service.port';
import type { MailStoreStatus } from './mailstore.client';

/** MailStore's global privileges; `none` and `admin` must stand alone. */
export const MAILSTORE_PRIVILEGES = [
  'none',
  'admin',
  'login',
  'changePassword',
  'archive',
  'modifyArchiveProfiles',
  'export',
  'modifyExportProfiles',
  'delete',
] as const;
export const MAILSTORE_AUTHENTICATIONS = ['integrated', 'directoryServices'] as const;
/** SetUserPrivilegesOnFolder's privileges; `none` stands alone and removes every privilege on the folder. */
export const MAILSTORE_FOLDER_PRIVILEGES = ['none', 'read', 'write', 'delete'] as const;
/** The `extras` an archive user accepts. */
const USER_EXTRAS = ['privileges', 'authentication', 'distinguishedName', 'archiveFolderPrivileges'] as const;
export const DEFAULT_PRIVILEGES = 'login';
/** What a new user may do in its own archive folder: the reference's CreateUser says to grant it. */
export const DEFAULT_ARCHIVE_FOLDER_PRIVILEGES = 'read';

type Json = Record<string, unknown>;

const isObject = (value: unknown): value is Json => typeof value === 'object' && value !== null;
const text = (value: unknown): string | undefined => (typeof value === 'string' ? value : undefined);
const sameAddress = (a: string, b: string): boolean => a.toLowerCase() === b.toLowerCase();
export const isAddress = (value: string): boolean => /^[^@\s]+@[^@\s]+$/.test(value);

/** Splits MailStore's comma-separated lists ("login, changePassword") or takes an array as is. */
function list(value: unknown): string[] {
  const items = Array.isArray(value) ? value : typeof value === 'string' ? value.split(',') : [];
  return items
    .filter((item): item is string => typeof item === 'string')
    .map((item) => item.trim())
    .filter((item) => item.length > 0);
}

/** A GetUserInfo (or, with fewer fields, GetUsers) entry as a neutral archive user. */
export function toUserRecord(info: unknown, includeRaw: boolean): UserRecord {
  if (!isObject(info) || typeof info.userName !== 'string') {
    throw new GatewayError('provider_unavailable', 'MailStore sent a user without a userName.', {
      provider: 'mailstore',
      status: 502,
    });
  }
  const userName = info.userName;
  const privileges = list(info.privileges);
  const hasPrivileges = 'privileges' in info;
  const record: UserRecord = {
    email: userName,
    externalId: userName,
    displayName: text(info.fullName),
    status: !hasPrivileges
      ? 'unknown'
      : privileges.includes('login') || privileges.includes('admin')
        ? 'active'
        : 'disabled',
    aliases: list(info.emailAddresses).filter((address) => !sameAddress(address, userName)),
    extras: {
      ...(hasPrivileges ? { privileges } : {}),
      ...(text(info.authentication) ? { authentication: info.authentication } : {}),
      ...(text(info.distinguishedName) ? { distinguishedName: info.distinguishedName } : {}),
      ...ownFolderPrivileges(info.privilegesOnFolders, userName),
    },
  };
  if (includeRaw) record.raw = info;
  return record;
}

/**
 * The user's privileges on its own archive folder (named after the user), from GetUserInfo's
 * `privilegesOnFolders` entries `{folder, privileges}`; none listed is `['none']`.
 */
function ownFolderPrivileges(entries: unknown, userName: string): { archiveFolderPrivileges?: string[] } {
  if (!Array.isArray(entries)) return {};
  const own = entries.find(
    (e) => isObject(e) && typeof e.folder === 'string' && sameAddress(e.folder, userName),
  );
  const privileges = own ? list((own as Json).privileges) : [];
  return { archiveFolderPrivileges: privileges.length > 0 ? privileges : ['none'] };
}

/** The full name MailStore keeps, from the neutral name fields; undefined when none was given. */
export function fullNameOf(
  input: Pick<CreateUserInput, 'displayName' | 'firstName' | 'lastName'>,
): string | undefined {
  if (input.displayName !== undefined) return input.displayName;
  const parts = [input.firstName, input.lastName].filter((p): p is string => !!p && p.trim().length > 0);
  return parts.length > 0 ? parts.join(' ') : undefined;
}

/** MailStore's address list: the user's own address first (when the user name is one), then its aliases. */
export function emailAddressesOf(userName: string, aliases: readonly string[]): string {
  const addresses = isAddress(userName) ? [userName] : [];
  for (const alias of aliases) {
    if (!addresses.some((a) => sameAddress(a, alias))) addresses.push(alias);
  }
  return addresses.join(',');
}

export interface UserExtras {
  privileges?: string;
  authentication?: string;
  distinguishedName?: string;
  /** SetUserPrivilegesOnFolder's `privileges` for the user's own archive folder. */
  archiveFolderPrivileges?: string;
}

/** Checks `extras` against what MailStore accepts, before any call. */
export function userExtrasOf(extras: Record<string, unknown> | undefined): UserExtras {
  if (!extras) return {};
  const errors: { field: string; message: string }[] = [];
  for (const key of Object.keys(extras)) {
    if (!(USER_EXTRAS as readonly string[]).includes(key)) {
      errors.push({
        field: `extras.${key}`,
        message: `not a MailStore user field (${USER_EXTRAS.join(', ')})`,
      });
    }
  }
  const result: UserExtras = {};
  if (extras.privileges !== undefined) {
    const privileges = list(extras.privileges);
    const unknown = privileges.filter((p) => !(MAILSTORE_PRIVILEGES as readonly string[]).includes(p));
    if (
      privileges.length === 0 ||
      (!Array.isArray(extras.privileges) && typeof extras.privileges !== 'string')
    ) {
      errors.push({
        field: 'extras.privileges',
        message: 'must be a non-empty list of MailStore privileges',
      });
    } else if (unknown.length > 0) {
      errors.push({
        field: 'extras.privileges',
        message: `unknown privilege(s) ${unknown.join(', ')}; allowed: ${MAILSTORE_PRIVILEGES.join(', ')}`,
      });
    } else if (privileges.length > 1 && (privileges.includes('none') || privileges.includes('admin'))) {
      errors.push({ field: 'extras.privileges', message: "'none' and 'admin' must be the only privilege" });
    } else {
      result.privileges = privileges.join(',');
    }
  }
  if (extras.archiveFolderPrivileges !== undefined) {
    const privileges = Array.isArray(extras.archiveFolderPrivileges)
      ? list(extras.archiveFolderPrivileges)
      : [];
    const allowed = MAILSTORE_FOLDER_PRIVILEGES as readonly string[];
    if (
      privileges.length === 0 ||
      privileges.length !== (extras.archiveFolderPrivileges as unknown[]).length ||
      privileges.some((p) => !allowed.includes(p)) ||
      (privileges.length > 1 && privileges.includes('none'))
    ) {
      errors.push({
        field: 'extras.archiveFolderPrivileges',
        message: `must be a non-empty list of ${MAILSTORE_FOLDER_PRIVILEGES.join(', ')} ('none' alone)`,
      });
    } else {
      result.archiveFolderPrivileges = privileges.join(',');
    }
  }
  if (extras.authentication !== undefined) {
    if (!(MAILSTORE_AUTHENTICATIONS as readonly unknown[]).includes(extras.authentication)) {
      errors.push({ field: 'extras.authentication', message: "must be 'integrated' or 'directoryServices'" });
    } else {
      result.authentication = extras.authentication as string;
    }
  }
  if (extras.distinguishedName !== undefined) {
    if (typeof extras.distinguishedName !== 'string') {
      errors.push({ field: 'extras.distinguishedName', message: 'must be a string (an LDAP DN)' });
    } else {
      result.distinguishedName = extras.distinguishedName;
    }
  }
  if (errors.length > 0) throw GatewayError.validation(errors);
  return result;
}

const isStoreState = (value: unknown): value is ArchiveStoreState =>
  (ARCHIVE_STORE_STATES as readonly unknown[]).includes(value);

/** Size in MB under the names MailStore versions use. */
function sizeMbOf(store: Json): number | undefined {
  for (const key of ['size', 'sizeInMB', 'sizeInMb', 'totalSizeInMB']) {
    if (typeof store[key] === 'number') return store[key];
  }
  return undefined;
}

/** A GetStores entry as a neutral archive store. */
export function toArchiveStore(raw: unknown): ArchiveStore {
  if (!isObject(raw) || (typeof raw.id !== 'number' && typeof raw.id !== 'string')) {
    throw new GatewayError('provider_unavailable', 'MailStore sent an archive store without an id.', {
      provider: 'mailstore',
      status: 502,
    });
  }
  const store: ArchiveStore = {
    id: String(raw.id),
    name: text(raw.name) ?? '',
    requestedState: isStoreState(raw.requestedState) ? raw.requestedState : 'normal',
  };
  if (text(raw.actualState)) store.actualState = raw.actualState as string;
  if (text(raw.databasePath)) store.databasePath = raw.databasePath as string;
  if (text(raw.contentPath)) store.contentPath = raw.contentPath as string;
  if (text(raw.indexPath)) store.indexPath = raw.indexPath as string;
  const sizeMb = sizeMbOf(raw);
  if (sizeMb !== undefined) store.sizeMb = sizeMb;
  const error = isObject(raw.error) ? text(raw.error.message) : text(raw.error);
  if (error) store.error = error;
  return store;
}

function toStoreVerification(entry: Json): StoreVerification {
  const problems = (Array.isArray(entry.problems) ? entry.problems : [])
    .map((p: unknown) => (isObject(p) ? (text(p.message) ?? JSON.stringify(p)) : String(p)))
    .filter((p) => p.length > 0);
  return {
    storeId: String(entry.id),
    name: text(entry.name) ?? '',
    consistent:
      typeof entry.consistent === 'boolean'
        ? entry.consistent && problems.length === 0
        : problems.length === 0,
    problems,
  };
}

/** A verification's per-store result as a neutral report; any other result passes through. */
function toOperationResult(result: unknown): ArchiveVerificationReport | unknown {
  const entries = Array.isArray(result) ? result : isObject(result) ? result.stores : undefined;
  if (Array.isArray(entries) && entries.every((e) => isObject(e) && 'id' in e)) {
    return { stores: (entries as Json[]).map(toStoreVerification) };
  }
  return result;
}

/** An envelope of a long-running command as a neutral operation status. */
export function toOperationStatus(
  status: MailStoreStatus,
  knownToken: string | null,
): ArchiveOperationStatus {
  return {
    token: status.token ?? knownToken,
    statusVersion: status.statusVersion,
    state: status.statusCode,
    percent: status.statusCode === 'succeeded' ? (status.percentProgress ?? 100) : status.percentProgress,
    statusText: status.statusText,
    result: status.statusCode === 'succeeded' ? toOperationResult(status.result) : null,
    error:
      status.statusCode === 'failed'
        ? (status.errorMessage ?? 'MailStore reported a failure without a message.')
        : null,
  };
}
