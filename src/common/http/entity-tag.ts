import { createHash } from 'node:crypto';
import {
  applyDecorators,
  type CallHandler,
  createParamDecorator,
  type ExecutionContext,
  Injectable,
  type NestInterceptor,
  UseInterceptors,
} from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { map, type Observable } from 'rxjs';
import { GatewayError } from '../../domain/errors';
import { canonicalJson } from '../hashing/canonical-json';

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
  return `"${createHash('sha256').update(canonicalJson(versioned)).digest('base64url').slice(0, 27)}"`;
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

@Injectable()
class EntityTagInterceptor implements NestInterceptor {
  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const reply = context.switchToHttp().getResponse<FastifyReply>();
    return next.handle().pipe(
      map((view: unknown) => {
        if (view && typeof view === 'object') void reply.header('etag', entityTag(view));
        return view;
      }),
    );
  }
}

/** Sends the `ETag` of the view a route answers with (a read, or the state after a change). */
export const Versioned = (): MethodDecorator => applyDecorators(UseInterceptors(EntityTagInterceptor));
