import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { OxSimError } from './open-xchange-sim.errors';
import {
  isEmail,
  SPAM_LEVELS,
  type OpenXchangeState,
  type SimContext,
  type SimPermissions,
  type SimUser,
} from './open-xchange-sim.state';

export interface CloudApiV2Options {
  /** Class-of-service names the brand knows; others are rejected with code 13. */
  classesOfService: readonly string[];
  /** Recipients one forward may hold (codes 25/26 beyond). */
  maxForwardRecipients: number;
}

type Query = Record<string, string | undefined>;
type Body = Record<string, unknown>;

const V2 = '/cloudapi/v2';
const QUOTA_FIELDS = ['unifiedQuota', 'mailQuota', 'fileQuota'] as const;
const PERMISSION_FIELDS = ['send', 'receive', 'maillogin', 'weblogin', 'editPassword'] as const;

const query = (request: FastifyRequest): Query => request.query as Query;
const params = (request: FastifyRequest): Record<string, string> => request.params as Record<string, string>;
const flag = (value: string | undefined): boolean => value === 'true';

function objectBody(request: FastifyRequest): Body {
  const body = request.body;
  if (body === null || typeof body !== 'object' || Array.isArray(body)) {
    throw new OxSimError(5);
  }
  return body as Body;
}

/** A `*` wildcard pattern as OX's list calls take it, matched case-insensitively. */
function wildcard(pattern: string | undefined): (value: string) => boolean {
  if (!pattern || pattern === '*') return () => true;
  const escaped = pattern.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*');
  const re = new RegExp(`^${escaped}$`, 'i');
  return (value) => re.test(value);
}

function typeCheck(body: Body, field: string, type: 'string' | 'integer' | 'boolean' | 'array'): void {
  const value = body[field];
  if (value === undefined || value === null) return;
  const ok =
    type === 'integer'
      ? Number.isInteger(value)
      : type === 'array'
        ? Array.isArray(value) && value.every((v) => typeof v === 'string')
        : typeof value === type;
  if (!ok) throw new OxSimError(15, field);
}

function checkUserBody(body: Body, options: CloudApiV2Options): void {
  for (const f of [
    'name',
    'newName',
    'password',
    'givenName',
    'surName',
    'mail',
    'displayName',
    'language',
  ]) {
    typeCheck(body, f, 'string');
  }
  for (const f of ['timezone', 'spamLevel']) typeCheck(body, f, 'string');
  for (const f of QUOTA_FIELDS) typeCheck(body, f, 'integer');
  for (const f of ['classOfService', 'aliases']) typeCheck(body, f, 'array');
  for (const f of ['userAdminEnabled', 'emailBackupEnabled']) typeCheck(body, f, 'boolean');

  const has = (f: string): boolean => body[f] !== undefined && body[f] !== null;
  if (has('unifiedQuota') && (has('mailQuota') || has('fileQuota'))) throw new OxSimError(11);
  for (const f of QUOTA_FIELDS) if (has(f) && (body[f] as number) <= 0) throw new OxSimError(12);
  if (has('spamLevel') && !SPAM_LEVELS.includes(body.spamLevel as string)) {
    throw new OxSimError(36, String(body.spamLevel));
  }
  if (has('mail') && !isEmail(body.mail as string)) throw new OxSimError(24, String(body.mail));
  for (const alias of (body.aliases as string[] | null | undefined) ?? []) {
    if (!isEmail(alias)) throw new OxSimError(24, alias);
  }
  const invalidCos = ((body.classOfService as string[] | null | undefined) ?? []).filter(
    (c) => !options.classesOfService.includes(c),
  );
  if (invalidCos.length > 0) throw new OxSimError(13, invalidCos.join(', '));
}

