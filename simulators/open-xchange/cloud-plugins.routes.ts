import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { PluginSimError } from './open-xchange-sim.errors';
import { SPAM_LEVELS, type OpenXchangeState, type SimContext, type SimUser } from './open-xchange-sim.state';

/**
 * Per-user attributes of the Cloud-Plugins admin API. `classofservice`, `spamlevel` and
 * `uidname` are views of the same user fields the v2 API manages; the rest live only here.
 */
export const PLUGIN_ATTRIBUTES = [
  'custom',
  'msisdn',
  'classofservice',
  'spamlevel',
  'uidname',
  'oxdeliverystatus',
  'oxlegacyref',
  'oxantiphishing',
  'antivirus',
  'quotamode',
] as const;

type Attribute = (typeof PLUGIN_ATTRIBUTES)[number];
type Params = Record<string, string>;

const params = (request: FastifyRequest): Params => request.params as Params;

function readAttribute(user: SimUser, attribute: Attribute): unknown {
  switch (attribute) {
    case 'classofservice':
      return user.classOfService.length > 0 ? user.classOfService : undefined;
    case 'spamlevel':
      return user.spamLevel;
    case 'uidname':
      return user.name;
    case 'quotamode':
      return user.attributes.quotamode ?? (user.unifiedQuota !== null ? 'unified' : 'separate');
    default:
      return user.attributes[attribute];
  }
}

function writeAttribute(ctx: SimContext, user: SimUser, attribute: Attribute, value: unknown): void {
  const fail = (message: string): never => {
    throw new PluginSimError(400, message);
  };
  switch (attribute) {
    case 'classofservice': {
      const list = typeof value === 'string' ? [value] : value;
      if (!Array.isArray(list) || list.length === 0 || !list.every((v) => typeof v === 'string')) {
        fail('classofservice must be a non-empty array of strings');
      }
      user.classOfService = list as string[];
      return;
    }
    case 'spamlevel':
      if (typeof value !== 'string' || !SPAM_LEVELS.includes(value))
        fail(`invalid spamlevel ${String(value)}`);
      user.spamLevel = value as string;
      return;
    case 'uidname':
      if (typeof value !== 'string' || value === '') fail('uidname must be a non-empty string');
      if (ctx.users.has(value as string)) fail(`uidname ${String(value)} already in use`);
      ctx.users.delete(user.name);
      user.name = value as string;
      ctx.users.set(user.name, user);
      return;
    case 'antivirus':
      if (typeof value !== 'boolean') fail('antivirus must be a boolean');
      user.attributes.antivirus = value;
      return;
    case 'custom':
      // "change custom id(s)": the body is {"custom": "string"}; the array form is the POST below.
      if (typeof value !== 'string' || value === '') fail('custom must be a string');
      user.attributes.custom = [value as string];
      return;
    default:
      if (typeof value !== 'string') fail(`${attribute} must be a string`);
      user.attributes[attribute] = value;
  }
}

function clearAttribute(user: SimUser, attribute: Attribute): void {
  if (attribute === 'classofservice') user.classOfService = [];
  else if (attribute === 'spamlevel') user.spamLevel = 'high';
  else if (attribute !== 'uidname') delete user.attributes[attribute];
}

/** The user summary the attribute PUT/DELETE calls answer with. */
function summary(ctx: SimContext, user: SimUser): Record<string, unknown> {
  const out: Record<string, unknown> = { 'context-id': ctx.id, 'user-id': user.uid, uidname: user.name };
  for (const key of ['msisdn', 'oxdeliverystatus', 'oxlegacyref', 'custom'] as const) {
    if (user.attributes[key] !== undefined) out[key] = user.attributes[key];
  }
  return out;
}

