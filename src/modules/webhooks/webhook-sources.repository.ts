import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import type { Repository } from 'typeorm';
import { constraintViolation } from '../../database/pg-errors';
import { keysetPage } from '../../common/pagination/keyset';
import { GatewayError } from '../../domain/errors';
import type { Page } from '../../domain/model';
import { WebhookSourceEntity } from './webhook-source.entity';

export const SOURCE_ID_PATTERN = /^[a-z0-9-]{3,63}$/;

/** Every read and write of the webhook_sources table. */
@Injectable()
export class WebhookSourcesRepository {
  constructor(
    @InjectRepository(WebhookSourceEntity) private readonly sources: Repository<WebhookSourceEntity>,
  ) {}

  async insert(row: {
    id: string;
    tenantId: string;
    secretCiphertext: string;
  }): Promise<WebhookSourceEntity> {
    try {
      await this.sources.insert(row);
    } catch (error) {
      if (constraintViolation(error)?.kind === 'unique')
        throw new GatewayError('conflict', `Webhook source id "${row.id}" is taken; choose another.`);
      throw error;
    }
    return (await this.find(row.id))!;
  }

  async find(id: string): Promise<WebhookSourceEntity | null> {
    if (!SOURCE_ID_PATTERN.test(id)) return null;
    return this.sources.findOneBy({ id });
  }

  async list(filter: {
    tenantId?: string;
    limit: number;
    cursor?: string;
  }): Promise<Page<WebhookSourceEntity>> {
    const qb = this.sources.createQueryBuilder('s');
    if (filter.tenantId !== undefined) qb.andWhere('s.tenant_id = :tenantId', { tenantId: filter.tenantId });
    return keysetPage(qb, {
      table: 'webhook_sources',
      alias: 's',
      orderColumn: 'created_at',
      direction: 'ASC',
      limit: filter.limit,
      cursor: filter.cursor,
      idOf: (row) => row.id,
      idPattern: SOURCE_ID_PATTERN,
    });
  }

  /** The current secret becomes the previous one for `overlapSeconds` (none when 0). */
  async rotate(id: string, secretCiphertext: string, overlapSeconds: number): Promise<WebhookSourceEntity> {
    await this.sources
      .createQueryBuilder()
      .update()
      .set({
        previousSecretCiphertext: () => (overlapSeconds > 0 ? 'secret_ciphertext' : 'NULL'),
        previousSecretExpiresAt: () =>
          overlapSeconds > 0 ? 'clock_timestamp() + make_interval(secs => :overlap)' : 'NULL',
        secretCiphertext,
        rotatedAt: () => 'clock_timestamp()',
      })
      .where('id = :id', { id })
      .setParameter('overlap', overlapSeconds)
      .execute();
    return (await this.find(id))!;
  }

  async delete(id: string): Promise<void> {
    await this.sources.delete({ id });
  }
}
