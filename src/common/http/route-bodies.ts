import type { Socket } from 'node:net';
import type { Readable } from 'node:stream';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { mergeRouteConfig } from './route-config';

/** What a route may declare about its body, with `RouteBody(...)`. */
export interface RouteBodyOptions {
  /** The route's own JSON body limit in bytes, instead of the app's 1 MiB. */
  jsonLimit?: number;
  /** Content types the route reads itself, as a stream (`request.bodyStream`); others get 415. */
  streamed?: string[];
  /**
   * The route reads its JSON body's bytes itself (`request.rawBody`), e.g. after checking a
   * signature over them: the JSON parser keeps them unparsed, and `request.body` is `{}`.
   */
  raw?: boolean;
}

/** What `request.body` holds for a streamed body: a description, never the data (idempotency hashes it). */
export interface StreamedBody {
  streamed: string;
  contentLength: string | null;
}

declare module 'fastify' {
  interface FastifyRequest {
    /** The unread body of a route that streams it (RouteBodyOptions.streamed). */
    bodyStream?: Readable;
  }
  interface FastifyContextConfig {
    routeBody?: RouteBodyOptions;
  }
}

/** Declares a route's body handling (see RouteBodyOptions); `registerRouteBodies` applies it. */
export const RouteBody = (options: RouteBodyOptions): MethodDecorator =>
  mergeRouteConfig({ routeBody: options });

/** Sockets carrying an upload that its route, past authentication, has started to read. */
const readingUploads = new WeakSet<Socket>();

/**
 * Lifts the whole-request time limit (HttpAppOptions.requestTimeoutMs) for a streamed upload
 * its handler reads: a million rows take longer than a minute to send. Called only once the
 * request is authenticated, so an anonymous client cannot hold a connection open this way.
 */
export function acceptLongUpload(request: FastifyRequest): void {
  const socket = request.raw.socket;
  readingUploads.add(socket);
  // Once the body is in, the connection's next request (keep-alive) has the usual limit again.
  const done = () => readingUploads.delete(socket);
  request.raw.once('end', done);
  request.raw.once('close', done);
}

/** Whether the socket's request is an upload `acceptLongUpload` let take its time. */
export const isLongUpload = (socket: Socket): boolean => readingUploads.has(socket);

/** The media types a route may stream. Each has a parser that hands the body through unread. */
const STREAMABLE = ['text/csv'];

/**
 * Applies each route's RouteBody: its JSON limit, and pass-through parsers for the types it
 * streams, so an upload of any size reaches its handler unread and unbuffered. Other routes
 * answer those types with 415 as they answer any type they do not take.
 */
export function registerRouteBodies(fastify: FastifyInstance): void {
  fastify.addHook('onRoute', (route) => {
    const limit = route.config?.routeBody?.jsonLimit;
    if (limit !== undefined) route.bodyLimit = limit;
  });
  fastify.addContentTypeParser(STREAMABLE, (request, payload, done) => {
    const type = (request.headers['content-type'] ?? '').split(';')[0].trim().toLowerCase();
    if (!request.routeOptions.config?.routeBody?.streamed?.includes(type)) {
      done(
        Object.assign(new Error('unsupported media type'), {
          code: 'FST_ERR_CTP_INVALID_MEDIA_TYPE',
          statusCode: 415,
        }),
        undefined,
      );
      return;
    }
    request.bodyStream = payload;
    const body: StreamedBody = { streamed: type, contentLength: request.headers['content-length'] ?? null };
    done(null, body);
  });
}
