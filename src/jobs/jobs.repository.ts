import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager } from 'typeorm';
import { constraintViolation } from '../database/pg-errors';
import { decodeCursor, encodeCursor } from '../common/pagination/cursor';
import { keysetPage } from '../common/pagination/keyset';
import { GatewayError } from '../domain/errors';
import type { Page } from '../domain/model';
import type { JobItemRef, OperationItem } from './job-definition';
import { type ItemState, JobEntity, type JobErrorRecord, JobItemEntity, type JobState } from './job.entity';

export interface NewJob {
  type: string;
  tenantId: string | null;
  payload: Record<string, unknown>;
  createdBy: string;
  requestId: string | null;
}

export interface NewJobItem {
  /** Unique within the job (an email address, a store id). */
  key: string;
  /** Per-item input (never credentials). */
  input?: Record<string, unknown> | null;
}

/**
 * Writes a job's items in bulk inside the transaction that creates the job (the job row exists
 * already); returns how many it wrote and how many of them it wrote as failed.
 */
export type ItemsWriter = (tx: EntityManager, jobId: string) => Promise<{ total: number; failed: number }>;

export interface JobFilter {
  tenantId?: string;
  type?: string;
  state?: JobState;
  limit: number;
  cursor?: string;
}

export interface ItemCheckpoint {
  state: 'succeeded' | 'failed';
  code?: string | null;
  detail?: string | null;
  result?: Record<string, unknown> | null;
  /** Tries of the item so far, counting in-place retries of this delivery. */
  attempts?: number;
  record?: (tx: EntityManager) => Promise<void>;
}

/** A pending item as the runner reads it. */
export type PendingItem = Omit<JobItemRef, 'attempts'>;

/** A batch item's checkpoint. */
export type BatchItemCheckpoint = Omit<ItemCheckpoint, 'record' | 'attempts'> & { seq: number };

/** What a running batch job reports besides its counters, for dashboards. */
export interface JobStats {
  /** Items claimed by the delivery and not yet checkpointed. */
  running: number;
  /** Items finished per second over the last few seconds. */
  ratePerSecond: number;
  /** Set while the job waits for its vendor (an outage or a rate limit): until when, ISO 8601. */
  waitingUntil: string | null;
}

/** What a worker learns from each write: whether the job was asked to stop meanwhile. */
export interface JobSignal {
  cancelRequested: boolean;
  state: JobState;
}

const UUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const ITEM_CHUNK = 1000;
/** jobs.tenant_id REFERENCES tenants(id): the constraint Postgres names for it. */
const JOB_TENANT_CONSTRAINT = 'jobs_tenant_id_fkey';

interface SignalRow {
  cancel_requested_at: Date | null;
  state: JobState;
}

/** An int[] parameter as its literal: pg's generic array escaping costs per element. */
export const intArray = (values: readonly number[]): string => `{${values.join(',')}}`;

/**
 * A batch's seqs as three parameters, for `seq = ANY($n::int[]) AND seq BETWEEN $n+1 AND $n+2`:
 * the range bounds the index scan to the batch whatever the planner's statistics say.
 */
export function seqSet(seqs: readonly number[]): [string, number, number] {
  let low = Infinity;
  let high = -Infinity;
  for (const seq of seqs) {
    if (seq < low) low = seq;
    if (seq > high) high = seq;
  }
  return [intArray(seqs), low, high];
}

const toSignal = (row: SignalRow | undefined): JobSignal | null =>
  row ? { cancelRequested: row.cancel_requested_at !== null, state: row.state } : null;

/**
 * Every read and write of job records. Item checkpoints and the job's counters change in one
 * transaction, guarded by the item's state, so counters always equal the item table and a
 * checkpoint applied twice (a duplicate delivery) changes nothing.
 */
