import type { FastifyInstance } from 'fastify';
import { parseBoundedJson } from './bounded-json';

export const BODY_LIMIT_BYTES = 1024 * 1024;

declare module 'fastify' {
  interface FastifyRequest {
    /** The exact bytes of a JSON body, e.g. for signature checks (Nest's `RawBodyRequest` shape). */
    rawBody?: Buffer;
  }
}

/**
 * JSON, bounded (see bounded-json.ts), is the one body type every route takes; its raw bytes
 * stay on the request as `rawBody`. Fastify's other default parsers (text/plain) and Nest's
 * (form-urlencoded) are not registered, so any other media type is 415 before its body is read,
 * unless a route streams it (RouteBody, route-bodies.ts). Register before registerRouteBodies.
 */
export function registerBodyParsers(fastify: FastifyInstance): void {
  fastify.removeAllContentTypeParsers();
  // No bodyLimit here: the route's own (RouteBody jsonLimit) or the app's applies.
  fastify.addContentTypeParser('application/json', { parseAs: 'buffer' }, (request, body, done) => {
    const bytes = body as Buffer;
    request.rawBody = bytes;
    // Nothing of an unverified body is parsed: the route parses it once its signature holds.
    if (request.routeOptions.config?.routeBody?.raw) return done(null, {});
    try {
      done(null, parseBoundedJson(bytes));
    } catch (error) {
      done(error as Error, undefined);
    }
  });
}
