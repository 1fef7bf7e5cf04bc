import type { ArchiveServicePort } from './ports/archive-service.port';
import type { MailServicePort } from './ports/mail-service.port';
import type { UserDirectoryPort } from './ports/user-directory.port';

/** Neutral operation names, as listed by GET /v1/providers and used for 501 answers. */
export const USER_OPERATIONS = {
  'users.list': 'listUsers',
  'users.get': 'getUser',
  'users.create': 'createUser',
  'users.update': 'updateUser',
  'users.delete': 'deleteUser',
} as const satisfies Record<string, keyof UserDirectoryPort>;

export const MAIL_OPERATIONS = {
  ...USER_OPERATIONS,
  'mailbox.get': 'getMailbox',
  'mailbox.update': 'updateMailbox',
  'aliases.list': 'listAliases',
  'aliases.get': 'getAlias',
  'aliases.put': 'putAlias',
  'aliases.delete': 'deleteAlias',
  'aliases.recipients.add': 'addAliasRecipient',
  'aliases.recipients.remove': 'removeAliasRecipient',
  'domains.list': 'listDomains',
  'domains.get': 'getDomain',
  'domains.create': 'createDomain',
  'domains.delete': 'deleteDomain',
} as const satisfies Record<string, keyof MailServicePort>;

/** Archive users plus stores; long operations (compact, verify) also need getOperationStatus to be followed. */
export const ARCHIVE_OPERATIONS = {
  ...USER_OPERATIONS,
  'users.rename': 'renameUser',
  'stores.list': 'listStores',
  'stores.get': 'getStore',
  'stores.create': 'createStore',
  'stores.attach': 'attachStore',
  'stores.rename': 'renameStore',
  'stores.set-requested-state': 'setStoreRequestedState',
  'stores.detach': 'detachStore',
  'stores.refresh-statistics': 'refreshStoreStatistics',
  'stores.repair-database': 'repairStoreDatabase',
  'stores.retry-open': 'retryOpenStores',
  'stores.compact': 'startCompactStore',
  'stores.verify': 'startVerifyStore',
  verify: 'startVerifyStores',
} as const satisfies Record<string, keyof ArchiveServicePort>;

export type UserOperation = keyof typeof USER_OPERATIONS;
export type MailOperation = keyof typeof MAIL_OPERATIONS;
export type ArchiveOperation = keyof typeof ARCHIVE_OPERATIONS;

/**
 * The operations a port implementation supports are exactly the methods it implements, so
 * what GET /v1/providers declares can never drift from what the adapter does.
 */
export function supportedOperations(port: object, catalogue: Record<string, string>): string[] {
  return Object.entries(catalogue)
    .filter(([, method]) => typeof (port as Record<string, unknown>)[method] === 'function')
    .map(([operation]) => operation);
}
