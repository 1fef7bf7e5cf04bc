import { OxSimError } from './open-xchange-sim.errors';

export interface SimPermissions {
  send: boolean;
  receive: boolean;
  maillogin: boolean;
  weblogin: boolean;
  editPassword: boolean;
}

export interface SimUser {
  uid: number;
  name: string;
  password: string;
  givenName: string;
  surName: string;
  displayName: string;
  mail: string;
  aliases: string[];
  classOfService: string[];
  language: string;
  timezone: string;
  spamLevel: string;
  isContextAdmin: boolean;
  unifiedQuota: number | null;
  mailQuota: number | null;
  fileQuota: number | null;
  usedQuota: number;
  usedMailQuota: number;
  usedFileQuota: number;
  permissions: SimPermissions;
  userAdminEnabled: boolean;
  emailBackupEnabled: boolean;
  webLoginEnabled: boolean;
  /** Cloud-Plugins per-user attributes that have no v2 field (msisdn, custom, antivirus…). */
  attributes: Record<string, unknown>;
  blacklist: string[];
  whitelist: string[];
}

export interface SimForward {
  address: string;
  forwardTo: string[];
  spamLevel: string | null;
}

export interface SimContext {
  id: number;
  name: string;
  maxQuota: number | null;
  maxUser: number | null;
  nextUid: number;
  users: Map<string, SimUser>;
  forwards: Map<string, SimForward>;
  explicitDomains: Set<string>;
}

/** A user given in the seed; unset fields get the simulator's defaults. */
export type SeedUser = Partial<Omit<SimUser, 'uid' | 'attributes' | 'permissions'>> & {
  name: string;
  mail: string;
  attributes?: Record<string, unknown>;
};

export interface SeedContext {
  name: string;
  id?: number;
  maxQuota?: number;
  maxUser?: number;
  users?: SeedUser[];
  forwards?: Array<{ address: string; forwardTo: string[]; spamLevel?: string }>;
  explicitDomains?: string[];
}

export interface OpenXchangeSeed {
  contexts?: SeedContext[];
  sharedDomains?: string[];
}

export const SPAM_LEVELS = ['low', 'medium', 'high'];
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

export const isEmail = (value: string): boolean => EMAIL.test(value);

const defaultPermissions = (): SimPermissions => ({
  send: true,
  receive: true,
  maillogin: true,
  weblogin: true,
  editPassword: true,
});

/** In-memory data of one brand: contexts with their users and forwards, and the brand's shared domains. */
export class OpenXchangeState {
  readonly contexts = new Map<number, SimContext>();
  readonly sharedDomains = new Set<string>();
  private nextContextId = 1;

  constructor(private readonly seed: OpenXchangeSeed = {}) {
    this.reset();
  }

  reset(): void {
    this.contexts.clear();
    this.sharedDomains.clear();
    this.nextContextId = 1;
    for (const domain of this.seed.sharedDomains ?? []) this.sharedDomains.add(domain);
    for (const c of this.seed.contexts ?? []) {
      const ctx = this.createContext({ name: c.name, id: c.id, maxQuota: c.maxQuota, maxUser: c.maxUser });
      for (const u of c.users ?? []) this.addUser(ctx, u);
      for (const f of c.forwards ?? []) {
        ctx.forwards.set(f.address, {
          address: f.address,
          forwardTo: [...f.forwardTo],
          spamLevel: f.spamLevel ?? null,
        });
      }
      for (const d of c.explicitDomains ?? []) ctx.explicitDomains.add(d);
    }
  }

  createContext(input: {
    name: string;
    id?: number;
    maxQuota?: number | null;
    maxUser?: number | null;
  }): SimContext {
    if (this.contextByName(input.name)) throw new OxSimError(8, input.name);
    const id = input.id ?? this.nextContextId;
    this.nextContextId = Math.max(this.nextContextId, id + 1);
    const ctx: SimContext = {
      id,
      name: input.name,
      maxQuota: input.maxQuota ?? null,
      maxUser: input.maxUser ?? null,
      nextUid: 2,
      users: new Map(),
      forwards: new Map(),
      explicitDomains: new Set(),
    };
    this.contexts.set(id, ctx);
    return ctx;
  }

