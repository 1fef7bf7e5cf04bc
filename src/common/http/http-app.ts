import { randomUUID } from 'node:crypto';
import cors from '@fastify/cors';
import type { DynamicModule } from '@nestjs/common';
import { DiscoveryService, NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { SwaggerModule } from '@nestjs/swagger';
import { LogController, type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import type { Logger } from 'pino';
import { AppConfig } from '../../config/app-config';
import { NestPinoLogger } from '../logging/nest-pino-logger';
import { GatewayError } from '../../domain/errors';
import { BODY_LIMIT_BYTES, registerBodyParsers } from './body-parsers';
import { clientErrorHandler, MAX_HEADER_BYTES } from './client-errors';
import { httpPlugins } from './http-plugin';
import { MethodIndex } from './method-index';
import { buildOpenApiDocument } from './openapi-document';
import { ProblemFilter, sendProblem } from './problem.filter';
import { registerRouteBodies } from './route-bodies';
import { registerEntityTags } from './entity-tag';
import { registerSecurityHeaders } from './security-headers';

const REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;

export interface HttpAppOptions {
  /** How long a client may take to send a whole request (headers and body); then 408. */
  requestTimeoutMs?: number;
}

const REQUEST_TIMEOUT_MS = 60_000;

/**
 * The HTTP face: Fastify with our limits, request ids, problem+json everywhere and OpenAPI;
 * modules add their own hooks (metrics, idempotency, refusal audit, the queue dashboard) as
 * HttpPlugins, registered in module order.
 */
export async function createHttpApp(
  module: DynamicModule,
  logger: Logger,
  options: HttpAppOptions = {},
): Promise<NestFastifyApplication> {
  const requestTimeout = options.requestTimeoutMs ?? REQUEST_TIMEOUT_MS;
  const adapter = new FastifyAdapter({
    loggerInstance: logger,
    // One line per request is written by our onResponse hook instead of Fastify's two.
    logController: new LogController({ disableRequestLogging: true, requestIdLogLabel: 'requestId' }),
    bodyLimit: BODY_LIMIT_BYTES,
    requestTimeout,
    // Node checks for timed-out requests on this interval (30 s by default, longer than most timeouts).
    http: { maxHeaderSize: MAX_HEADER_BYTES, connectionsCheckingInterval: Math.min(requestTimeout, 5_000) },
    clientErrorHandler,
    genReqId: (req: { headers: Record<string, string | string[] | undefined> }) => {
      const given = req.headers['x-request-id'];
      return typeof given === 'string' && REQUEST_ID.test(given) ? given : randomUUID();
    },
    routerOptions: { maxParamLength: 512, ignoreTrailingSlash: true },
    return503OnClosing: true,
    // No Nest middleware is used: without @fastify/middie no request pays for its hook.
    skipMiddie: true,
    // Bad URLs and over-long path parameters are refused by the router itself, before Nest sees them.
    frameworkErrors: (error: Error, request: FastifyRequest, reply: FastifyReply) =>
      sendProblem(request, reply, error),
  });
  const app = await NestFactory.create<NestFastifyApplication>(module, adapter, {
    logger: new NestPinoLogger(logger),
    bufferLogs: false,
    bodyParser: false,
  });
  const fastify = app.getHttpAdapter().getInstance() as unknown as FastifyInstance;
  // Bodies: bounded JSON everywhere, plus what a route declares with RouteBody.
  registerBodyParsers(fastify);
  registerRouteBodies(fastify);
  registerEntityTags(fastify);
  const methods = new MethodIndex(fastify);

  // Callback-style hooks: they run on every request, and need no promise.
  fastify.addHook('onRequest', (request, reply, done) => {
    void reply.header('x-request-id', request.id);
    done();
  });
  fastify.addHook('onResponse', (request, reply, done) => {
    const route = request.routeOptions.url ?? 'unmatched';
    request.log.info(
      { method: request.method, route, status: reply.statusCode, ms: Math.round(reply.elapsedTime) },
      'request',
    );
    done();
  });
  // Postgres refuses NUL in text: a path parameter holding one names nothing that exists.
  fastify.addHook('preValidation', (request, reply, done) => {
    const params = request.params as Record<string, unknown> | undefined;
    for (const name in params) {
      const value = params[name];
      if (typeof value === 'string' && value.includes('\u0000')) {
        sendProblem(request, reply, GatewayError.notFound(`"${name}"`));
        return;
      }
    }
    done();
  });
  await registerBrowserPolicy(app, fastify, app.get(AppConfig));
  for (const plugin of httpPlugins(app.get(DiscoveryService))) await plugin.register(fastify);

  app.useGlobalFilters(new ProblemFilter(methods));
  setUpOpenApi(app);
  await app.init();
  return app;
}

/** Request headers a browser portal sends and response headers it may read. */
const CORS_REQUEST_HEADERS = ['authorization', 'content-type', 'idempotency-key', 'if-match', 'x-request-id'];
const CORS_EXPOSED_HEADERS = [
  'x-request-id',
  'idempotent-replayed',
  'retry-after',
  'etag',
  'location',
  'ratelimit-limit',
  'ratelimit-remaining',
  'ratelimit-reset',
];

/**
 * CORS for the CORS_ORIGINS allow-list only (other origins get no CORS header at all) and
 * helmet's security headers. The CSP keeps Swagger UI at /docs working: its scripts and styles
 * come from this origin, plus the inline style block of its page and data: icons.
 */
async function registerBrowserPolicy(
  app: NestFastifyApplication,
  fastify: FastifyInstance,
  config: AppConfig,
): Promise<void> {
  const allowed = new Set(config.corsOrigins);
  await app.register(cors, {
    origin: (origin, callback) => callback(null, origin !== undefined && allowed.has(origin)),
    methods: ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'],
    allowedHeaders: CORS_REQUEST_HEADERS,
    exposedHeaders: CORS_EXPOSED_HEADERS,
    maxAge: 600,
    strictPreflight: false,
  });
  registerSecurityHeaders(fastify, {
    contentSecurityPolicy: {
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'", "'unsafe-inline'"],
        imgSrc: ["'self'", 'data:'],
        connectSrc: ["'self'"],
        objectSrc: ["'none'"],
        frameAncestors: ["'none'"],
        // Behind a TLS proxy or on plain HTTP in a lab, upgrading /docs' requests would break it.
        upgradeInsecureRequests: null,
      },
    },
  });
}

function setUpOpenApi(app: NestFastifyApplication): void {
  SwaggerModule.setup('docs', app, buildOpenApiDocument(app), {
    jsonDocumentUrl: 'docs-json',
    useGlobalPrefix: false,
  });
}
