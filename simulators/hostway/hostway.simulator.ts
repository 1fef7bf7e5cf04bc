import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import { installFaultControls, type FaultControls } from '../shared/fault-controls';
import { listMailboxes, type ListingQuery } from './hostway.listing';
import {
  mailboxKey,
  DEFAULT_MAILBOX_QUOTA_MB,
  HostwayStore,
  type HostwayDomain,
  type HostwaySeed,
} from './hostway.store';
import { validateForwardTargets, validateMailboxWrite, type FieldErrors } from './hostway.validation';

export interface HostwaySimulatorOptions {
  /** Basic-auth credentials the simulator accepts. */
  username: string;
  password: string;
  /** Replaces the reference's `{{APIBaseURL}}` in links; defaults to the request's own origin. */
  apiBaseUrl?: string;
  seed?: HostwaySeed;
  logger?: boolean;
}

export interface HostwaySimulator {
  app: FastifyInstance;
  state: HostwayStore;
  faults: FaultControls;
  /** Starts listening (port 0 = any free port) and returns the base URL. */
  listen(port?: number, host?: string): Promise<string>;
  close(): Promise<void>;
}

const JSON_TYPE = 'application/json; charset=UTF-8';
const UNAUTHORIZED = 'The supplied credentials are invalid or do not provide permissions for this operation.';
const NO_DOMAIN = 'The domain name or account does not exist.';

type Params = { account: string; domain: string; mailboxName: string; target: string };
type Req = FastifyRequest<{ Params: Params; Querystring: ListingQuery }>;

function fail(reply: FastifyReply, status: number, errors: FieldErrors): FastifyReply {
  return reply.code(status).type(JSON_TYPE).send(errors);
}

