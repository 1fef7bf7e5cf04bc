import { Injectable } from '@nestjs/common';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { type HttpPlugin, HttpPluginProvider } from '../../common/http/http-plugin';
import type { ErrorCode } from '../../domain/errors';
import { IdempotencyService } from './idempotency.service';

const KEPT_HEADERS = ['content-type', 'location'];

/** Refusals we decide before acting on anything, whatever was read from a vendor to decide them. */
const REFUSED_BEFORE_ACTING = new Set<ErrorCode>([
  'validation_failed',
  'bad_request',
  'unsupported_media_type',
  'payload_too_large',
  'unauthorized',
  'forbidden',
  'precondition_failed',
  'rate_limited',
  'unsupported_operation',
]);

/**
 * Stores the final answer of a claimed request before it is sent (so an immediate retry
 * replays it), restores the status of a replayed one, and releases the claim when nothing was
 * done: a 5xx, or (as Stripe does) a 4xx refused before any side effect, so the corrected
 * request can use the same key.
 */
@Injectable()
@HttpPluginProvider()
export class IdempotencyHooks implements HttpPlugin {
  constructor(private readonly idempotency: IdempotencyService) {}

  register(fastify: FastifyInstance): void {
    const idempotency = this.idempotency;
    // Callback style: most responses (every read) pass straight through without a promise.
    fastify.addHook('onSend', (request: FastifyRequest, reply: FastifyReply, payload: unknown, done) => {
      if (request.idempotentReplay) {
        void reply.code(request.idempotentReplay.statusCode);
        return done(null, payload);
      }
      const claim = request.idempotencyClaim;
      if (!claim) return done(null, payload);
      request.idempotencyClaim = undefined;
      store(idempotency, claim, request, reply, payload).then(
        () => done(null, payload),
        (error: Error) => done(error),
      );
    });
  }
}

async function store(
  idempotency: IdempotencyService,
  claim: { ownerId: string; key: string },
  request: FastifyRequest,
  reply: FastifyReply,
  payload: unknown,
): Promise<void> {
  if (
    reply.statusCode >= 500 ||
    refusedBeforeAnySideEffect(request, reply) ||
    (typeof payload !== 'string' && payload !== undefined && payload !== null)
  ) {
    await idempotency.release(claim.ownerId, claim.key);
    return;
  }
  const headers: Record<string, string> = {};
  for (const name of KEPT_HEADERS) {
    const value = reply.getHeader(name);
    if (typeof value === 'string') headers[name] = value;
  }
  await idempotency.complete(claim.ownerId, claim.key, {
    statusCode: reply.statusCode,
    headers,
    body: typeof payload === 'string' ? payload : '',
  });
}

function refusedBeforeAnySideEffect(request: FastifyRequest, reply: FastifyReply): boolean {
  if (reply.statusCode < 400) return false;
  const code = request.gatewayError?.code;
  if (code !== undefined && REFUSED_BEFORE_ACTING.has(code)) return true;
  return (request.meta?.vendorCalls.calls.length ?? 0) === 0;
}
