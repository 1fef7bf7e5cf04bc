import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import { installFaultControls, type FaultControls } from '../shared/fault-controls';
import { CommandFailure, runCommand } from './mailstore-commands';
import { MAILSTORE_METADATA, METADATA_BY_NAME } from './mailstore-metadata';
import { OperationRunner } from './mailstore-operations';
import {
  DEFAULT_SEED,
  MailStoreState,
  archiveAccess,
  type SeedInstance,
  type SimOperation,
} from './mailstore-state';

export interface MailStoreSimulatorOptions {
  /** The SPE administrator accepted by Basic auth. */
  username?: string;
  password?: string;
  instances?: readonly SeedInstance[];
  /** How long VerifyStore takes per store (a store's own `verifyDurationMs` wins). */
  verifyDurationMs?: number;
  compactDurationMs?: number;
  /** How long get-status still knows a finished operation's token. */
  tokenTtlMs?: number;
  cancelDelayMs?: number;
  /** get-status never holds a request longer than this, whatever millisecondsTimeout says. */
  maxLongPollMs?: number;
  logger?: boolean;
}

export interface MailStoreSimulator {
  app: FastifyInstance;
  state: MailStoreState;
  faults: FaultControls;
  /** Starts listening (127.0.0.1, port 0 by default) and returns the base URL. */
  listen(port?: number, host?: string): Promise<string>;
  close(): Promise<void>;
}

interface Envelope {
  error: { message: string } | null;
  token: string | null;
  statusVersion: number;
  statusCode: 'succeeded' | 'failed' | 'running';
  percentProgress: number | null;
  statusText: string | null;
  result: unknown;
}

const BOM = '\uFEFF';

const finished = (result: unknown): Envelope => ({
  error: null,
  token: null,
  statusVersion: 2,
  statusCode: 'succeeded',
  percentProgress: null,
  statusText: null,
  result,
});

const failed = (message: string): Envelope => ({
  error: { message },
  token: null,
  statusVersion: 2,
  statusCode: 'failed',
  percentProgress: null,
  statusText: null,
  result: null,
});

const fromOperation = (op: SimOperation): Envelope => ({
  error: op.error,
  token: op.token,
  statusVersion: op.statusVersion,
  statusCode: op.statusCode,
  percentProgress: op.percentProgress,
  statusText: op.statusText,
  result: op.result,
});

/** MailStore answers every call with JSON that starts with a UTF-8 BOM. */
function sendJson(reply: FastifyReply, body: unknown, status = 200): FastifyReply {
  return reply
    .code(status)
    .header('content-type', 'application/json; charset=utf-8')
    .send(BOM + JSON.stringify(body));
}

function formOf(request: FastifyRequest): Record<string, string> {
  const body = request.body;
  return body && typeof body === 'object' ? (body as Record<string, string>) : {};
}

/** A MailStore SPE Management API (port 8474 in production) with in-memory instances. */
export function createMailStoreSimulator(options: MailStoreSimulatorOptions = {}): MailStoreSimulator {
  const username = options.username ?? 'admin';
  const password = options.password ?? 'admin-secret';
  const expectedAuth = `Basic ${Buffer.from(`${username}:${password}`).toString('base64')}`;
  const maxLongPollMs = options.maxLongPollMs ?? 30_000;
  const state = new MailStoreState(options.instances ?? DEFAULT_SEED);
  const runner = new OperationRunner(state, {
    tokenTtlMs: options.tokenTtlMs ?? 300_000,
    cancelDelayMs: options.cancelDelayMs ?? 100,
  });
  const ctx = {
    state,
    runner,
    verifyDurationMs: options.verifyDurationMs ?? 2_000,
    compactDurationMs: options.compactDurationMs ?? 1_000,
  };

  const app = Fastify({ logger: options.logger ?? false });
  app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string' }, (_req, body, done) => {
    done(null, Object.fromEntries(new URLSearchParams(body as string)));
  });
  const faults = installFaultControls(app, {
    errorBody: (status) => `MailStore simulator: injected HTTP ${status}`,
    snapshot: () => state.snapshot(),
    reset: () => {
      runner.stopAll();
      state.reset();
    },
  });

  const authorized = (request: FastifyRequest, reply: FastifyReply): boolean => {
    if (request.headers.authorization === expectedAuth) return true;
    void reply.code(401).header('www-authenticate', 'Basic realm="MailStore SPE"').send('Unauthorized');
    return false;
  };

  app.post<{ Params: { command: string } }>('/api/invoke/:command', async (request, reply) => {
    if (!authorized(request, reply)) return reply;
    const command = request.params.command;
    if (!METADATA_BY_NAME.has(command)) return reply.code(404).send(`Unknown command '${command}'.`);
    try {
      const outcome = runCommand(ctx, command, formOf(request));
      return sendJson(
        reply,
        'operation' in outcome ? fromOperation(outcome.operation) : finished(outcome.result),
      );
    } catch (error) {
      if (error instanceof CommandFailure) return sendJson(reply, failed(error.message));
      throw error;
    }
  });

  app.post('/api/get-status', async (request, reply) => {
    if (!authorized(request, reply)) return reply;
    const form = formOf(request);
    const token = form.token ?? '';
    const lastKnown = Number(form.lastKnownStatusVersion ?? '0');
    const timeout = Math.min(Number(form.millisecondsTimeout ?? '0') || 0, maxLongPollMs);
    if (!state.operations.has(token)) return reply.code(404).send('Unknown or expired token.');
    await runner.waitForChange(token, Number.isFinite(lastKnown) ? lastKnown : 0, timeout);
    const operation = state.operations.get(token);
    if (!operation) return reply.code(404).send('Unknown or expired token.');
    return sendJson(reply, fromOperation(operation));
  });

  app.post('/api/cancel-async', async (request, reply) => {
    if (!authorized(request, reply)) return reply;
    const operation = state.operations.get(formOf(request).token ?? '');
    if (!operation) return reply.code(404).send('Unknown or expired token.');
    runner.cancel(operation);
    return sendJson(reply, finished(null));
  });

  app.post('/api/get-metadata', async (request, reply) => {
    if (!authorized(request, reply)) return reply;
    return sendJson(reply, MAILSTORE_METADATA);
  });

  // A user reading its own archive (MailStore Client, Web Access or IMAP in the real product, none
  // of which is the Management API): signed in as the archive user, it needs read on the folder.
  app.get<{ Params: { instanceId: string; folder: string } }>(
    '/__sim/archive/:instanceId/:folder',
    async (request, reply) => {
      const instance = state.instances.get(request.params.instanceId);
      if (!instance) return reply.code(404).send(`Instance '${request.params.instanceId}' does not exist.`);
      const [userName, password] = basicCredentials(request.headers.authorization);
      const access = archiveAccess(instance, userName, password, request.params.folder);
      if (access === 'unauthenticated') return reply.code(401).send('Unauthorized');
      if (access === 'forbidden') {
        return reply.code(403).send(`${userName} has no read access to folder '${request.params.folder}'.`);
      }
      return { folder: request.params.folder, messages: [] };
    },
  );

  app.addHook('preClose', async () => runner.stopAll());

  return {
    app,
    state,
    faults,
    async listen(port = 0, host = '127.0.0.1') {
      return app.listen({ port, host });
    },
    async close() {
      await app.close();
    },
  };
}

function basicCredentials(header: string | undefined): [string, string] {
  const encoded = header?.startsWith('Basic ') ? header.slice(6) : '';
  const decoded = Buffer.from(encoded, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  return colon < 0 ? ['', ''] : [decoded.slice(0, colon), decoded.slice(colon + 1)];
}
