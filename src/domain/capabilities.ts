import { SERVICES, type ServiceKind } from './model';
import type { ArchiveServicePort } from './ports/archive-service.port';
import type { MailServicePort } from './ports/mail-service.port';
import type { SecureMailServicePort } from './ports/secure-mail-service.port';
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

/** Secure-mail users plus the vendor's bulk create-or-update (batch migrations use it where present). */
export const SECURE_MAIL_OPERATIONS = {
  ...USER_OPERATIONS,
  'users.migrate': 'migrateUsers',
} as const satisfies Record<string, keyof SecureMailServicePort>;

export type UserOperation = keyof typeof USER_OPERATIONS;
export type MailOperation = keyof typeof MAIL_OPERATIONS;
export type ArchiveOperation = keyof typeof ARCHIVE_OPERATIONS;
export type SecureMailOperation = keyof typeof SECURE_MAIL_OPERATIONS;

/** The port adapters a provider offers, one field per service it serves. */
export interface ServicePorts {
  mail?: MailServicePort;
  archive?: ArchiveServicePort;
  secureMail?: SecureMailServicePort;
}

/**
 * The one table of services: which ServicePorts field holds a service's port and which neutral
 * operations (name → port method) the port can offer. The registry, GET /v1/providers, the 501
 * answers and the port resolver all read it; a new service is one row here plus its port.
 */
export const SERVICE_PORTS = {
  mail: { field: 'mail', catalogue: MAIL_OPERATIONS },
  archive: { field: 'archive', catalogue: ARCHIVE_OPERATIONS },
  'secure-mail': { field: 'secureMail', catalogue: SECURE_MAIL_OPERATIONS },
} as const satisfies Record<ServiceKind, { field: keyof ServicePorts; catalogue: Record<string, string> }>;

/** The port type serving a service. */
export type PortOf<S extends ServiceKind> = NonNullable<ServicePorts[(typeof SERVICE_PORTS)[S]['field']]>;
/** The neutral operations a service's port can offer (for a union of services: those they share). */
export type OperationOf<S extends ServiceKind> = keyof (typeof SERVICE_PORTS)[S]['catalogue'] & string;
/** The port method behind an operation. */
export type MethodOf<S extends ServiceKind, O extends OperationOf<S>> = Extract<
  (typeof SERVICE_PORTS)[S]['catalogue'][O],
  keyof PortOf<S>
>;

/**
 * The operations a port implementation supports are exactly the methods it implements, so
 * what GET /v1/providers declares can never drift from what the adapter does.
 */
export function supportedOperations(port: object, catalogue: Record<string, string>): string[] {
  return Object.entries(catalogue)
    .filter(([, method]) => typeof (port as Record<string, unknown>)[method] === 'function')
    .map(([operation]) => operation);
}

/** The port serving `service` among a provider's ports, if it has one. */
export function portFor(ports: ServicePorts, service: ServiceKind): object | undefined {
  return ports[SERVICE_PORTS[service].field];
}

/** Supported operations per service, for every service a provider has a port for. */
export function operationsByService(ports: ServicePorts): Partial<Record<ServiceKind, string[]>> {
  const operations: Partial<Record<ServiceKind, string[]>> = {};
  for (const service of SERVICES) {
    const port = portFor(ports, service);
    if (port) operations[service] = supportedOperations(port, SERVICE_PORTS[service].catalogue);
  }
  return operations;
}