@Injectable()
export class JobsRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  async create(
    job: NewJob,
    items?: Iterable<NewJobItem> | AsyncIterable<NewJobItem> | ItemsWriter,
  ): Promise<JobEntity> {
    const id = randomUUID();
    try {
      await this.db.transaction(async (tx) => {
        await tx.query(
          `INSERT INTO jobs (id, type, tenant_id, state, payload, created_by, request_id)
           VALUES ($1, $2, $3, 'queued', $4, $5, $6)`,
          [id, job.type, job.tenantId, JSON.stringify(job.payload), job.createdBy, job.requestId],
        );
        if (!items) return;
        if (typeof items === 'function') {
          const { total, failed } = await items(tx, id);
          await tx.query(`UPDATE jobs SET total = $2, done = $3, failed = $3 WHERE id = $1`, [
            id,
            total,
            failed,
          ]);
          return;
        }
        let seq = 0;
        let chunk: NewJobItem[] = [];
        const flush = async () => {
          if (!chunk.length) return;
          await tx.query(
            `INSERT INTO job_items (job_id, seq, key, state, input)
             SELECT $1, s, k, 'pending', i FROM unnest($2::int[], $3::text[], $4::jsonb[]) AS t(s, k, i)`,
            [
              id,
              chunk.map((_, n) => seq - chunk.length + n),
              chunk.map((item) => item.key),
              chunk.map((item) => (item.input ? JSON.stringify(item.input) : null)),
            ],
          );
          chunk = [];
        };
        for await (const item of items) {
          chunk.push(item);
          seq++;
          if (chunk.length >= ITEM_CHUNK) await flush();
        }
        await flush();
        await tx.query(`UPDATE jobs SET total = $2 WHERE id = $1`, [id, seq]);
      });
    } catch (error) {
      const violation = constraintViolation(error);
      if (violation?.kind === 'unique') {
        throw GatewayError.validation([{ field: 'items', message: 'item keys must be unique within a job' }]);
      }
      // The caller saw the tenant, but a concurrent DELETE /v1/tenants/{id} committed before this
      // insert: the answer is the one the request would have had a moment later.
      if (violation?.kind === 'foreign_key' && violation.constraint === JOB_TENANT_CONSTRAINT) {
        throw GatewayError.notFound(`Tenant "${job.tenantId}"`);
      }
      throw error;
    }
    return this.get(id);
  }

  /**
   * Records several item-less jobs in one statement (all or none); answers what dispatching
   * them needs, in the order given. A tenant deleted meanwhile fails the whole statement.
   */
  async createMany(jobs: readonly NewJob[]): Promise<Pick<JobEntity, 'id' | 'run' | 'type'>[]> {
    if (jobs.length === 0) return [];
    const ids = jobs.map(() => randomUUID());
    await this.db.query(
      `INSERT INTO jobs (id, type, tenant_id, state, payload, created_by, request_id)
       SELECT id, type, tenant_id, 'queued', payload, created_by, request_id
       FROM unnest($1::uuid[], $2::text[], $3::text[], $4::jsonb[], $5::text[], $6::text[])
         AS t(id, type, tenant_id, payload, created_by, request_id)`,
      [
        ids,
        jobs.map((job) => job.type),
        jobs.map((job) => job.tenantId),
        jobs.map((job) => JSON.stringify(job.payload)),
        jobs.map((job) => job.createdBy),
        jobs.map((job) => job.requestId),
      ],
    );
    return jobs.map((job, n) => ({ id: ids[n], run: 1, type: job.type }));
  }

  async get(id: string): Promise<JobEntity> {
    const job = await this.find(id);
    if (!job) throw GatewayError.notFound(`Job "${id}"`);
    return job;
  }

  async find(id: string): Promise<JobEntity | null> {
    if (!UUID_PATTERN.test(id)) return null;
    return this.db.getRepository(JobEntity).findOneBy({ id });
  }

  async list(filter: JobFilter): Promise<Page<JobEntity>> {
    const qb = this.db.getRepository(JobEntity).createQueryBuilder('j');
    if (filter.tenantId !== undefined) qb.andWhere('j.tenant_id = :tenantId', { tenantId: filter.tenantId });
    if (filter.type !== undefined) qb.andWhere('j.type = :type', { type: filter.type });
    if (filter.state !== undefined) qb.andWhere('j.state = :state', { state: filter.state });
    return keysetPage(qb, {
      table: 'jobs',
      alias: 'j',
      orderColumn: 'created_at',
      direction: 'DESC',
      limit: filter.limit,
      cursor: filter.cursor,
      idOf: (row) => row.id,
      idPattern: UUID_PATTERN,
    });
  }

  async listItems(
    jobId: string,
    state: ItemState | undefined,
    limit: number,
    cursor?: string,
  ): Promise<Page<JobItemEntity>> {
    const after = decodeCursor<{ seq: number }>(cursor, ['seq']);
    // `seq` is an int4: anything else would reach Postgres as an invalid integer (a 500).
    if (after && !(Number.isInteger(after.seq) && after.seq >= 0 && after.seq <= 2_147_483_647)) {
      throw GatewayError.validation([{ field: 'cursor', message: 'is not a cursor this API returned' }]);
    }
    const qb = this.db
      .getRepository(JobItemEntity)
      .createQueryBuilder('i')
      .where('i.job_id = :jobId', { jobId });
    if (state) qb.andWhere('i.state = :state', { state });
    if (after) qb.andWhere('i.seq > :after', { after: after.seq });
    const rows = await qb
      .orderBy('i.seq', 'ASC')
      .limit(limit + 1)
      .getMany();
    const data = rows.slice(0, limit);
    const last = data[data.length - 1];
    return { data, nextCursor: rows.length > limit && last ? encodeCursor({ seq: last.seq }) : null };
  }

  /** Claims a delivery of `run`: queued or running (a redelivery) becomes running. */
  async start(id: string, run: number): Promise<JobEntity | null> {
    const rows: { id: string }[] = await this.db.query(
      `WITH u AS (
         UPDATE jobs SET state = 'running', started_at = coalesce(started_at, clock_timestamp()),
           deliveries = deliveries + 1, heartbeat_at = clock_timestamp(), updated_at = clock_timestamp()
         WHERE id = $1 AND run = $2 AND state IN ('queued', 'running') RETURNING id)
       SELECT id FROM u`,
      [id, run],
    );
    return rows.length ? this.find(id) : null;
  }

  /** Items a dead delivery left `running` go back to `pending`. */
  async releaseRunningItems(jobId: string): Promise<void> {
    await this.db.query(
      `UPDATE job_items SET state = 'pending', updated_at = clock_timestamp() WHERE job_id = $1 AND state = 'running'`,
      [jobId],
    );
  }

  async pendingItems(jobId: string, afterSeq: number, limit: number): Promise<PendingItem[]> {
    return this.db.query(
      `SELECT seq, key, input FROM job_items WHERE job_id = $1 AND state = 'pending' AND seq > $2 ORDER BY seq LIMIT $3`,
      [jobId, afterSeq, limit],
    );
  }

  /**
   * Replaces a finished operation's items with its verdicts and sets the counters to match, in
   * one transaction, so a repeated delivery writes the same items again. The job's row is locked
   * first (no foreign key checks job_items): a job deleted meanwhile gets no items.
   */
  async recordOperationItems(jobId: string, items: OperationItem[]): Promise<void> {
    const failed = items.filter((item) => item.state === 'failed').length;
    await this.db.transaction(async (tx) => {
      const job: unknown[] = await tx.query(`SELECT 1 FROM jobs WHERE id = $1 FOR KEY SHARE`, [jobId]);
      if (!job.length) throw new GatewayError('not_found', `Job ${jobId} no longer exists.`);
      await tx.query(`DELETE FROM job_items WHERE job_id = $1`, [jobId]);
      for (const [index, item] of items.entries()) {
        await tx.query(
          `INSERT INTO job_items (job_id, seq, key, state, attempts, code, detail, result)
           VALUES ($1, $2, $3, $4, 1, $5, $6, $7)`,
          [
            jobId,
            index + 1,
            item.key,
            item.state,
            item.code ?? null,
            item.detail ?? null,
            item.result ? JSON.stringify(item.result) : null,
          ],
        );
      }
      await tx.query(`UPDATE jobs SET total = $2, done = $2, succeeded = $3, failed = $4 WHERE id = $1`, [
        jobId,
        items.length,
        items.length - failed,
        failed,
      ]);
    });
  }

  /** Marks an item running and counts the try; null when another delivery took it. */
  async claimItem(jobId: string, seq: number): Promise<number | null> {
    const rows: { attempts: number }[] = await this.db.query(
      `WITH u AS (
         UPDATE job_items SET state = 'running', attempts = attempts + 1, updated_at = clock_timestamp()
         WHERE job_id = $1 AND seq = $2 AND state = 'pending' RETURNING attempts)
       SELECT attempts FROM u`,
      [jobId, seq],
    );
    return rows.length ? rows[0].attempts : null;
  }

  async unclaimItem(jobId: string, seq: number): Promise<void> {
    await this.db.query(
      `UPDATE job_items SET state = 'pending', updated_at = clock_timestamp() WHERE job_id = $1 AND seq = $2 AND state = 'running'`,
      [jobId, seq],
    );
  }

  /** The seqs of the next `limit` pending items after `afterSeq` (read off job_items_state_idx alone). */
  async pendingSeqs(jobId: string, afterSeq: number, limit: number): Promise<number[]> {
    const rows: { seq: number }[] = await this.db.query(
      `SELECT seq FROM job_items WHERE job_id = $1 AND state = 'pending' AND seq > $2 ORDER BY seq LIMIT $3`,
      [jobId, afterSeq, limit],
    );
    return rows.map((r) => r.seq);
  }

  /**
   * Marks the pending ones of `seqs` running and counts a try, in one statement; answers them in
   * seq order with their attempts. Items another delivery took meanwhile are left out.
   */
  async claimItems(jobId: string, seqs: number[]): Promise<JobItemRef[]> {
    const rows: JobItemRef[] = await this.db.query(
      `WITH u AS (
         UPDATE job_items SET state = 'running', attempts = attempts + 1, updated_at = clock_timestamp()
         WHERE job_id = $1 AND seq = ANY($2::int[]) AND seq BETWEEN $3 AND $4 AND state = 'pending'
         RETURNING seq, key, input, attempts)
       SELECT * FROM u`,
      [jobId, ...seqSet(seqs)],
    );
    return rows.sort((a, b) => a.seq - b.seq);
  }

  /** Running items back to pending; `uncounted` ones also take back the try their claim counted. */
  async giveBackItems(jobId: string, seqs: number[], uncounted: number[]): Promise<void> {
    if (!seqs.length) return;
    await this.db.query(
      `UPDATE job_items SET state = 'pending', updated_at = clock_timestamp(),
         attempts = CASE WHEN seq = ANY($3::int[]) THEN greatest(attempts - 1, 0) ELSE attempts END
       WHERE job_id = $1 AND seq = ANY($2::int[]) AND state = 'running'`,
      [jobId, intArray(seqs), intArray(uncounted)],
    );
  }

  /**
   * Marks a batch's finished items done, runs its bookkeeping with the seqs that changed and
   * moves the counters, in one transaction. Items another delivery already finished are
   * skipped; null when none changed.
   */
  async checkpointItems(
    jobId: string,
    items: BatchItemCheckpoint[],
    record?: (tx: EntityManager, finishedSeqs: number[]) => Promise<void>,
  ): Promise<{ signal: JobSignal | null; finished: { seq: number; state: 'succeeded' | 'failed' }[] }> {
    if (!items.length) return { signal: null, finished: [] };
    return this.db.transaction(async (tx) => {
      // One JSON parameter: JSON.stringify is far cheaper than pg's escaping of five arrays.
      const finished: { seq: number; state: 'succeeded' | 'failed' }[] = await tx.query(
        `WITH v AS (
           SELECT * FROM jsonb_to_recordset($2::jsonb) AS t(seq int, state text, code text, detail text, result jsonb)),
         u AS (
           UPDATE job_items AS i SET state = v.state, code = v.code, detail = v.detail, result = v.result,
             updated_at = clock_timestamp()
           FROM v WHERE i.job_id = $1 AND i.seq = v.seq AND i.state IN ('pending', 'running')
           RETURNING i.seq, i.state)
         SELECT seq, state FROM u`,
        [
          jobId,
          JSON.stringify(
            items.map((i) => ({
              seq: i.seq,
              state: i.state,
              code: i.code ?? null,
              detail: i.detail ?? null,
              result: i.result ?? null,
            })),
          ),
        ],
      );
      if (!finished.length) return { signal: null, finished };
      if (record)
        await record(
          tx,
          finished.map((f) => f.seq),
        );
      const ok = finished.filter((f) => f.state === 'succeeded').length;
      const rows: SignalRow[] = await tx.query(
        `WITH u AS (
           UPDATE jobs SET done = done + $2, succeeded = succeeded + $3, failed = failed + $4, updated_at = clock_timestamp()
           WHERE id = $1 RETURNING cancel_requested_at, state)
         SELECT * FROM u`,
        [jobId, finished.length, ok, finished.length - ok],
      );
      return { signal: toSignal(rows[0]), finished };
    });
  }

  /** Stores a running batch job's stats (null clears them) and reads whether a cancel was requested. */
  async reportStats(id: string, stats: JobStats | null): Promise<JobSignal | null> {
    const rows: SignalRow[] = await this.db.query(
      `WITH u AS (UPDATE jobs SET stats = $2, heartbeat_at = clock_timestamp() WHERE id = $1 RETURNING cancel_requested_at, state)
       SELECT * FROM u`,
      [id, stats ? JSON.stringify(stats) : null],
    );
    return toSignal(rows[0]);
  }

  /** How many items ended with each code (items without a code count under their state). */
  async countItemsByCode(jobId: string): Promise<Record<string, number>> {
    const rows: { code: string; n: number }[] = await this.db.query(
      `SELECT coalesce(code, state) AS code, count(*)::int AS n FROM job_items WHERE job_id = $1 GROUP BY 1 ORDER BY 1`,
      [jobId],
    );
    return Object.fromEntries(rows.map((r) => [r.code, r.n]));
  }

  /**
   * Marks an item done, runs its bookkeeping and moves the counters in one transaction.
   * Returns null (and writes nothing) when the item was already done by another delivery.
   */
  async checkpointItem(jobId: string, seq: number, outcome: ItemCheckpoint): Promise<JobSignal | null> {
    return this.db.transaction(async (tx) => {
      const updated: { seq: number }[] = await tx.query(
        `WITH u AS (
           UPDATE job_items SET state = $3, code = $4, detail = $5, result = $6,
             attempts = greatest(attempts, coalesce($7::integer, attempts)), updated_at = clock_timestamp()
           WHERE job_id = $1 AND seq = $2 AND state IN ('pending', 'running') RETURNING seq)
         SELECT seq FROM u`,
        [
          jobId,
          seq,
          outcome.state,
          outcome.code ?? null,
          outcome.detail ?? null,
          outcome.result ? JSON.stringify(outcome.result) : null,
          outcome.attempts ?? null,
        ],
      );
      if (!updated.length) return null;
      if (outcome.record) await outcome.record(tx);
      const ok = outcome.state === 'succeeded' ? 1 : 0;
      const rows: SignalRow[] = await tx.query(
        `WITH u AS (
           UPDATE jobs SET done = done + 1, succeeded = succeeded + $2, failed = failed + $3, updated_at = clock_timestamp()
           WHERE id = $1 RETURNING cancel_requested_at, state)
         SELECT * FROM u`,
        [jobId, ok, 1 - ok],
      );
      return toSignal(rows[0]);
    });
  }

  /** Proves the delivery is alive and reads whether a cancel was requested. */
  async heartbeat(id: string): Promise<JobSignal | null> {
    const rows: SignalRow[] = await this.db.query(
      `WITH u AS (UPDATE jobs SET heartbeat_at = clock_timestamp() WHERE id = $1 RETURNING cancel_requested_at, state)
       SELECT * FROM u`,
      [id],
    );
    return toSignal(rows[0]);
  }

  async saveCheckpoint(id: string, checkpoint: Record<string, unknown>): Promise<JobSignal | null> {
    const rows: SignalRow[] = await this.db.query(
      `WITH u AS (UPDATE jobs SET checkpoint = $2, updated_at = clock_timestamp() WHERE id = $1 RETURNING cancel_requested_at, state)
       SELECT * FROM u`,
      [id, JSON.stringify(checkpoint)],
    );
    return toSignal(rows[0]);
  }

  async reportProgress(
    id: string,
    percent: number | null | undefined,
    message: string | null | undefined,
  ): Promise<JobSignal | null> {
    const rows: SignalRow[] = await this.db.query(
      `WITH u AS (
         UPDATE jobs SET progress_percent = CASE WHEN $2::boolean THEN $3::smallint ELSE progress_percent END,
           progress_message = CASE WHEN $4::boolean THEN $5 ELSE progress_message END, updated_at = clock_timestamp()
         WHERE id = $1 AND (progress_percent IS DISTINCT FROM $3::smallint OR progress_message IS DISTINCT FROM $5)
         RETURNING cancel_requested_at, state)
       SELECT * FROM u`,
      [
        id,
        percent !== undefined,
        percent === undefined ? null : percent,
        message !== undefined,
        message ?? null,
      ],
    );
    return toSignal(rows[0]) ?? this.heartbeat(id);
  }

  /** The last transient error, visible while the job waits for its next delivery. */
  async noteError(id: string, error: JobErrorRecord): Promise<void> {
    await this.db.query(
      `UPDATE jobs SET error = $2, updated_at = clock_timestamp() WHERE id = $1 AND state = 'running'`,
      [id, JSON.stringify(error)],
    );
  }

  /**
   * Ends a running job. Cancelled jobs cancel their unfinished items; other endings return
   * running items to pending so a retry picks them up. Null when the job was not running.
   */
  async finish(
    id: string,
    state: Exclude<JobState, 'queued' | 'running'>,
    outcome: { result?: Record<string, unknown> | null; error?: JobErrorRecord | null },
    from: JobState[] = ['running'],
  ): Promise<JobEntity | null> {
    const finished = await this.db.transaction(async (tx) => {
      const rows: { id: string }[] = await tx.query(
        `WITH u AS (
           UPDATE jobs SET state = $2, result = $3, error = $4, finished_at = clock_timestamp(), updated_at = clock_timestamp(),
             progress_percent = CASE WHEN $2 = 'succeeded' THEN 100 ELSE progress_percent END
           WHERE id = $1 AND state = ANY($5::text[]) RETURNING id)
         SELECT id FROM u`,
        [
          id,
          state,
          outcome.result ? JSON.stringify(outcome.result) : null,
          outcome.error ? JSON.stringify(outcome.error) : null,
          from,
        ],
      );
      if (!rows.length) return false;
      await tx.query(
        `UPDATE job_items SET state = $2, updated_at = clock_timestamp()
         WHERE job_id = $1 AND state IN ('pending', 'running') AND (state = 'running' OR $2 = 'cancelled')`,
        [id, state === 'cancelled' ? 'cancelled' : 'pending'],
      );
      return true;
    });
    return finished ? this.find(id) : null;
  }

  /** Cancels a queued job at once; flags a running one for its worker. */
  async requestCancel(id: string): Promise<{ job: JobEntity; cancelledNow: boolean }> {
    const cancelled = await this.finish(id, 'cancelled', {}, ['queued']);
    if (cancelled) return { job: cancelled, cancelledNow: true };
    await this.db.query(
      `UPDATE jobs SET cancel_requested_at = coalesce(cancel_requested_at, clock_timestamp()), updated_at = clock_timestamp()
       WHERE id = $1 AND state = 'running'`,
      [id],
    );
    return { job: await this.get(id), cancelledNow: false };
  }

  /**
   * Failed items back to pending (only those with one of `codes`, when given), counters
   * adjusted, the job queued for a new run.
   */
  async retry(id: string, codes?: readonly string[]): Promise<{ job: JobEntity; items: number } | null> {
    const items = await this.db.transaction(async (tx) => {
      const jobs: { id: string }[] = await tx.query(
        `SELECT id FROM jobs WHERE id = $1 AND state IN ('failed', 'partially_failed') FOR UPDATE`,
        [id],
      );
      if (!jobs.length) return null;
      const reset: { seq: number }[] = await tx.query(
        `WITH u AS (
           UPDATE job_items SET state = 'pending', code = NULL, detail = NULL, result = NULL, updated_at = clock_timestamp()
           WHERE job_id = $1 AND state = 'failed' AND ($2::text[] IS NULL OR code = ANY($2::text[])) RETURNING seq)
         SELECT seq FROM u`,
        [id, codes ? [...codes] : null],
      );
      await tx.query(
        `UPDATE jobs SET state = 'queued', run = run + 1, failed = failed - $2, done = done - $2, result = NULL, error = NULL,
           checkpoint = NULL, stats = NULL, finished_at = NULL, cancel_requested_at = NULL, progress_percent = NULL, progress_message = NULL,
           updated_at = clock_timestamp()
         WHERE id = $1`,
        [id, reset.length],
      );
      return reset.length;
    });
    return items === null ? null : { job: await this.get(id), items };
  }

  /** Unfinished jobs untouched for `idleMs`: candidates for the sweeper to re-deliver. */
  async idle(idleMs: number, limit: number): Promise<JobEntity[]> {
    return this.db
      .getRepository(JobEntity)
      .createQueryBuilder('j')
      .where(`j.state IN ('queued', 'running')`)
      .andWhere(`j.updated_at < clock_timestamp() - make_interval(secs => :secs)`, { secs: idleMs / 1000 })
      .andWhere(
        `(j.heartbeat_at IS NULL OR j.heartbeat_at < clock_timestamp() - make_interval(secs => :secs))`,
      )
      .orderBy('j.updated_at', 'ASC')
      .limit(limit)
      .getMany();
  }

  /** Unfinished jobs by type and state, for the metrics gauge. */
  async countUnfinished(): Promise<{ type: string; state: JobState; count: number }[]> {
    const rows: { type: string; state: JobState; count: string }[] = await this.db.query(
      `SELECT type, state, count(*) AS count FROM jobs WHERE state IN ('queued', 'running') GROUP BY type, state`,
    );
    return rows.map((r) => ({ type: r.type, state: r.state, count: Number(r.count) }));
  }
}
