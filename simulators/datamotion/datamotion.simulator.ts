import { performance } from 'node:perf_hooks';
import { setTimeout as delay } from 'node:timers/promises';
import Fastify, { type FastifyInstance } from 'fastify';
import { installFaultControls, type FaultControls } from '../shared/fault-controls';
import { checkRequestShape, MigrateBadRequest, migrateUsers } from './datamotion-migrate';
import { registerRemoteRoutes } from './datamotion-remote.routes';
import { sendMessage, sessionAccountOr401 } from './datamotion-http';
import { DataMotionState, DEFAULT_SEED, type DataMotionSeed } from './datamotion-state';

/** Where the simulator serves the two APIs, as on the vendor's own hosts. */
export const SECURE_MAIL_PATH = '/SecureMail-Sandbox';
export const REMOTE_PATH = '/Remote';

/** What `/__sim/config` reads and changes at run time. */
export interface DataMotionSimConfig {
  /** How long a session key stays valid after Logon. */
  sessionTtlMs: number;
  /** Every DataMotion call's time from arrival to answer (Logon included, inside its recorded start and end). */
  perCallLatencyMs: number;
  /** Added to a MigrateUsers call's time once per user in it. */
  perUserLatencyMs: number;
  /** Every DataMotion connection is dropped without an answer (a host that is down). */
  down: boolean;
  /** Per-user Status forced by UserTag (`*`: every user), to reach the codes validation cannot. */
  forcedStatuses: Record<string, number>;
}

export interface DataMotionSimulatorOptions extends Partial<Omit<DataMotionSimConfig, 'forcedStatuses'>> {
  /** The `Ocp-Apim-Subscription-Key` the API gateway accepts. */
  subscriptionKey?: string;
  seed?: DataMotionSeed;
  logger?: boolean;
}

export interface DataMotionSimulator {
  app: FastifyInstance;
  state: DataMotionState;
  faults: FaultControls;
  config: DataMotionSimConfig;
  /** Starts listening (127.0.0.1, port 0 by default) and returns the origin; the APIs sit at SECURE_MAIL_PATH and REMOTE_PATH. */
  listen(port?: number, host?: string): Promise<string>;
  close(): Promise<void>;
}

export const DEFAULT_SUBSCRIPTION_KEY = 'sim-subscription-key';

/** Azure API Management's own answers for the subscription key (the gateway DataMotion runs behind). */
const APIM_MISSING_KEY =
  'Access denied due to missing subscription key. Make sure to include subscription key when making requests to an API.';
const APIM_INVALID_KEY =
  'Access denied due to invalid subscription key. Make sure to provide a valid key for an active subscription.';

const isControl = (url: string): boolean => url.startsWith('/__sim/');

function defaultConfig(options: DataMotionSimulatorOptions): DataMotionSimConfig {
  return {
    sessionTtlMs: options.sessionTtlMs ?? 20 * 60_000,
    perCallLatencyMs: options.perCallLatencyMs ?? 0,
    perUserLatencyMs: options.perUserLatencyMs ?? 0,
    down: options.down ?? false,
    forcedStatuses: {},
  };
}

