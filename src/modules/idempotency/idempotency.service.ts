import { createHash } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { canonicalJson } from '../../common/hashing/canonical-json';
import { GatewayError } from '../../domain/errors';
import { IdempotencyRecordsRepository, type StoredResponse } from './idempotency-records.repository';

const RETENTION_MS = 24 * 60 * 60 * 1000;
/** A claim whose request has not finished after this long is taken to be abandoned (crashed process). */
const STALE_CLAIM_MS = 5 * 60 * 1000;

export type ClaimResult = { kind: 'claimed' } | { kind: 'replay'; response: StoredResponse };

export function requestHash(method: string, url: string, body: unknown): string {
  return createHash('sha256')
    .update(`${method} ${url}\n${canonicalJson(body)}`)
    .digest('hex');
}

/** Stripe-style idempotency keys, stored in Postgres for 24 h and scoped to the calling key. */
@Injectable()
export class IdempotencyService {
  constructor(private readonly records: IdempotencyRecordsRepository) {}

  async claim(ownerId: string, key: string, hash: string): Promise<ClaimResult> {
    for (let attempt = 0; attempt < 3; attempt++) {
      if (await this.records.insertClaim(ownerId, key, hash, new Date(Date.now() + RETENTION_MS)))
        return { kind: 'claimed' };

      const existing = await this.records.find(ownerId, key);
      if (!existing) continue;
      if (existing.expiresAt.getTime() < Date.now()) {
        await this.records.deleteIfExpired(ownerId, key);
        continue;
      }
      if (existing.requestHash !== hash) {
        throw new GatewayError(
          'idempotency_key_reused',
          'This Idempotency-Key was already used with a different method, path or body.',
        );
      }
      if (existing.state === 'completed' && existing.statusCode !== null) {
        return {
          kind: 'replay',
          response: {
            statusCode: existing.statusCode,
            headers: existing.responseHeaders ?? {},
            body: existing.responseBody ?? '',
          },
        };
      }
      // The read's lock time settles a fresh claim without a write; the database decides a stale one.
      const looksStale = Date.now() - existing.lockedAt.getTime() > STALE_CLAIM_MS;
      if (looksStale && (await this.records.retakeStaleClaim(ownerId, key, STALE_CLAIM_MS)))
        return { kind: 'claimed' };
      throw new GatewayError(
        'idempotency_in_progress',
        'A request with this Idempotency-Key is still being processed; retry after it finishes.',
        { retryAfterSeconds: 1 },
      );
    }
    throw new GatewayError('idempotency_in_progress', 'The Idempotency-Key is contended; retry shortly.', {
      retryAfterSeconds: 1,
    });
  }

  async complete(ownerId: string, key: string, response: StoredResponse): Promise<void> {
    await this.records.complete(ownerId, key, response);
  }

  /** Forgets a claim whose request failed on our side, so the same key can be retried. */
  async release(ownerId: string, key: string): Promise<void> {
    await this.records.deleteClaim(ownerId, key);
  }

  async purgeExpired(): Promise<number> {
    return this.records.purgeExpired();
  }
}
