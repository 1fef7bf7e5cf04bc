import type {
  Alias,
  AliasListQuery,
  MailDomain,
  MailboxPatch,
  MailboxSettings,
  Page,
  DomainKind,
} from '../model';
import type { CallContext } from './call-context';
import type { UserDirectoryPort } from './user-directory.port';

/** Hosted mail: users, their mailbox settings, aliases (forwards) and mail domains. */
export interface MailServicePort extends UserDirectoryPort {
  getMailbox?(ctx: CallContext, email: string): Promise<MailboxSettings>;
  updateMailbox?(ctx: CallContext, email: string, patch: MailboxPatch): Promise<MailboxSettings>;

  listAliases?(ctx: CallContext, query: AliasListQuery): Promise<Page<Alias>>;
  getAlias?(ctx: CallContext, address: string): Promise<Alias>;
  /** Creates the alias or replaces its recipients. */
  putAlias?(ctx: CallContext, address: string, recipients: string[]): Promise<Alias>;
  deleteAlias?(ctx: CallContext, address: string): Promise<void>;
  addAliasRecipient?(ctx: CallContext, address: string, recipient: string): Promise<Alias>;
  removeAliasRecipient?(ctx: CallContext, address: string, recipient: string): Promise<Alias>;

  listDomains?(ctx: CallContext): Promise<MailDomain[]>;
  getDomain?(ctx: CallContext, name: string): Promise<MailDomain>;
  createDomain?(ctx: CallContext, name: string, kind: DomainKind): Promise<MailDomain>;
  deleteDomain?(ctx: CallContext, name: string): Promise<void>;
}
