import { once } from 'node:events';
import { finished } from 'node:stream/promises';
import { Injectable } from '@nestjs/common';
import { from as copyFrom } from 'pg-copy-streams';
import type { PoolClient } from 'pg';
import type { EntityManager } from 'typeorm';
import type { RowVerdict } from './migration-row.mapper';
import { MigrationSecretsService } from './migration-secrets.service';

export interface IntakeCounts {
  /** Items written: one per row. */
  total: number;
  /** Items that failed at intake (invalid, unreadable or a duplicate). */
  failed: number;
}

/** COPY is sent in chunks of about this many characters. */
const COPY_CHUNK = 256 * 1024;
const COPY_ESCAPES: Record<string, string> = { '\\': '\\\\', '\t': '\\t', '\n': '\\n', '\r': '\\r' };
const COPY_SPECIAL = /[\\\t\n\r]/;
const COPY_SPECIAL_ALL = /[\\\t\n\r]/g;

/** One field of COPY's text format. */
function copyField(value: string | number | null | undefined): string {
  if (value === null || value === undefined) return '\\N';
  if (typeof value === 'number') return String(value);
  return COPY_SPECIAL.test(value) ? value.replace(COPY_SPECIAL_ALL, (c) => COPY_ESCAPES[c]) : value;
}

/**
 * Writes an upload's items (and its encrypted passwords) inside the transaction that creates the
 * job, so a refused or broken upload leaves nothing behind. Rows are COPYed into a temporary
 * table as they arrive; one statement then moves them to job_items, turning every repeat of an
 * email into a `duplicate_in_upload` item: Postgres sorts the keys, so no process holds a set of
 * a million addresses.
 */
@Injectable()
export class MigrationItemsRepository {
  constructor(private readonly secrets: MigrationSecretsService) {}

  async write(tx: EntityManager, jobId: string, rows: AsyncIterable<RowVerdict>): Promise<IntakeCounts> {
    const client = (await tx.queryRunner?.connect()) as PoolClient | undefined;
    if (!client) throw new Error('MigrationItemsRepository.write needs a transaction');
    await client.query(`SET LOCAL work_mem = '64MB'`);
    await client.query(
      `CREATE TEMP TABLE migration_intake (
         seq integer NOT NULL, line integer, key text NOT NULL, input jsonb, code text, detail text, secret text
       ) ON COMMIT DROP`,
    );
    await this.copyRows(client, jobId, rows);
    const [counts] = (
      await client.query<IntakeCounts>(
        `WITH ranked AS MATERIALIZED (
           SELECT seq, line, key, input, code, detail, secret,
             row_number() OVER w AS rank, first_value(coalesce(line, seq)) OVER w AS first
           FROM migration_intake
           WINDOW w AS (PARTITION BY key ORDER BY (code IS NULL) DESC, seq)
         ), items AS (
           INSERT INTO job_items (job_id, seq, key, state, input, code, detail)
           SELECT $1, seq,
             CASE WHEN rank = 1 THEN key ELSE key || '#line:' || coalesce(line, seq) END,
             CASE WHEN rank = 1 AND code IS NULL THEN 'pending' ELSE 'failed' END,
             CASE WHEN rank = 1 AND code IS NULL THEN input WHEN line IS NOT NULL THEN jsonb_build_object('line', line) END,
             CASE WHEN code IS NOT NULL OR rank = 1 THEN code ELSE 'duplicate_in_upload' END,
             CASE WHEN code IS NOT NULL OR rank = 1 THEN detail
               WHEN line IS NULL THEN 'user ' || seq || ' repeats user ' || first || ' (' || key || '); only the first is migrated'
               ELSE 'line ' || line || ': ' || key || ' is already on line ' || first || '; only that row is migrated' END
           FROM ranked ORDER BY seq
         ), secrets AS (
           INSERT INTO migration_item_secrets (job_id, seq, password_ciphertext)
           SELECT $1, seq, secret FROM ranked WHERE rank = 1 AND code IS NULL AND secret IS NOT NULL
         )
         SELECT count(*)::int AS total, (count(*) FILTER (WHERE NOT (rank = 1 AND code IS NULL)))::int AS failed
         FROM ranked`,
        [jobId],
      )
    ).rows;
    return counts;
  }

  /** Streams the rows into migration_intake with COPY, waiting on the socket when it is full. */
  private async copyRows(client: PoolClient, jobId: string, rows: AsyncIterable<RowVerdict>): Promise<void> {
    const copy = client.query(
      copyFrom('COPY migration_intake (seq, line, key, input, code, detail, secret) FROM STDIN'),
    );
    const copied = finished(copy);
    // A failed COPY must not surface as an unhandled rejection while rows are still being read.
    copied.catch(() => undefined);
    let seq = 0;
    let chunk = '';
    try {
      for await (const row of rows) {
        seq++;
        chunk += this.copyLine(jobId, seq, row);
        if (chunk.length >= COPY_CHUNK) {
          const more = copy.write(chunk);
          chunk = '';
          if (!more) await Promise.race([once(copy, 'drain'), copied]);
        }
      }
    } catch (error) {
      // CopyFail ends the COPY on the server; the caller rolls the transaction back.
      copy.destroy(error instanceof Error ? error : new Error(String(error)));
      await copied.catch(() => undefined);
      throw error;
    }
    copy.end(chunk);
    await copied;
  }

  private copyLine(jobId: string, seq: number, row: RowVerdict): string {
    const line = row.line ?? null;
    if (!row.ok) {
      return `${seq}\t${copyField(line)}\t${copyField(row.key)}\t\\N\t${row.code}\t${copyField(row.detail)}\t\\N\n`;
    }
    const secret = row.password === undefined ? null : this.secrets.seal(jobId, seq, row.password);
    return `${seq}\t${copyField(line)}\t${copyField(row.key)}\t${copyField(JSON.stringify(row.input))}\t\\N\t\\N\t${copyField(secret)}\n`;
  }
}