function userView(ctx: SimContext, user: SimUser, q: Query): Record<string, unknown> {
  const view: Record<string, unknown> = {
    name: user.name,
    givenName: user.givenName,
    surName: user.surName,
    mail: user.mail,
    displayName: user.displayName,
    isContextAdmin: user.isContextAdmin,
    classOfService: user.classOfService,
    language: user.language,
    aliases: user.aliases,
    timezone: user.timezone,
    spamLevel: user.spamLevel,
    contextName: ctx.name,
    emailBackupEnabled: user.emailBackupEnabled,
  };
  if (user.unifiedQuota !== null) {
    view.unifiedQuota = user.unifiedQuota;
    view.usedQuota = user.usedQuota;
  } else {
    if (user.mailQuota !== null) view.mailQuota = user.mailQuota;
    if (user.fileQuota !== null) view.fileQuota = user.fileQuota;
    view.usedMailQuota = user.usedMailQuota;
    view.usedFileQuota = user.usedFileQuota;
  }
  if (flag(q.includeid)) view.uid = user.uid;
  if (flag(q.includewebloginenabled)) view.webLoginEnabled = user.webLoginEnabled;
  if (flag(q.includeuseradminenabled)) view.userAdminEnabled = user.userAdminEnabled;
  if (flag(q.includepermissions)) view.userPermissions = user.permissions;
  return view;
}

function applyQuota(user: SimUser, body: Body): void {
  if (body.unifiedQuota !== undefined && body.unifiedQuota !== null) {
    user.unifiedQuota = body.unifiedQuota as number;
    user.mailQuota = null;
    user.fileQuota = null;
  }
  for (const f of ['mailQuota', 'fileQuota'] as const) {
    if (body[f] !== undefined && body[f] !== null) {
      user[f] = body[f] as number;
      user.unifiedQuota = null;
    }
  }
}

function applyPermissions(target: SimPermissions, source: unknown): void {
  if (source === null || typeof source !== 'object') return;
  for (const f of PERMISSION_FIELDS) {
    const value = (source as Record<string, unknown>)[f];
    if (typeof value === 'boolean') target[f] = value;
  }
}

