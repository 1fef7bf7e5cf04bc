import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { IdempotencyService } from './idempotency.service';

const KEPT_HEADERS = ['content-type', 'location'];

/**
 * Stores the final answer of a claimed request before it is sent (so an immediate retry
 * replays it), restores the status of a replayed one, and releases claims of 5xx answers.
 */
export function registerIdempotencyHooks(app: FastifyInstance, idempotency: IdempotencyService): void {
  app.addHook('onSend', async (request: FastifyRequest, reply: FastifyReply, payload: unknown) => {
    if (request.idempotentReplay) {
      void reply.code(request.idempotentReplay.statusCode);
      return payload;
    }
    const claim = request.idempotencyClaim;
    if (!claim) return payload;
    request.idempotencyClaim = undefined;
    if (
      reply.statusCode >= 500 ||
      (typeof payload !== 'string' && payload !== undefined && payload !== null)
    ) {
      await idempotency.release(claim.ownerId, claim.key);
      return payload;
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
    return payload;
  });
}
