import { randomBytes } from 'node:crypto';

/** A user type of the simulated DataMotion installation; integrator types cannot receive migrated users. */
export interface SimUserType {
  id: number;
  name: string;
  integrator?: boolean;
}

export interface SimCompany {
  id: number;
  name: string;
  /** The user types associated with this company (155 otherwise). */
  userTypeIds: number[];
}

/** One DataMotion account (a company admin who logs on is an account too). */
export interface SimAccount {
  uid: number;
  companyId: number;
  userTypeId: number;
  email: string;
  userId: string;
  userTag: string;
  firstName: string;
  lastName: string;
  /** `YYYY-MM-DD hh:mm:ss[.nnn]`. */
  createDate: string;
  password: string;
  companyAdmin: boolean;
  disabled: boolean;
}

export type SimAccountSeed = Partial<SimAccount> & Pick<SimAccount, 'email' | 'companyId' | 'userTypeId'>;

export interface DataMotionSeed {
  companies: SimCompany[];
  userTypes: SimUserType[];
  accounts: SimAccountSeed[];
}

/** One logon as the simulator served it: start and end in epoch milliseconds (fractional). */
export interface LogonRecord {
  userIdOrEmail: string;
  startedAt: number;
  endedAt: number;
  ok: boolean;
}

interface Session {
  uid: number;
  expiresAt: number;
}

export const DEFAULT_SEED: DataMotionSeed = {
  companies: [{ id: 1001, name: 'Demo Company', userTypeIds: [3, 4] }],
  userTypes: [
    { id: 3, name: 'Standard' },
    { id: 4, name: 'Premium' },
    { id: 9, name: 'Integrator', integrator: true },
    { id: 12, name: 'Other company type' },
  ],
  accounts: [
    {
      email: 'admin@securemail.example',
      userId: 'admin',
      password: 'admin-secret',
      companyId: 1001,
      userTypeId: 3,
      companyAdmin: true,
      firstName: 'Company',
      lastName: 'Admin',
    },
  ],
};

const lower = (value: string): string => value.toLowerCase();

function nowStamp(): string {
  return new Date().toISOString().replace('T', ' ').replace('Z', '');
}

/** In-memory accounts, sessions and counters of the DataMotion simulator. */
export class DataMotionState {
  readonly accounts = new Map<number, SimAccount>();
  readonly companies = new Map<number, SimCompany>();
  readonly userTypes = new Map<number, SimUserType>();
  readonly sessions = new Map<string, Session>();
  readonly logons: LogonRecord[] = [];
  readonly stats = { migrateUsersCalls: 0, migratedUsers: 0, largestBatch: 0, logouts: 0 };
  private nextUid = 5000;
  /** Lookups by UserTag, email and UserId (lower-cased) in constant time: a 100,000-user benchmark scans nothing. */
  private readonly index = {
    tag: new Map<string, number>(),
    email: new Map<string, number>(),
    userId: new Map<string, number>(),
  };

  constructor(private readonly seed: DataMotionSeed) {
    this.reset();
  }

  reset(): void {
    this.accounts.clear();
    for (const map of Object.values(this.index)) map.clear();
    this.companies.clear();
    this.userTypes.clear();
    this.sessions.clear();
    this.logons.length = 0;
    Object.assign(this.stats, { migrateUsersCalls: 0, migratedUsers: 0, largestBatch: 0, logouts: 0 });
    this.nextUid = 5000;
    for (const company of this.seed.companies) this.companies.set(company.id, { ...company });
    for (const type of this.seed.userTypes) this.userTypes.set(type.id, { ...type });
    for (const account of this.seed.accounts) this.insert(account);
  }

  insert(seed: SimAccountSeed): SimAccount {
    const account: SimAccount = {
      uid: seed.uid ?? this.nextUid++,
      userId: seed.email,
      userTag: seed.email,
      firstName: '',
      lastName: '',
      createDate: nowStamp(),
      password: 'password',
      companyAdmin: false,
      disabled: false,
      ...seed,
    };
    this.accounts.set(account.uid, account);
    this.reindex(account);
    return account;
  }

  /** Call after changing an account's UserTag, email or UserId. */
  reindex(account: SimAccount): void {
    this.index.tag.set(account.userTag, account.uid);
    this.index.email.set(lower(account.email), account.uid);
    this.index.userId.set(lower(account.userId), account.uid);
  }

  byTag(userTag: string): SimAccount | undefined {
    return this.lookup(this.index.tag, userTag, (a) => a.userTag === userTag);
  }

  byEmail(email: string): SimAccount | undefined {
    return this.lookup(this.index.email, lower(email), (a) => lower(a.email) === lower(email));
  }

  byUserId(userId: string): SimAccount | undefined {
    return this.lookup(this.index.userId, lower(userId), (a) => lower(a.userId) === lower(userId));
  }

  /** An index entry left by a deleted or changed account does not match it any more: no such account. */
  private lookup(
    map: Map<string, number>,
    key: string,
    matches: (a: SimAccount) => boolean,
  ): SimAccount | undefined {
    const uid = map.get(key);
    const account = uid === undefined ? undefined : this.accounts.get(uid);
    return account && matches(account) ? account : undefined;
  }

  /** The account a logon names, by UserId or email address. */
  byUserIdOrEmail(value: string): SimAccount | undefined {
    return this.byUserId(value) ?? this.byEmail(value);
  }

  openSession(uid: number, ttlMs: number): string {
    const key = randomBytes(24).toString('base64url');
    this.sessions.set(key, { uid, expiresAt: Date.now() + ttlMs });
    return key;
  }

  /** The session's account, or why the key is refused (the reference's 401 texts). */
  sessionAccount(key: string | undefined): SimAccount | string {
    if (!key) return 'The X-Session-Key header is missing.';
    const session = this.sessions.get(key);
    if (!session) return 'Bad session key.';
    if (Date.now() >= session.expiresAt) return 'Session key expired.';
    return this.accounts.get(session.uid) ?? 'Bad session key.';
  }

  expireSessions(): void {
    for (const session of this.sessions.values()) session.expiresAt = 0;
  }

  activeSessions(): number {
    const now = Date.now();
    return [...this.sessions.values()].filter((s) => s.expiresAt > now).length;
  }

  snapshot(): unknown {
    return {
      accounts: [...this.accounts.values()].map(({ password: _password, ...account }) => account),
      activeSessions: this.activeSessions(),
      stats: this.counters(),
    };
  }

  counters(): Record<string, number> {
    return {
      users: this.accounts.size,
      migrateUsersCalls: this.stats.migrateUsersCalls,
      migratedUsers: this.stats.migratedUsers,
      largestBatch: this.stats.largestBatch,
      logons: this.logons.length,
      logouts: this.stats.logouts,
      activeSessions: this.activeSessions(),
    };
  }
}