/** Registers the Cloud-Plugins admin paths under `prefix` (default `/oxaas/v1/admin`). */
export function registerCloudPlugins(app: FastifyInstance, state: OpenXchangeState, prefix: string): void {
  const contextOf = (request: FastifyRequest): SimContext => {
    const raw = params(request).contextid;
    const ctx = /^\d+$/.test(raw) ? state.contexts.get(Number(raw)) : undefined;
    if (!ctx) throw new PluginSimError(404, `context ${raw} not found`);
    return ctx;
  };
  const userOf = (request: FastifyRequest): { ctx: SimContext; user: SimUser } => {
    const ctx = contextOf(request);
    const raw = params(request).userid;
    const user = /^\d+$/.test(raw) ? state.userByUid(ctx, Number(raw)) : undefined;
    if (!user) throw new PluginSimError(404, `user ${raw} not found in context ${ctx.id}`);
    return { ctx, user };
  };
  const bodyObject = (request: FastifyRequest): Record<string, unknown> => {
    const body = request.body;
    if (body === null || typeof body !== 'object' || Array.isArray(body)) {
      throw new PluginSimError(400, 'JSON object body required');
    }
    return body as Record<string, unknown>;
  };
  const userPath = `${prefix}/contexts/:contextid/users/:userid`;

  for (const attribute of PLUGIN_ATTRIBUTES) {
    app.get(`${userPath}/${attribute}`, async (request) => {
      const { user } = userOf(request);
      const value = readAttribute(user, attribute);
      if (value === undefined) throw new PluginSimError(404, `${attribute} not set`);
      return { [attribute]: value };
    });
    app.put(`${userPath}/${attribute}`, async (request) => {
      const { ctx, user } = userOf(request);
      const body = bodyObject(request);
      if (!(attribute in body)) throw new PluginSimError(400, `missing ${attribute}`);
      writeAttribute(ctx, user, attribute, body[attribute]);
      return summary(ctx, user);
    });
    app.delete(`${userPath}/${attribute}`, async (request) => {
      const { ctx, user } = userOf(request);
      clearAttribute(user, attribute);
      return summary(ctx, user);
    });
  }

  // "change or remove msisdn or custom id(s)": each given field is set, an empty one removed.
  app.post(userPath, async (request) => {
    const { ctx, user } = userOf(request);
    const body = bodyObject(request);
    const unknown = Object.keys(body).filter((k) => !['msisdn', 'oxdeliverystatus', 'custom'].includes(k));
    if (unknown.length > 0) throw new PluginSimError(400, `unknown field(s) ${unknown.join(', ')}`);
    for (const key of ['msisdn', 'oxdeliverystatus'] as const) {
      if (!(key in body)) continue;
      if (typeof body[key] !== 'string') throw new PluginSimError(400, `${key} must be a string`);
      if (body[key] === '') delete user.attributes[key];
      else user.attributes[key] = body[key];
    }
    if ('custom' in body) {
      const ids = body.custom;
      if (!Array.isArray(ids) || !ids.every((v) => typeof v === 'string' && v !== '')) {
        throw new PluginSimError(400, 'custom must be an array of strings');
      }
      if (ids.length === 0) delete user.attributes.custom;
      else user.attributes.custom = ids;
    }
    return summary(ctx, user);
  });

  app.get(`${prefix}/contexts/:contextid/users`, async (request) => {
    const ctx = contextOf(request);
    const uids = (request.query as Record<string, string | undefined>).uids?.split(',').map(Number);
    const out: Record<string, unknown> = {};
    for (const user of ctx.users.values()) {
      if (!uids || uids.includes(user.uid)) out[user.name] = summary(ctx, user);
    }
    return out;
  });

  // Black and white lists
  for (const list of ['blacklist', 'whitelist'] as const) {
    app.get(`${userPath}/${list}`, async (request) => ({ [list]: userOf(request).user[list] }));
    app.delete(`${userPath}/${list}`, async (request, reply) => {
      userOf(request).user[list] = [];
      return reply.code(200).send();
    });
    app.get(`${userPath}/${list}/:value`, async (request) => {
      const filter = params(request).value;
      const escaped = filter.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*');
      const re = new RegExp(`^${escaped}$`, 'i');
      return { [list]: userOf(request).user[list].filter((entry) => re.test(entry)) };
    });
    app.put(`${userPath}/${list}/:value`, async (request, reply) => {
      const { user } = userOf(request);
      const value = params(request).value;
      if (!user[list].includes(value)) user[list].push(value);
      return reply.code(200).send();
    });
    app.delete(`${userPath}/${list}/:value`, async (request, reply) => {
      const { user } = userOf(request);
      const value = params(request).value;
      if (!user[list].includes(value)) throw new PluginSimError(404, `${value} not in ${list}`);
      user[list] = user[list].filter((entry) => entry !== value);
      return reply.code(200).send();
    });
  }

  // Explicit domains of a context, and the brand's view of them
  const domainOwner = (domain: string): SimContext | undefined =>
    [...state.contexts.values()].find((c) => c.explicitDomains.has(domain));

  app.get(`${prefix}/contexts/:contextid/domains`, async (request) => ({
    domains: [...contextOf(request).explicitDomains].sort(),
  }));
  app.get(`${prefix}/contexts/:contextid/domains/:domain`, async (request) => {
    const { domain } = params(request);
    if (!contextOf(request).explicitDomains.has(domain))
      throw new PluginSimError(404, `domain ${domain} not found`);
    return { domain };
  });
  app.post(`${prefix}/contexts/:contextid/domains/:domain`, async (request) => {
    const ctx = contextOf(request);
    const { domain } = params(request);
    if (domainOwner(domain) || state.sharedDomains.has(domain)) {
      throw new PluginSimError(409, `domain ${domain} already exists`);
    }
    ctx.explicitDomains.add(domain);
    return { domain };
  });
  app.delete(`${prefix}/contexts/:contextid/domains/:domain`, async (request, reply) => {
    const ctx = contextOf(request);
    const { domain } = params(request);
    if (!ctx.explicitDomains.delete(domain)) throw new PluginSimError(404, `domain ${domain} not found`);
    return reply.code(200).send();
  });
  app.get(`${prefix}/domains`, async () => ({
    domains: [...state.contexts.values()].flatMap((c) => [...c.explicitDomains]).sort(),
  }));
  app.get(`${prefix}/domains/:domain`, async (request) => {
    const { domain } = params(request);
    if (!domainOwner(domain)) throw new PluginSimError(404, `domain ${domain} not found`);
    return { domain };
  });

  // Shared mail domains: the same brand-wide set the v2 API manages
  app.get(`${prefix}/sharedmaildomains`, async () => ({ domains: [...state.sharedDomains].sort() }));
  app.get(`${prefix}/sharedmaildomains/:domain`, async (request, reply) => {
    const { domain } = params(request);
    if (!state.sharedDomains.has(domain)) throw new PluginSimError(404, `shared domain ${domain} not found`);
    return reply.code(200).send();
  });
  app.post(`${prefix}/sharedmaildomains/:domain`, async (request) => {
    const { domain } = params(request);
    if (state.sharedDomains.has(domain))
      throw new PluginSimError(409, `shared domain ${domain} already exists`);
    state.sharedDomains.add(domain);
    return { domain };
  });
  app.delete(`${prefix}/sharedmaildomains/:domain`, async (request, reply) => {
    const { domain } = params(request);
    if (!state.sharedDomains.delete(domain))
      throw new PluginSimError(404, `shared domain ${domain} not found`);
    return reply.code(200).send();
  });

  // Sessions: the simulator holds none, so closing them answers an empty list.
  const closeSessions = async (request: FastifyRequest, reply: FastifyReply) => {
    const q = request.query as Record<string, string | undefined>;
    if (q.contextId && !state.contexts.has(Number(q.contextId))) {
      throw new PluginSimError(404, `context ${q.contextId} not found`);
    }
    if (q.contextName && !state.contextByName(q.contextName)) {
      throw new PluginSimError(404, `context ${q.contextName} not found`);
    }
    return reply.code(200).send({ closed: [] });
  };
  app.delete(`${prefix}/sessions`, closeSessions);
  app.delete(`${prefix}/sessions/`, closeSessions);
}