function credentialsMatch(header: string | undefined, username: string, password: string): boolean {
  if (!header?.startsWith('Basic ')) return false;
  const decoded = Buffer.from(header.slice(6).trim(), 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  return colon >= 0 && decoded.slice(0, colon) === username && decoded.slice(colon + 1) === password;
}

/** The Hostway Email API of `vendors/PROTOCOLS.md` over HTTP, with in-memory state and fault controls. */
export function createHostwaySimulator(options: HostwaySimulatorOptions): HostwaySimulator {
  const app = Fastify({ logger: options.logger ?? false });
  const state = new HostwayStore(options.seed);

  // Hostway clients may send a JSON content type on bodiless DELETEs; an empty body is not an error.
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (_req, body, done) => {
    if (body === '') return done(null, undefined);
    try {
      done(null, JSON.parse(body as string));
    } catch {
      done(Object.assign(new Error('Malformed JSON'), { statusCode: 400 }), undefined);
    }
  });
  app.setErrorHandler((error: Error & { statusCode?: number }, _request, reply) => {
    const status = error.statusCode ?? 500;
    return fail(reply, status, { [status < 500 ? 'body' : 'error']: error.message });
  });

  const faults = installFaultControls(app, {
    errorBody: (status) => ({ error: status === 429 ? 'Too many requests' : `Simulated error ${status}` }),
    snapshot: () => state.snapshot(),
    reset: () => state.reset(),
  });

  // Registered after the fault hook so that unauthenticated requests are recorded too.
  app.addHook('preHandler', async (request, reply) => {
    if (request.url.startsWith('/__sim/')) return;
    if (!credentialsMatch(request.headers.authorization, options.username, options.password)) {
      reply.header('www-authenticate', 'Basic realm="Hostway API"');
      return fail(reply, 401, { credentials: UNAUTHORIZED });
    }
  });

  const baseUrl = (request: FastifyRequest): string =>
    options.apiBaseUrl ?? `${request.protocol}://${request.host}`;
  const domainUrl = (request: Req): string =>
    `${baseUrl(request)}/accounts/${encodeURIComponent(request.params.account)}/email/${encodeURIComponent(
      request.params.domain,
    )}`;

  const withDomain =
    (handler: (request: Req, reply: FastifyReply, domain: HostwayDomain) => unknown) =>
    async (request: Req, reply: FastifyReply) => {
      const domain = state.domain(request.params.account, request.params.domain);
      if (!domain) return fail(reply, 404, { domain: NO_DOMAIN });
      return handler(request, reply, domain);
    };

  const withMailbox = (handler: (request: Req, reply: FastifyReply, domain: HostwayDomain) => unknown) =>
    withDomain((request, reply, domain) => {
      if (!domain.mailboxes.has(mailboxKey(request.params.mailboxName))) {
        return fail(reply, 404, { mailboxName: 'The mailbox does not exist.' });
      }
      return handler(request, reply, domain);
    });

  const prefix = '/accounts/:account/email/:domain';

  app.get(
    prefix,
    withDomain((request, reply, domain) =>
      reply.type(JSON_TYPE).send({
        quota: domain.quota,
        links: [
          { href: domainUrl(request), rel: 'self' },
          { href: `${domainUrl(request)}/usernames`, rel: 'usernames' },
          { href: `${domainUrl(request)}/aliases`, rel: 'aliases' },
        ],
      }),
    ),
  );

  const listing = withDomain((request, reply, domain) => {
    const result = listMailboxes(domain.mailboxes.values(), request.query, `${domainUrl(request)}/usernames`);
    if (!result.ok) return fail(reply, 400, result.errors);
    return reply.type(JSON_TYPE).send(result.body);
  });
  app.get(`${prefix}/usernames`, listing);
  app.get(`${prefix}/usernames/`, listing);

  app.get(
    `${prefix}/usernames/:mailboxName`,
    withMailbox((request, reply) => {
      const user = `${domainUrl(request)}/usernames/${encodeURIComponent(request.params.mailboxName)}`;
      return reply.type(JSON_TYPE).send({
        username: request.params.mailboxName,
        links: [
          { href: user, rel: 'self' },
          { href: `${user}/mailbox`, rel: 'mailbox' },
          { href: `${user}/exchange`, rel: 'exchange' },
          { href: `${user}/secrets`, rel: 'secrets' },
        ],
      });
    }),
  );

  app.get(
    `${prefix}/usernames/:mailboxName/mailbox`,
    withMailbox((request, reply, domain) => {
      const m = domain.mailboxes.get(mailboxKey(request.params.mailboxName))!;
      const user = `${domainUrl(request)}/usernames/${encodeURIComponent(m.username)}`;
      return reply.type(JSON_TYPE).send({
        username: m.username,
        master: m.master,
        quota: m.quota,
        usage: m.usage,
        links: [
          { href: `${user}/mailbox`, rel: 'self' },
          { href: user, rel: 'username' },
        ],
      });
    }),
  );

  app.put(
    `${prefix}/usernames/:mailboxName/mailbox`,
    withDomain((request, reply, domain) => {
      const name = request.params.mailboxName;
      const existing = domain.mailboxes.get(mailboxKey(name));
      const result = validateMailboxWrite(name, request.body, existing === undefined);
      if (!result.ok) return fail(reply, 400, result.errors);
      const w = result.value;
      if (existing) {
        if (w.password !== undefined) existing.password = w.password;
        if (w.master !== undefined) existing.master = w.master;
        if (w.quota !== undefined) existing.quota = w.quota;
        if (w.type !== undefined) existing.type = w.type;
        return reply.code(204).send();
      }
      domain.mailboxes.set(mailboxKey(name), {
        username: name,
        password: w.password!,
        master: w.master ?? 0,
        quota: w.quota ?? DEFAULT_MAILBOX_QUOTA_MB,
        usage: 0,
        type: w.type ?? 'standard',
        forwards: [],
      });
      return reply.code(201).send();
    }),
  );

  app.delete(
    `${prefix}/usernames/:mailboxName/mailbox`,
    withMailbox((request, reply, domain) => {
      // A username here exists only with its mailbox, so its forwards go with it.
      domain.mailboxes.delete(mailboxKey(request.params.mailboxName));
      return reply.code(204).send();
    }),
  );

  app.get(
    `${prefix}/usernames/:mailboxName/forwards`,
    withMailbox((request, reply, domain) => {
      const m = domain.mailboxes.get(mailboxKey(request.params.mailboxName))!;
      return reply.type(JSON_TYPE).send({ targets: m.forwards.map((target) => ({ target })) });
    }),
  );

  app.post(
    `${prefix}/usernames/:mailboxName/forwards`,
    withMailbox((request, reply, domain) => {
      const m = domain.mailboxes.get(mailboxKey(request.params.mailboxName))!;
      const result = validateForwardTargets(request.body);
      if (!result.ok) return fail(reply, 400, result.errors);
      const fresh = result.targets.filter(
        (t) => !m.forwards.some((existing) => existing.toLowerCase() === t.toLowerCase()),
      );
      if (state.wouldLoop(`${m.username}@${domain.name}`, fresh)) {
        return fail(reply, 409, { targets: 'The forward would create a delivery loop.' });
      }
      m.forwards.push(...fresh);
      return reply.code(204).send();
    }),
  );

  app.delete(
    `${prefix}/usernames/:mailboxName/forwards/:target`,
    withMailbox((request, reply, domain) => {
      const m = domain.mailboxes.get(mailboxKey(request.params.mailboxName))!;
      const index = m.forwards.findIndex((t) => t.toLowerCase() === request.params.target.toLowerCase());
      if (index < 0) return fail(reply, 404, { target: 'The forward does not exist.' });
      m.forwards.splice(index, 1);
      return reply.code(204).send();
    }),
  );

  app.get(
    `${prefix}/aliases`,
    withDomain((request, reply, domain) =>
      reply.type(JSON_TYPE).send({
        list: domain.aliases,
        links: [{ href: `${domainUrl(request)}/aliases`, rel: 'self' }],
      }),
    ),
  );

  return {
    app,
    state,
    faults,
    async listen(port = 0, host = '127.0.0.1') {
      const address = await app.listen({ port, host });
      return address;
    },
    close: () => app.close(),
  };
}
