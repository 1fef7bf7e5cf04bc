import { type CallHandler, type ExecutionContext, Injectable, type NestInterceptor } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { from, mergeMap, type Observable, of } from 'rxjs';
import { GatewayError } from '../../domain/errors';
import type { StoredResponse } from './idempotency-records.repository';
import { IdempotencyService, requestHash } from './idempotency.service';

const MUTATING = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
const REPLAYED_HEADER = 'idempotent-replayed';

declare module 'fastify' {
  interface FastifyRequest {
    /** The claim this request holds; the onSend hook stores the response under it. */
    idempotencyClaim?: { ownerId: string; key: string };
    /** A stored response to send again instead of running the handler. */
    idempotentReplay?: StoredResponse;
  }
}

/**
 * Runs outermost among interceptors: a first request claims its key and runs; a repeat with
 * the same body replays the stored answer; a different body or a concurrent repeat is refused.
 */
@Injectable()
export class IdempotencyInterceptor implements NestInterceptor {
  constructor(private readonly idempotency: IdempotencyService) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const request = context.switchToHttp().getRequest<FastifyRequest>();
    const raw = request.headers['idempotency-key'];
    if (raw === undefined || !MUTATING.has(request.method) || !request.principal) return next.handle();
    const key = Array.isArray(raw) ? raw[0] : raw;
    if (Array.isArray(raw) || key.length < 1 || key.length > 255 || /[^\x20-\x7e]/.test(key)) {
      throw GatewayError.validation([
        { field: 'Idempotency-Key', message: 'must be one header of 1-255 printable ASCII characters' },
      ]);
    }
    const ownerId = request.principal.id;
    const hash = requestHash(request.method, request.url, request.body);
    return from(this.idempotency.claim(ownerId, key, hash)).pipe(
      mergeMap((claim) => {
        if (claim.kind === 'replay') {
          request.idempotentReplay = claim.response;
          const reply = context.switchToHttp().getResponse<FastifyReply>();
          void reply.headers({ ...claim.response.headers, [REPLAYED_HEADER]: 'true' });
          return of(claim.response.body === '' ? undefined : claim.response.body);
        }
        request.idempotencyClaim = { ownerId, key };
        return next.handle();
      }),
    );
  }
}
