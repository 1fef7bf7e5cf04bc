import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { type DataSource, LessThan, type Repository } from 'typeorm';
import { IdempotencyRecordEntity } from './idempotency-record.entity';

export interface StoredResponse {
  statusCode: number;
  headers: Record<string, string>;
  body: string;
}

/**
 * The idempotency_keys table. Records belong to the caller that sent the key (an API key id or
 * `admin`), so every method but the purge takes that owner id, as others take a tenant id.
 */
@Injectable()
export class IdempotencyRecordsRepository {
  private readonly records: Repository<IdempotencyRecordEntity>;

  constructor(@InjectDataSource() dataSource: DataSource) {
    this.records = dataSource.getRepository(IdempotencyRecordEntity);
  }

  /**
   * Claims the key for a request with this hash, locked from the database's now; false when the
   * owner has a record of that key already.
   */
  async insertClaim(ownerId: string, key: string, requestHash: string, expiresAt: Date): Promise<boolean> {
    const inserted = await this.records
      .createQueryBuilder()
      .insert()
      .values({
        ownerId,
        key,
        requestHash,
        state: 'in_progress',
        lockedAt: () => 'now()',
        expiresAt,
      })
      .orIgnore()
      .returning(['key'])
      .execute();
    return (inserted.raw as unknown[]).length > 0;
  }

  async find(ownerId: string, key: string): Promise<IdempotencyRecordEntity | null> {
    return this.records.findOne({ where: { ownerId, key } });
  }

  /** Deletes the owner's record of this key if it has expired. */
  async deleteIfExpired(ownerId: string, key: string): Promise<void> {
    await this.records.delete({ ownerId, key, expiresAt: LessThan(new Date()) });
  }

  /**
   * Takes over a claim locked longer than `staleMs` ago (an abandoned one), locking it from now;
   * false when it is fresher, completed or gone. Both times are the database's: claims are
   * locked with its now(), microseconds included, which a JavaScript Date cannot match exactly.
   */
  async retakeStaleClaim(ownerId: string, key: string, staleMs: number): Promise<boolean> {
    const taken = await this.records
      .createQueryBuilder()
      .update()
      .set({ lockedAt: () => 'now()' })
      .where(
        `owner_id = :ownerId AND key = :key AND state = 'in_progress' AND locked_at < now() - :staleMs * interval '1 millisecond'`,
        { ownerId, key, staleMs },
      )
      .execute();
    return taken.affected === 1;
  }

  /** Stores the answer of the claimed request; a replay sends it again. */
  async complete(ownerId: string, key: string, response: StoredResponse): Promise<void> {
    await this.records.update(
      { ownerId, key },
      {
        state: 'completed',
        statusCode: response.statusCode,
        responseHeaders: response.headers,
        responseBody: response.body,
      },
    );
  }

  /** Deletes the owner's claim of this key unless its request completed. */
  async deleteClaim(ownerId: string, key: string): Promise<void> {
    await this.records.delete({ ownerId, key, state: 'in_progress' });
  }

  /** Deletes every owner's expired records; returns how many. */
  async purgeExpired(): Promise<number> {
    const result = await this.records.delete({ expiresAt: LessThan(new Date()) });
    return result.affected ?? 0;
  }
}
