import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import { installFaultControls, type FaultControls } from '../shared/fault-controls';
import { registerCloudApiV2 } from './cloudapi-v2.routes';
import { registerCloudPlugins } from './cloud-plugins.routes';
import {
  faultErrorBody,
  OX_ERRORS,
  oxErrorBody,
  OxSimError,
  PluginSimError,
} from './open-xchange-sim.errors';
import { OpenXchangeState, type OpenXchangeSeed } from './open-xchange-sim.state';

export interface BasicCredentials {
  username: string;
  password: string;
}

export interface OpenXchangeSimulatorOptions {
  /** Initial (and post-reset) data. */
  seed?: OpenXchangeSeed;
  /** Brand credentials for `/cloudapi/v2`. */
  brand?: BasicCredentials;
  /** Credentials for the Cloud-Plugins API. */
  plugins?: BasicCredentials;
  /** Where the Cloud-Plugins admin API is mounted. */
  pluginsPathPrefix?: string;
  classesOfService?: readonly string[];
  maxForwardRecipients?: number;
  logger?: boolean;
}

export interface OpenXchangeSimulator {
  app: FastifyInstance;
  state: OpenXchangeState;
  faults: FaultControls;
  /** Starts listening (default 127.0.0.1, port 0) and answers the base URL. */
  listen(port?: number, host?: string): Promise<string>;
  close(): Promise<void>;
}

export const DEFAULT_OX_BRAND: BasicCredentials = { username: 'brand', password: 'brand-secret' };
export const DEFAULT_OX_PLUGINS: BasicCredentials = { username: 'plugins', password: 'plugins-secret' };
export const DEFAULT_CLASSES_OF_SERVICE = [
  'cloud_mail',
  'cloud_pim',
  'cloud_nine',
  'cloud_drive',
  'cloud_office',
];

function basicMatches(request: FastifyRequest, expected: BasicCredentials): boolean {
  const header = request.headers.authorization ?? '';
  const match = /^Basic\s+(.+)$/i.exec(header);
  if (!match) return false;
  const decoded = Buffer.from(match[1], 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  return (
    colon > 0 &&
    decoded.slice(0, colon) === expected.username &&
    decoded.slice(colon + 1) === expected.password
  );
}

/** An OX App Suite back end (Cloud Provisioning v2 + Cloud-Plugins) in memory, over real HTTP. */
export function createOpenXchangeSimulator(options: OpenXchangeSimulatorOptions = {}): OpenXchangeSimulator {
  const brand = options.brand ?? DEFAULT_OX_BRAND;
  const plugins = options.plugins ?? DEFAULT_OX_PLUGINS;
  const prefix = options.pluginsPathPrefix ?? '/oxaas/v1/admin';
  const state = new OpenXchangeState(options.seed);
  const app = Fastify({ logger: options.logger ?? false });

  // Bodiless POST/PUT with a JSON content type must not be a parser error (OX accepts them).
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (_request, body, done) => {
    const text = String(body);
    if (text.trim() === '') return done(null, undefined);
    try {
      done(null, JSON.parse(text));
    } catch {
      done(new OxSimError(5), undefined);
    }
  });

  const faults = installFaultControls(app, {
    errorBody: faultErrorBody,
    snapshot: () => state.snapshot(),
    reset: () => state.reset(),
  });

  app.addHook('onRequest', async (request, reply) => {
    const trace = request.headers['x-trace-id'];
    if (typeof trace === 'string') reply.header('x-trace-id', trace);
  });

  // Registered after the fault hook so that every request is recorded before auth decides.
  app.addHook('preHandler', async (request: FastifyRequest, reply: FastifyReply) => {
    if (request.url.startsWith('/__sim/')) return;
    if (request.url.startsWith('/cloudapi/')) {
      if (!basicMatches(request, brand)) {
        return reply
          .code(401)
          .header('www-authenticate', 'Basic realm="OX Cloud API"')
          .send(oxErrorBody(2, 401, OX_ERRORS[2][1]));
      }
    } else if (request.url.startsWith(`${prefix}/`)) {
      if (!basicMatches(request, plugins)) {
        return reply
          .code(401)
          .header('www-authenticate', 'Basic realm="Cloud-Plugins"')
          .send({ error: 'Authentication failed' });
      }
    }
  });

  app.setErrorHandler((error, request, reply) => {
    if (error instanceof OxSimError) return reply.code(error.status).send(error.body());
    if (error instanceof PluginSimError) return reply.code(error.status).send({ error: error.message });
    const status = (error as { statusCode?: number }).statusCode ?? 500;
    const message = error instanceof Error ? error.message : 'Unknown error';
    if (request.url.startsWith(`${prefix}/`)) return reply.code(status).send({ error: message });
    return reply.code(status).send(oxErrorBody(5, status, OX_ERRORS[5][1]));
  });

  app.setNotFoundHandler((request, reply) => {
    if (request.url.startsWith(`${prefix}/`)) return reply.code(404).send({ error: 'Not found' });
    return reply
      .code(404)
      .send(oxErrorBody(5, 404, `No resource ${request.method} ${request.url.split('?')[0]}`));
  });

  registerCloudApiV2(app, state, {
    classesOfService: options.classesOfService ?? DEFAULT_CLASSES_OF_SERVICE,
    maxForwardRecipients: options.maxForwardRecipients ?? 50,
  });
  registerCloudPlugins(app, state, prefix);

  return {
    app,
    state,
    faults,
    async listen(port = 0, host = '127.0.0.1') {
      await app.listen({ port, host });
      const address = app.server.address();
      if (address === null || typeof address === 'string') throw new Error('simulator has no TCP address');
      return `http://${host}:${address.port}`;
    },
    async close() {
      faults.releaseHanging();
      await app.close();
    },
  };
}
