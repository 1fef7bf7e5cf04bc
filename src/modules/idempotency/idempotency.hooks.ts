import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { IdempotencyService } from './idempotency.service';

const KEPT_HEADERS = ['content-type', 'location'];

/**
 * Stores the final answer of a claimed request before it is sent (so an immediate retry
 * replays it), restores the status of a replayed one, and releases claims of 5xx answers.
 */
export function registerIdempotencyHooks(app: FastifyInstance, idempotency: IdempotencyService): void {
  // Callback style: most responses (every read) pass straight through without a promise.
  app.addHook('onSend', (request: FastifyRequest, reply: FastifyReply, payload: unknown, done) => {
    if (request.idempotentReplay) {
      void reply.code(request.idempotentReplay.statusCode);
      return done(null, payload);
    }
    const claim = request.idempotencyClaim;
    if (!claim) return done(null, payload);
    request.idempotencyClaim = undefined;
    store(idempotency, claim, reply, payload).then(
      () => done(null, payload),
      (error: Error) => done(error),
    );
  });
}

async function store(
  idempotency: IdempotencyService,
  claim: { ownerId: string; key: string },
  reply: FastifyReply,
  payload: unknown,
): Promise<void> {
  if (reply.statusCode >= 500 || (typeof payload !== 'string' && payload !== undefined && payload !== null)) {
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
