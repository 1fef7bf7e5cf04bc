import type { ServiceKind } from '../domain/model';
import type { ArchiveServicePort } from '../domain/ports/archive-service.port';
import type { CallContext } from '../domain/ports/call-context';
import type { MailServicePort } from '../domain/ports/mail-service.port';
import type { UserDirectoryPort } from '../domain/ports/user-directory.port';

/** A credential or setting a connection of this provider takes. */
export interface ConnectionFieldSpec {
  name: string;
  required: boolean;
  description: string;
}

/** A vendor-specific field reachable through `extras`, documented under GET /v1/providers. */
export interface ExtraFieldSpec {
  name: string;
  /** Where the field lives in the neutral API. */
  on: 'user' | 'mailbox' | 'store';
  type: string;
  description: string;
}

/** A neutral, writable user or mailbox field that a vendor may or may not keep. */
export type UserField =
  | 'firstName'
  | 'lastName'
  | 'displayName'
  | 'aliases'
  | 'quotaMb'
  | 'plan'
  | 'spamLevel'
  | 'antivirus'
  | 'webmailAccess';

export interface ProviderDescriptor {
  name: string;
  displayName: string;
  services: ServiceKind[];
  credentials: ConnectionFieldSpec[];
  settings: ConnectionFieldSpec[];
  extras: ExtraFieldSpec[];
  /**
   * The neutral fields this vendor keeps and returns. A name field (firstName, lastName,
   * displayName) not listed is still accepted on create and update, so a portal written for a
   * vendor that requires names works unchanged, but it is never returned; notes say what happens
   * to any other unlisted field.
   */
  userFields: UserField[];
  /** Plain-words notes on how the neutral API maps onto this vendor (what maps, what does not). */
  notes: string[];
}

/**
 * One class per vendor: stateless, so one instance serves every tenant; all per-call state
 * (connection, credentials, the vendor-call recorder) arrives in the CallContext.
 */
export interface ProviderAdapter {
  readonly descriptor: ProviderDescriptor;
  readonly mail?: MailServicePort;
  readonly archive?: ArchiveServicePort;
  readonly secureMail?: UserDirectoryPort;
  /** A cheap authenticated call proving the connection works; returns a short description. */
  check(ctx: CallContext): Promise<string>;
}
