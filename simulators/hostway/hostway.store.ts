/** In-memory Hostway data: accounts → domains → mailboxes (usernames) → forwards. */

export const MAILBOX_TYPES = ['standard', 'activesync', 'premium'] as const;
export type MailboxType = (typeof MAILBOX_TYPES)[number];

export interface HostwayMailbox {
  username: string;
  password: string;
  master: 0 | 1;
  /** Megabytes. */
  quota: number;
  /** Megabytes in use. */
  usage: number;
  /** Sent as `type` on PUT; the listing shows it as `webmailAccess` with `details=1`. */
  type: MailboxType;
  trialType?: MailboxType;
  /** `YYYY-mm-dd`. */
  trialExpiration?: string;
  forwards: string[];
}

export interface HostwayDomain {
  name: string;
  /** Megabytes. */
  quota: number;
  /** Domain-name aliases (`GET …/aliases`), not address aliases. */
  aliases: string[];
  /** Keyed by `mailboxKey(username)`, in creation order. */
  mailboxes: Map<string, HostwayMailbox>;
}

export interface HostwayAccount {
  name: string;
  domains: Map<string, HostwayDomain>;
}

export interface MailboxSeed {
  username: string;
  password?: string;
  master?: 0 | 1;
  quota?: number;
  usage?: number;
  type?: MailboxType;
  trialType?: MailboxType;
  trialExpiration?: string;
  forwards?: string[];
}

export interface DomainSeed {
  name: string;
  quota?: number;
  aliases?: string[];
  mailboxes?: MailboxSeed[];
}

export interface AccountSeed {
  name: string;
  domains: DomainSeed[];
}

export interface HostwaySeed {
  accounts: AccountSeed[];
}

/** Mailbox names are case-insensitive, like the local part of an address at most mail hosts. */
export const mailboxKey = (username: string): string => username.toLowerCase();

export const DEFAULT_MAILBOX_QUOTA_MB = 1024;
export const DEFAULT_DOMAIN_QUOTA_MB = 10240;
const SEED_PASSWORD = 'Seeded-Passw0rd!';

export class HostwayStore {
  readonly accounts = new Map<string, HostwayAccount>();

  constructor(private readonly seed: HostwaySeed = { accounts: [] }) {
    this.reset();
  }

  /** Back to the seed: accounts and domains are provisioned outside this API, so they survive a reset. */
  reset(): void {
    this.accounts.clear();
    for (const account of this.seed.accounts) {
      const domains = new Map<string, HostwayDomain>();
      for (const d of account.domains) {
        const mailboxes = new Map<string, HostwayMailbox>();
        for (const m of d.mailboxes ?? []) {
          mailboxes.set(mailboxKey(m.username), {
            username: m.username,
            password: m.password ?? SEED_PASSWORD,
            master: m.master ?? 0,
            quota: m.quota ?? DEFAULT_MAILBOX_QUOTA_MB,
            usage: m.usage ?? 0,
            type: m.type ?? 'standard',
            ...(m.trialType === undefined ? {} : { trialType: m.trialType }),
            ...(m.trialExpiration === undefined ? {} : { trialExpiration: m.trialExpiration }),
            forwards: [...(m.forwards ?? [])],
          });
        }
        domains.set(d.name.toLowerCase(), {
          name: d.name.toLowerCase(),
          quota: d.quota ?? DEFAULT_DOMAIN_QUOTA_MB,
          aliases: [...(d.aliases ?? [])],
          mailboxes,
        });
      }
      this.accounts.set(account.name, { name: account.name, domains });
    }
  }

  domain(account: string, domain: string): HostwayDomain | undefined {
    return this.accounts.get(account)?.domains.get(domain.toLowerCase());
  }

  /** Finds a mailbox anywhere in the simulator by its address, for delivery-loop checks. */
  mailboxByAddress(address: string): HostwayMailbox | undefined {
    const at = address.lastIndexOf('@');
    if (at <= 0) return undefined;
    const local = address.slice(0, at);
    const domain = address.slice(at + 1).toLowerCase();
    for (const account of this.accounts.values()) {
      const found = account.domains.get(domain)?.mailboxes.get(mailboxKey(local));
      if (found) return found;
    }
    return undefined;
  }

  /**
   * True when forwarding `from` to `targets` would deliver back to `from`, directly or through
   * the forwards of other mailboxes this simulator holds.
   */
  wouldLoop(from: string, targets: string[]): boolean {
    const origin = from.toLowerCase();
    const seen = new Set<string>();
    const queue = targets.map((t) => t.toLowerCase());
    while (queue.length > 0) {
      const next = queue.shift() as string;
      if (next === origin) return true;
      if (seen.has(next)) continue;
      seen.add(next);
      const mailbox = this.mailboxByAddress(next);
      if (mailbox) queue.push(...mailbox.forwards.map((t) => t.toLowerCase()));
    }
    return false;
  }

  /** Plain-object view for `GET /__sim/state`; passwords are shown only as set or not. */
  snapshot(): unknown {
    return {
      accounts: [...this.accounts.values()].map((a) => ({
        name: a.name,
        domains: [...a.domains.values()].map((d) => ({
          name: d.name,
          quota: d.quota,
          aliases: d.aliases,
          mailboxes: [...d.mailboxes.values()].map(({ password, ...rest }) => ({
            ...rest,
            passwordSet: password.length > 0,
          })),
        })),
      })),
    };
  }
}