  contextByName(name: string): SimContext | undefined {
    for (const ctx of this.contexts.values()) if (ctx.name === name) return ctx;
    return undefined;
  }

  /** `nameOrId` as the context paths take it: a numeric id, otherwise a name. */
  contextByNameOrId(nameOrId: string): SimContext | undefined {
    if (/^\d+$/.test(nameOrId)) {
      const byId = this.contexts.get(Number(nameOrId));
      if (byId) return byId;
    }
    return this.contextByName(nameOrId);
  }

  addUser(ctx: SimContext, u: SeedUser): SimUser {
    const user: SimUser = {
      uid: ctx.nextUid++,
      name: u.name,
      password: u.password ?? 'secret',
      givenName: u.givenName ?? '',
      surName: u.surName ?? '',
      displayName: u.displayName ?? `${u.givenName ?? ''} ${u.surName ?? ''}`.trim(),
      mail: u.mail,
      aliases: u.aliases && u.aliases.length > 0 ? [...u.aliases] : [u.mail],
      classOfService: u.classOfService ? [...u.classOfService] : [],
      language: u.language ?? 'en_US',
      timezone: u.timezone ?? 'Europe/Berlin',
      spamLevel: u.spamLevel ?? 'high',
      isContextAdmin: u.isContextAdmin ?? false,
      unifiedQuota: u.unifiedQuota ?? null,
      mailQuota: u.mailQuota ?? null,
      fileQuota: u.fileQuota ?? null,
      usedQuota: u.usedQuota ?? 0,
      usedMailQuota: u.usedMailQuota ?? 0,
      usedFileQuota: u.usedFileQuota ?? 0,
      permissions: defaultPermissions(),
      userAdminEnabled: u.userAdminEnabled ?? false,
      emailBackupEnabled: u.emailBackupEnabled ?? false,
      webLoginEnabled: u.webLoginEnabled ?? true,
      attributes: { ...(u.attributes ?? {}) },
      blacklist: [...(u.blacklist ?? [])],
      whitelist: [...(u.whitelist ?? [])],
    };
    ctx.users.set(user.name, user);
    return user;
  }

  userByUid(ctx: SimContext, uid: number): SimUser | undefined {
    for (const u of ctx.users.values()) if (u.uid === uid) return u;
    return undefined;
  }

  /** Logins are unique across the brand, like hosted OX. */
  loginExists(login: string): boolean {
    for (const ctx of this.contexts.values()) if (ctx.users.has(login)) return true;
    return false;
  }

  /** Whether an address is a user's mail or alias, or a forward, anywhere in the brand. */
  addressOwner(address: string): { ctx: SimContext; user?: SimUser; forward?: SimForward } | undefined {
    const a = address.toLowerCase();
    for (const ctx of this.contexts.values()) {
      for (const user of ctx.users.values()) {
        if (user.mail.toLowerCase() === a || user.aliases.some((x) => x.toLowerCase() === a))
          return { ctx, user };
      }
      const forward = ctx.forwards.get(address);
      if (forward) return { ctx, forward };
    }
    return undefined;
  }

  snapshot(): unknown {
    return {
      sharedDomains: [...this.sharedDomains].sort(),
      contexts: [...this.contexts.values()].map((ctx) => ({
        id: ctx.id,
        name: ctx.name,
        maxQuota: ctx.maxQuota,
        maxUser: ctx.maxUser,
        users: [...ctx.users.values()].map(({ password: _password, ...rest }) => rest),
        forwards: [...ctx.forwards.values()],
        explicitDomains: [...ctx.explicitDomains].sort(),
      })),
    };
  }
}
