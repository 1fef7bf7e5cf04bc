import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { WriteBatcher } from '../../common/batching/write-batcher';
import { keysetPage } from '../../common/pagination/keyset';
import type { Page } from '../../domain/model';
import { WebhookEventEntity, type WebhookEventError, type WebhookEventStatus } from './webhook-event.entity';

export interface NewWebhookEvent {
  id: string;
  sourceId: string;
  tenantId: string;
  webhookId: string;
  type: string;
  payloadCiphertext: string | null;
  data: Record<string, unknown> | null;
  requestId: string | null;
  /** Set for an event refused at intake (it is stored as `failed`). */
  error?: WebhookEventError;
}

export interface WebhookEventFilter {
  tenantId?: string;
  sourceId?: string;
  status?: WebhookEventStatus;
  limit: number;
  cursor?: string;
}

const UUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Every read and write of the webhook_events table; a finished event never changes again.
 * Guarded updates are wrapped in `WITH … SELECT` because TypeORM answers a bare UPDATE with
 * `[rows, count]`, not the returned rows.
 */
@Injectable()
export class WebhookEventsRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  /** Events stored per statement at most (ten parameters each). */
  private readonly inserts = new WriteBatcher<NewWebhookEvent, boolean>(
    (events) => this.insertMany(events),
    100,
  );

  /**
   * Inserts the event unless its `(sourceId, webhookId)` exists: the unique constraint decides
   * between concurrent copies. Returns false for a copy. Deliveries arriving together share one
   * statement (WriteBatcher); each is stored, committed, before its caller hears of it.
   */
  insertOnce(event: NewWebhookEvent): Promise<boolean> {
    return this.inserts.submit(event);
  }

  private async insertMany(events: NewWebhookEvent[]): Promise<boolean[]> {
    const values: unknown[] = [];
    const rows = events.map((event) => {
      const at = values.length;
      values.push(
        event.id,
        event.sourceId,
        event.tenantId,
        event.webhookId,
        event.type,
        event.error ? 'failed' : 'received',
        event.payloadCiphertext,
        event.data === null ? null : JSON.stringify(event.data),
        event.error ? JSON.stringify(event.error) : null,
        event.requestId,
      );
      const $ = (n: number) => `$${at + n}`;
      return `(${$(1)}::uuid, ${$(2)}, ${$(3)}, ${$(4)}, ${$(5)}, ${$(6)}, ${$(7)}, ${$(8)}::jsonb, ${$(9)}::jsonb, ${$(10)},
        CASE WHEN ${$(6)} = 'failed' THEN clock_timestamp() END)`;
    });
    const inserted: { id: string }[] = await this.db.query(
      `INSERT INTO webhook_events (id, source_id, tenant_id, webhook_id, type, status, payload_ciphertext, data, error, request_id, finished_at)
       VALUES ${rows.join(', ')}
       ON CONFLICT (source_id, webhook_id) DO NOTHING
       RETURNING id`,
      values,
    );
    const ids = new Set(inserted.map((row) => row.id));
    return events.map((event) => ids.has(event.id));
  }

  async findByWebhookId(sourceId: string, webhookId: string): Promise<WebhookEventEntity | null> {
    return this.db.getRepository(WebhookEventEntity).findOneBy({ sourceId, webhookId });
  }

  async find(id: string): Promise<WebhookEventEntity | null> {
    if (!UUID_PATTERN.test(id)) return null;
    return this.db.getRepository(WebhookEventEntity).findOneBy({ id });
  }

  /** Records each event's job, where it has none yet (a job recorded first wins). */
  async attachJobs(pairs: readonly { id: string; jobId: string }[]): Promise<void> {
    await this.db.query(
      `UPDATE webhook_events e SET job_id = v.job_id
       FROM unnest($1::uuid[], $2::uuid[]) AS v(id, job_id)
       WHERE e.id = v.id AND e.job_id IS NULL`,
      [pairs.map((pair) => pair.id), pairs.map((pair) => pair.jobId)],
    );
  }

  /**
   * Claims the event for one try by `jobId`: only an unfinished event whose job is this one
   * (or not recorded yet) is returned, so a second job for the same event does nothing.
   */
  async claim(id: string, jobId: string): Promise<WebhookEventEntity | null> {
    const rows: { id: string }[] = await this.db.query(
      `WITH u AS (
         UPDATE webhook_events SET job_id = $2, attempts = attempts + 1, updated_at = clock_timestamp()
         WHERE id = $1 AND status = 'received' AND (job_id IS NULL OR job_id = $2)
         RETURNING id)
       SELECT id FROM u`,
      [id, jobId],
    );
    return rows.length ? this.find(id) : null;
  }

  /** A try failed and will be retried: the error is shown while the event stays `received`. */
  async noteError(id: string, error: WebhookEventError): Promise<void> {
    await this.db.query(
      `UPDATE webhook_events SET error = $2, updated_at = clock_timestamp() WHERE id = $1 AND status = 'received'`,
      [id, JSON.stringify(error)],
    );
  }

  /** Ends the event and erases its encrypted payload; false when it had already ended. */
  async finish(
    id: string,
    outcome:
      | { status: 'processed'; result: Record<string, unknown> }
      | { status: 'failed'; error: WebhookEventError },
  ): Promise<boolean> {
    const rows: unknown[] = await this.db.query(
      `WITH u AS (
         UPDATE webhook_events
         SET status = $2, result = $3, error = $4, payload_ciphertext = NULL,
             finished_at = clock_timestamp(), updated_at = clock_timestamp()
         WHERE id = $1 AND status = 'received'
         RETURNING id)
       SELECT id FROM u`,
      [
        id,
        outcome.status,
        outcome.status === 'processed' ? JSON.stringify(outcome.result) : null,
        outcome.status === 'failed' ? JSON.stringify(outcome.error) : null,
      ],
    );
    return rows.length === 1;
  }

  /** Events no job was recorded for (the process died between storing and queueing). */
  async unqueued(olderThanMs: number, limit: number): Promise<WebhookEventEntity[]> {
    return this.db
      .getRepository(WebhookEventEntity)
      .createQueryBuilder('e')
      .where(`e.status = 'received' AND e.job_id IS NULL`)
      .andWhere(`e.received_at < clock_timestamp() - make_interval(secs => :seconds)`, {
        seconds: olderThanMs / 1000,
      })
      .orderBy('e.received_at', 'ASC')
      .limit(limit)
      .getMany();
  }

  async list(filter: WebhookEventFilter): Promise<Page<WebhookEventEntity>> {
    const qb = this.db.getRepository(WebhookEventEntity).createQueryBuilder('e');
    if (filter.tenantId !== undefined) qb.andWhere('e.tenant_id = :tenantId', { tenantId: filter.tenantId });
    if (filter.sourceId !== undefined) qb.andWhere('e.source_id = :sourceId', { sourceId: filter.sourceId });
    if (filter.status !== undefined) qb.andWhere('e.status = :status', { status: filter.status });
    return keysetPage(qb, {
      table: 'webhook_events',
      alias: 'e',
      orderColumn: 'received_at',
      direction: 'DESC',
      limit: filter.limit,
      cursor: filter.cursor,
      idOf: (row) => row.id,
      idPattern: UUID_PATTERN,
    });
  }
}
