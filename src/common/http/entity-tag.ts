import { hash } from 'node:crypto';
import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import type { FastifyInstance, FastifyRequest, preSerializationHookHandler } from 'fastify';
import { GatewayError } from '../../domain/errors';
import { canonicalJson } from '../hashing/canonical-json';
import { mergeRouteConfig } from './route-config';

/** Fields of a view that are not part of the resource's state (the vendor's own record). */
const UNVERSIONED_FIELDS = new Set(['raw']);

/**
 * The entity tag of a neutral view: a hash of its canonical JSON. Our vendors expose no
 * version or ETag of their own, so the tag changes exactly when what we show changes.
 */
export function entityTag(view: object): string {
  const versioned: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(view))
    if (!UNVERSIONED_FIELDS.has(name)) versioned[name] = value;
  return `"${hash('sha256', canonicalJson(versioned), 'base64url').slice(0, 27)}"`;
}

/** The `If-Match` header of a request, if it sent one. */
export const IfMatch = createParamDecorator((_: unknown, context: ExecutionContext): string | undefined => {
  const value = context.switchToHttp().getRequest<FastifyRequest>().headers['if-match'];
  return Array.isArray(value) ? value.join(', ') : value;
});

/**
 * Refuses a conditional change whose `If-Match` names none of the current state's tags, before
 * anything is changed. The check and the change are two steps: a change made at the vendor
 * between them (by anyone but us) is not caught, because the vendors offer no conditional write.
 */
export async function checkPrecondition(
  ifMatch: string | undefined,
  readCurrent: () => Promise<object>,
): Promise<void> {
  if (ifMatch === undefined) return;
  const wanted = ifMatch.split(',').map((tag) => tag.trim().replace(/^W\//, ''));
  const current = await readCurrent();
  if (wanted.includes('*') || wanted.includes(entityTag(current))) return;
  throw new GatewayError(
    'precondition_failed',
    'If-Match does not name the current version of this resource; read it again and retry with its ETag.',
  );
}

declare module 'fastify' {
  interface FastifyContextConfig {
    /** The route answers with a view whose `ETag` is sent (see Versioned). */
    versioned?: boolean;
  }
}

/** Sends the `ETag` of the view a route answers with (a read, or the state after a change). */
export const Versioned = (): MethodDecorator => mergeRouteConfig({ versioned: true });

/**
 * Tags each answer of a Versioned route from the view itself, before it is serialized. A route
 * hook rather than a Nest interceptor: an interceptor costs every read an observable chain.
 */
export function registerEntityTags(fastify: FastifyInstance): void {
  fastify.addHook('onRoute', (route) => {
    if (!route.config?.versioned) return;
    const tag: preSerializationHookHandler<unknown> = (_request, reply, payload, done) => {
      if (reply.statusCode < 300 && payload && typeof payload === 'object')
        void reply.header('etag', entityTag(payload));
      done(null, payload);
    };
    const existing = route.preSerialization;
    route.preSerialization = existing === undefined ? [tag] : [...[existing].flat(), tag];
  });
}
