/** The services a connection can hold; `?service=` on the users API selects one. */
export const SERVICES = ['mail', 'archive', 'secure-mail'] as const;
export type ServiceKind = (typeof SERVICES)[number];

export const SPAM_LEVELS = ['low', 'medium', 'high'] as const;
export type SpamLevel = (typeof SPAM_LEVELS)[number];

export type UserStatus = 'active' | 'disabled' | 'unknown';

/** Mailbox settings; a field is absent where the vendor has no such field. */
export interface MailboxSettings {
  quotaMb?: number;
  usedMb?: number;
  plan?: string;
  spamLevel?: SpamLevel;
  antivirus?: boolean;
  webmailAccess?: string;
  /** Vendor-specific mailbox fields, documented per provider under GET /v1/providers. */
  extras?: Record<string, unknown>;
}

/** A user as an adapter reports it; the gateway adds provider and connection. */
export interface UserRecord {
  email: string;
  externalId: string | null;
  firstName?: string;
  lastName?: string;
  displayName?: string;
  status: UserStatus;
  aliases: string[];
  mailbox?: MailboxSettings;
  extras?: Record<string, unknown>;
  createdAt?: string;
  /** The vendor's own record, returned only with `?include=raw`. */
  raw?: unknown;
}

export interface CreateUserInput {
  email: string;
  /** The vendor's key for the user where the caller may choose it (DataMotion's UserTag); defaults to the email. */
  externalId?: string;
  firstName?: string;
  lastName?: string;
  displayName?: string;
  /** Write-only: passed through to the vendor and forgotten. */
  password?: string;
  aliases?: string[];
  mailbox?: {
    quotaMb?: number;
    plan?: string;
    spamLevel?: SpamLevel;
    antivirus?: boolean;
    webmailAccess?: string;
  };
  extras?: Record<string, unknown>;
}

export type UpdateUserInput = Partial<Omit<CreateUserInput, 'email' | 'externalId'>>;

export type MailboxPatch = Omit<MailboxSettings, 'usedMb'>;

export interface UserListQuery {
  domain?: string;
  /** `*` wildcard on the address. */
  q?: string;
  sort?: 'email' | 'quota';
  order?: 'asc' | 'desc';
  limit: number;
  /** Opaque adapter cursor from a previous page. */
  cursor?: string;
  includeRaw?: boolean;
}

export interface Page<T> {
  data: T[];
  nextCursor: string | null;
}

export interface Alias {
  address: string;
  recipients: string[];
}

export interface AliasListQuery {
  domain?: string;
  limit: number;
  cursor?: string;
}

export type DomainKind = 'shared' | 'explicit';

export interface MailDomain {
  name: string;
  kind: DomainKind;
}