/** Registers the Cloud Provisioning REST API v2 paths this simulator serves. */
export function registerCloudApiV2(
  app: FastifyInstance,
  state: OpenXchangeState,
  options: CloudApiV2Options,
): void {
  /** The context chosen by `?name=` or `?id=`; neither is code 4, as on the real API. */
  const contextOf = (request: FastifyRequest): SimContext => {
    const q = query(request);
    if (q.name) {
      const ctx = state.contextByName(q.name);
      if (!ctx) throw new OxSimError(3, q.name);
      return ctx;
    }
    if (q.id) {
      const ctx = /^\d+$/.test(q.id) ? state.contexts.get(Number(q.id)) : undefined;
      if (!ctx) throw new OxSimError(3, q.id);
      return ctx;
    }
    throw new OxSimError(4);
  };

  const userOf = (ctx: SimContext, login: string): SimUser => {
    const user = ctx.users.get(login);
    if (!user) throw new OxSimError(1);
    return user;
  };

  const ensureAddressFree = (address: string, except?: SimUser): void => {
    const owner = state.addressOwner(address);
    if (owner && owner.user !== except) throw new OxSimError(33, address);
  };

  // Users
  app.get(`${V2}/users`, async (request) => {
    const ctx = contextOf(request);
    const q = query(request);
    const match = wildcard(q.pattern ?? undefined);
    return [...ctx.users.values()]
      .filter((u) => match(u.name) || match(u.mail) || match(u.displayName))
      .map((u) => userView(ctx, u, q));
  });

  app.get(`${V2}/users/count`, async (request) => ({ count: contextOf(request).users.size }));

  app.post(`${V2}/users`, async (request) => {
    const ctx = contextOf(request);
    const body = objectBody(request);
    const missing = ['name', 'password', 'givenName', 'surName', 'mail'].filter(
      (f) => typeof body[f] !== 'string' || body[f] === '',
    );
    if (missing.length > 0) throw new OxSimError(7, missing.join(', '));
    checkUserBody(body, options);
    const name = body.name as string;
    const mail = body.mail as string;
    if (state.loginExists(name)) throw new OxSimError(32, name);
    const aliases = (body.aliases as string[] | null | undefined) ?? [mail];
    if (!aliases.some((a) => a.toLowerCase() === mail.toLowerCase())) throw new OxSimError(37);
    for (const address of aliases) ensureAddressFree(address);
    if (ctx.maxUser !== null && ctx.users.size >= ctx.maxUser + 1)
      throw new OxSimError(38, String(ctx.maxUser));

    const user = state.addUser(ctx, {
      name,
      mail,
      password: body.password as string,
      givenName: body.givenName as string,
      surName: body.surName as string,
      displayName: (body.displayName as string | null | undefined) ?? undefined,
      aliases,
      classOfService: (body.classOfService as string[] | null | undefined) ?? undefined,
      language: (body.language as string | null | undefined) ?? undefined,
      timezone: (body.timezone as string | null | undefined) ?? undefined,
      spamLevel: (body.spamLevel as string | null | undefined) ?? undefined,
      userAdminEnabled: (body.userAdminEnabled as boolean | null | undefined) ?? undefined,
      emailBackupEnabled: (body.emailBackupEnabled as boolean | null | undefined) ?? undefined,
    });
    applyQuota(user, body);
    applyPermissions(user.permissions, body.userPermissions);
    return userView(ctx, user, query(request));
  });

  app.get(`${V2}/users/:login`, async (request) => {
    const ctx = contextOf(request);
    return userView(ctx, userOf(ctx, params(request).login), query(request));
  });

  app.put(`${V2}/users/:login`, async (request, reply) => {
    const ctx = contextOf(request);
    const user = userOf(ctx, params(request).login);
    const body = objectBody(request);
    checkUserBody(body, options);
    const set = <K extends keyof SimUser>(field: K, value: unknown): void => {
      if (value !== undefined && value !== null) user[field] = value as SimUser[K];
    };
    const newName = body.newName as string | null | undefined;
    if (newName && newName !== user.name && state.loginExists(newName)) throw new OxSimError(32, newName);
    const mail = (body.mail as string | null | undefined) ?? user.mail;
    const aliases = (body.aliases as string[] | null | undefined) ?? undefined;
    if (aliases && !aliases.some((a) => a.toLowerCase() === mail.toLowerCase())) throw new OxSimError(37);
    for (const address of [mail, ...(aliases ?? [])]) ensureAddressFree(address, user);

    if (newName && newName !== user.name) {
      ctx.users.delete(user.name);
      user.name = newName;
      ctx.users.set(newName, user);
    }
    if (body.mail && !aliases && !user.aliases.includes(mail)) user.aliases = [mail, ...user.aliases];
    set('mail', body.mail);
    set('aliases', aliases);
    for (const f of [
      'password',
      'givenName',
      'surName',
      'displayName',
      'language',
      'timezone',
      'spamLevel',
    ] as const) {
      set(f, body[f]);
    }
    set('classOfService', body.classOfService);
    set('userAdminEnabled', body.userAdminEnabled);
    set('emailBackupEnabled', body.emailBackupEnabled);
    applyQuota(user, body);
    applyPermissions(user.permissions, body.userPermissions);
    return reply.code(200).send();
  });

  app.delete(`${V2}/users/:login`, async (request, reply) => {
    const ctx = contextOf(request);
    const user = userOf(ctx, params(request).login);
    ctx.users.delete(user.name);
    return reply.code(200).send();
  });

  app.head(`${V2}/users/:login/exists`, async (request, reply) => {
    return reply.code(state.loginExists(params(request).login) ? 200 : 404).send();
  });

  app.get(`${V2}/users/:login/permissions`, async (request) => {
    const ctx = contextOf(request);
    return userOf(ctx, params(request).login).permissions;
  });

  app.put(`${V2}/users/:login/permissions`, async (request, reply) => {
    const ctx = contextOf(request);
    applyPermissions(userOf(ctx, params(request).login).permissions, objectBody(request));
    return reply.code(200).send();
  });

  app.head(`${V2}/mail/alias/:alias/exists`, async (request, reply) => {
    return reply.code(state.addressOwner(params(request).alias)?.user ? 200 : 404).send();
  });

  // Mail forwards
  const forwardOf = (ctx: SimContext, address: string) => {
    const forward = ctx.forwards.get(address);
    if (!forward) throw new OxSimError(22, address);
    return forward;
  };

  const recipientList = (value: unknown): string[] => {
    if (!Array.isArray(value) || value.length === 0 || !value.every((v) => typeof v === 'string')) {
      throw new OxSimError(7, 'forwardTo');
    }
    for (const r of value as string[]) if (!isEmail(r)) throw new OxSimError(24, r);
    return value as string[];
  };

  const addRecipients = (forward: { forwardTo: string[] }, recipients: string[]): void => {
    const merged = [...forward.forwardTo];
    for (const r of recipients) if (!merged.includes(r)) merged.push(r);
    if (merged.length > options.maxForwardRecipients) throw new OxSimError(25);
    forward.forwardTo = merged;
  };

  app.get(`${V2}/mail/forwards`, async (request) =>
    [...contextOf(request).forwards.values()].map((f) => ({
      address: f.address,
      forwardTo: f.forwardTo,
      ...(f.spamLevel ? { spamLevel: f.spamLevel } : {}),
    })),
  );

  app.post(`${V2}/mail/forwards`, async (request, reply) => {
    const ctx = contextOf(request);
    const body = objectBody(request);
    if (typeof body.address !== 'string' || body.address === '') throw new OxSimError(7, 'address');
    const address = body.address;
    if (!isEmail(address)) throw new OxSimError(24, address);
    const forwardTo = recipientList(body.forwardTo);
    if (ctx.forwards.has(address)) throw new OxSimError(41, address);
    ensureAddressFree(address);
    const spamLevel = body.spamLevel ?? null;
    if (spamLevel !== null && !SPAM_LEVELS.includes(spamLevel as string))
      throw new OxSimError(36, String(spamLevel));
    const forward = { address, forwardTo: [] as string[], spamLevel: spamLevel as string | null };
    addRecipients(forward, forwardTo);
    ctx.forwards.set(address, forward);
    return reply.code(200).send();
  });

  app.delete(`${V2}/mail/forwards`, async (request, reply) => {
    contextOf(request).forwards.clear();
    return reply.code(200).send();
  });

  const getRecipients = async (request: FastifyRequest) =>
    forwardOf(contextOf(request), params(request).address).forwardTo;
  const putRecipients = async (request: FastifyRequest, reply: FastifyReply) => {
    const forward = forwardOf(contextOf(request), params(request).address);
    addRecipients(forward, recipientList(request.body));
    return reply.code(200).send();
  };

  app.get(`${V2}/mail/forwards/:address`, getRecipients);
  app.put(`${V2}/mail/forwards/:address`, putRecipients);
  app.get(`${V2}/mail/forwards/:address/recipients`, getRecipients);
  app.put(`${V2}/mail/forwards/:address/recipients`, putRecipients);

  app.delete(`${V2}/mail/forwards/:address`, async (request, reply) => {
    const ctx = contextOf(request);
    const forward = forwardOf(ctx, params(request).address);
    ctx.forwards.delete(forward.address);
    return reply.code(200).send();
  });

  app.head(`${V2}/mail/forwards/:address/exists`, async (request, reply) => {
    return reply.code(contextOf(request).forwards.has(params(request).address) ? 200 : 404).send();
  });

  app.get(`${V2}/mail/forwards/:address/spamlevel`, async (request) => ({
    spamlevel: forwardOf(contextOf(request), params(request).address).spamLevel ?? 'high',
  }));

  app.put(`${V2}/mail/forwards/:address/spamlevel/:spamlevel`, async (request, reply) => {
    const forward = forwardOf(contextOf(request), params(request).address);
    const level = params(request).spamlevel;
    if (!SPAM_LEVELS.includes(level)) throw new OxSimError(36, level);
    forward.spamLevel = level;
    return reply.code(200).send();
  });

  app.delete(`${V2}/mail/forwards/:address/:recipient`, async (request, reply) => {
    const { address, recipient } = params(request);
    const forward = forwardOf(contextOf(request), address);
    if (!forward.forwardTo.includes(recipient)) throw new OxSimError(22, recipient);
    forward.forwardTo = forward.forwardTo.filter((r) => r !== recipient);
    return reply.code(200).send();
  });

  app.head(`${V2}/mail/forwards/:address/:recipient/exists`, async (request, reply) => {
    const { address, recipient } = params(request);
    const forward = contextOf(request).forwards.get(address);
    return reply.code(forward?.forwardTo.includes(recipient) ? 200 : 404).send();
  });

  // Shared domains (brand-wide)
  app.get(`${V2}/mail/shareddomains`, async () => [...state.sharedDomains].sort());

  app.post(`${V2}/mail/shareddomains/:domain`, async (request, reply) => {
    const { domain } = params(request);
    if (state.sharedDomains.has(domain)) throw new OxSimError(28, domain);
    state.sharedDomains.add(domain);
    return reply.code(200).send();
  });

  app.delete(`${V2}/mail/shareddomains/:domain`, async (request, reply) => {
    const { domain } = params(request);
    if (!state.sharedDomains.has(domain)) throw new OxSimError(27, domain);
    for (const ctx of state.contexts.values()) {
      for (const address of ctx.forwards.keys()) {
        if (address.toLowerCase().endsWith(`@${domain.toLowerCase()}`)) throw new OxSimError(40);
      }
    }
    state.sharedDomains.delete(domain);
    return reply.code(200).send();
  });

  app.head(`${V2}/mail/shareddomains/:domain`, async (request, reply) => {
    return reply.code(state.sharedDomains.has(params(request).domain) ? 200 : 404).send();
  });

  // Contexts
  const contextView = (ctx: SimContext) => ({
    name: ctx.name,
    maxQuota: ctx.maxQuota,
    usedQuota: 0,
    maxUser: ctx.maxUser,
  });
  const contextByPath = (request: FastifyRequest): SimContext => {
    const { nameOrId } = params(request);
    const ctx = state.contextByNameOrId(nameOrId);
    if (!ctx) throw new OxSimError(3, nameOrId);
    return ctx;
  };

  app.get(`${V2}/contexts`, async (request) => {
    const match = wildcard(query(request).pattern);
    return [...state.contexts.values()].filter((c) => match(c.name)).map(contextView);
  });

  app.post(`${V2}/contexts`, async (request) => {
    const body = objectBody(request);
    if (typeof body.name !== 'string' || body.name === '') throw new OxSimError(7, 'name');
    typeCheck(body, 'maxQuota', 'integer');
    typeCheck(body, 'maxUser', 'integer');
    const ctx = state.createContext({
      name: body.name,
      maxQuota: body.maxQuota as number | null | undefined,
      maxUser: body.maxUser as number | null | undefined,
    });
    const adminMail = typeof body.adminEmail === 'string' ? body.adminEmail : `oxadmin@${ctx.name}.invalid`;
    state.addUser(ctx, {
      name: typeof body.adminLogin === 'string' ? body.adminLogin : `oxadmin-${ctx.id}`,
      mail: adminMail,
      password: typeof body.adminPassword === 'string' ? body.adminPassword : 'generated',
      givenName: 'Context',
      surName: 'Admin',
      isContextAdmin: true,
    });
    return contextView(ctx);
  });

  app.get(`${V2}/contexts/:nameOrId`, async (request) => contextView(contextByPath(request)));

  app.put(`${V2}/contexts/:nameOrId`, async (request, reply) => {
    const ctx = contextByPath(request);
    const body = objectBody(request);
    typeCheck(body, 'maxQuota', 'integer');
    typeCheck(body, 'maxUser', 'integer');
    if (body.maxQuota !== undefined) ctx.maxQuota = body.maxQuota as number | null;
    if (body.maxUser !== undefined) ctx.maxUser = body.maxUser as number | null;
    return reply.code(200).send();
  });

  app.delete(`${V2}/contexts/:nameOrId`, async (request, reply) => {
    state.contexts.delete(contextByPath(request).id);
    return reply.code(200).send();
  });
}