/** The DataMotion Secure Message Center API (and the company-admin /Remote API) of `vendors/PROTOCOLS.md`. */
export function createDataMotionSimulator(options: DataMotionSimulatorOptions = {}): DataMotionSimulator {
  const subscriptionKey = options.subscriptionKey ?? DEFAULT_SUBSCRIPTION_KEY;
  const state = new DataMotionState(options.seed ?? DEFAULT_SEED);
  const config = defaultConfig(options);
  const app = Fastify({ logger: options.logger ?? false });

  // Latency is the time from a request's arrival to its answer: the simulator's own work (parsing,
  // the users' changes) is spent inside it, as a vendor's is, not added on top.
  const arrivals = new WeakMap<object, number>();
  const answerAt = (request: { raw: object }, latencyMs: number): Promise<void> | undefined => {
    const wait = (arrivals.get(request.raw) ?? performance.now()) + latencyMs - performance.now();
    return wait > 0 ? delay(wait) : undefined;
  };
  app.addHook('onRequest', async (request, reply) => {
    arrivals.set(request.raw, performance.now());
    if (!config.down || isControl(request.url)) return;
    reply.hijack();
    request.raw.socket.destroy();
  });
  const faults = installFaultControls(app, {
    errorBody: (status) => ({ Message: `DataMotion simulator: injected HTTP ${status}` }),
    snapshot: () => state.snapshot(),
    reset: () => {
      state.reset();
      Object.assign(config, defaultConfig(options));
    },
  });
  // After the fault hook, so that refused requests are recorded too; the /Remote host has no API gateway.
  app.addHook('preHandler', async (request, reply) => {
    if (!request.url.startsWith(`${SECURE_MAIL_PATH}/`)) return;
    const given = request.headers['ocp-apim-subscription-key'];
    if (given === subscriptionKey) return;
    return reply
      .code(401)
      .send({ statusCode: 401, message: given === undefined ? APIM_MISSING_KEY : APIM_INVALID_KEY });
  });
  app.addHook('preHandler', async (request) => {
    if (!isControl(request.url) && config.perCallLatencyMs > 0 && !request.url.endsWith('/Account/Logon')) {
      await answerAt(request, config.perCallLatencyMs);
    }
  });

  app.post(`${SECURE_MAIL_PATH}/Account/Logon`, async (request, reply) => {
    const startedAt = performance.timeOrigin + performance.now();
    const body = (request.body ?? {}) as { UserIdOrEmail?: unknown; Password?: unknown };
    const record = (ok: boolean): void => {
      state.logons.push({
        userIdOrEmail: typeof body.UserIdOrEmail === 'string' ? body.UserIdOrEmail : '',
        startedAt,
        endedAt: performance.timeOrigin + performance.now(),
        ok,
      });
    };
    if (config.perCallLatencyMs > 0) await answerAt(request, config.perCallLatencyMs);
    if (typeof body.UserIdOrEmail !== 'string' || body.UserIdOrEmail === '') {
      record(false);
      return sendMessage(reply, 400, 'The UserIdOrEmail field is required.');
    }
    if (typeof body.Password !== 'string' || body.Password === '') {
      record(false);
      return sendMessage(reply, 400, 'The Password field is required.');
    }
    const account = state.byUserIdOrEmail(body.UserIdOrEmail);
    if (!account || account.password !== body.Password) {
      record(false);
      return sendMessage(reply, 401, 'User credentials are invalid.');
    }
    if (account.disabled) {
      record(false);
      return sendMessage(reply, 401, 'User disabled.');
    }
    const key = state.openSession(account.uid, config.sessionTtlMs);
    record(true);
    return { SessionKey: key };
  });

  app.post(`${SECURE_MAIL_PATH}/Account/Logout`, async (request, reply) => {
    if (!sessionAccountOr401(state, request, reply)) return reply;
    state.sessions.delete(request.headers['x-session-key'] as string);
    state.stats.logouts += 1;
    return {};
  });

  app.get(`${SECURE_MAIL_PATH}/Account/Details`, async (request, reply) => {
    const account = sessionAccountOr401(state, request, reply);
    if (!account) return reply;
    return {
      EmailAddress: account.email,
      FirstName: account.firstName,
      LastName: account.lastName,
      Uid: account.uid,
      UserId: account.userId,
      Statistics: { InboxCount: 0, InboxUnread: 0, SentCount: 0, DraftsCount: 0, TrashCount: 0 },
    };
  });

  app.post(`${SECURE_MAIL_PATH}/Account/MigrateUsers`, async (request, reply) => {
    const admin = sessionAccountOr401(state, request, reply);
    if (!admin) return reply;
    if (!admin.companyAdmin) return sendMessage(reply, 401, 'User is not a company admin.');
    let body;
    try {
      body = checkRequestShape(request.body);
    } catch (error) {
      if (error instanceof MigrateBadRequest) return sendMessage(reply, 400, error.message);
      throw error;
    }
    const size = Array.isArray(body.Users) ? body.Users.length : 0;
    state.stats.migrateUsersCalls += 1;
    state.stats.migratedUsers += size;
    state.stats.largestBatch = Math.max(state.stats.largestBatch, size);
    const answer = { Users: migrateUsers(state, admin, body, config.forcedStatuses) };
    await answerAt(request, config.perCallLatencyMs + config.perUserLatencyMs * size);
    return answer;
  });

  registerRemoteRoutes(app, REMOTE_PATH, state);

  app.get('/__sim/config', async () => config);
  app.put('/__sim/config', async (request) => {
    Object.assign(config, (request.body ?? {}) as Partial<DataMotionSimConfig>);
    return config;
  });
  app.post('/__sim/down', async () => {
    config.down = true;
    return config;
  });
  app.post('/__sim/up', async () => {
    config.down = false;
    return config;
  });
  app.post('/__sim/expire-sessions', async () => {
    state.expireSessions();
    return { ok: true };
  });
  app.get('/__sim/stats', async () => state.counters());
  app.get('/__sim/logons', async () => state.logons);
  app.get('/__sim/users', async () => (state.snapshot() as { accounts: unknown[] }).accounts);
  app.get<{ Params: { userTag: string } }>('/__sim/users/:userTag', async (request, reply) => {
    const account = state.byTag(request.params.userTag);
    if (!account) return reply.code(404).send({ Message: 'No account has this UserTag.' });
    const { password: _password, ...visible } = account;
    return visible;
  });

  return {
    app,
    state,
    faults,
    config,
    async listen(port = 0, host = '127.0.0.1') {
      return app.listen({ port, host });
    },
    async close() {
      await app.close();
    },
  };
}
