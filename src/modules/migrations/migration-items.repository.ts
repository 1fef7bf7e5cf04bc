import { finished } from 'node:stream/promises';
import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { PoolClient } from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import type { DataSource, EntityManager } from 'typeorm';
import { CopyText, copyField } from './copy-text';
import { failedKey, type RowVerdict } from './migration-row.mapper';
import { MigrationSecretsService } from './migration-secrets.service';
import { SeenEmails } from './seen-emails';

export interface IntakeCounts {
  /** Items written: one per row. */
  total: number;
  /** Items that failed at intake (invalid, unreadable or a repeat). */
  failed: number;
}

/** Rows per COPY: large enough to amortise a statement, small enough to hold as text. */
const BATCH_ROWS = 2000;
/** Past this many items the planner's statistics are refreshed, so item lists keep their index. */
const ANALYZE_AFTER = 10_000;
const ITEMS_COPY = 'COPY job_items (job_id, seq, key, state, input, code, detail) FROM STDIN';
const SECRETS_COPY = 'COPY migration_item_secrets (job_id, seq, password_ciphertext) FROM STDIN';

/**
 * Writes an upload's items and its encrypted passwords, batch by batch with COPY, inside the
 * transaction that creates the job, so a refused or broken upload leaves nothing behind. The
 * first valid row of an address is the item that runs; every later valid row of it becomes a
 * `duplicate_in_upload` item (SeenEmails keeps the addresses compactly). While Postgres takes one
 * batch the next is parsed.
 */
@Injectable()
export class MigrationItemsRepository {
  private readonly logger = new Logger(MigrationItemsRepository.name);

  constructor(
    private readonly secrets: MigrationSecretsService,
    @InjectDataSource() private readonly db: DataSource,
  ) {}

  async write(tx: EntityManager, jobId: string, rows: AsyncIterable<RowVerdict>): Promise<IntakeCounts> {
    const client = (await tx.queryRunner?.connect()) as PoolClient | undefined;
    if (!client) throw new Error('MigrationItemsRepository.write needs a transaction');
    const seen = new SeenEmails();
    const jobColumn = `${jobId}\t`;
    let seq = 0;
    let failed = 0;
    // Two batches at a time: one is built while Postgres takes the other.
    let [items, secrets] = [new CopyText(), new CopyText()];
    let [sentItems, sentSecrets] = [new CopyText(), new CopyText()];
    let batched = 0;
    let writing: Promise<void> = Promise.resolve();
    const flush = async () => {
      await writing;
      [items, sentItems] = [sentItems, items];
      [secrets, sentSecrets] = [sentSecrets, secrets];
      items.clear();
      secrets.clear();
      batched = 0;
      const [itemsBytes, secretsBytes] = [sentItems.bytes(), sentSecrets.bytes()];
      writing = copy(client, ITEMS_COPY, itemsBytes).then(() =>
        secretsBytes.length ? copy(client, SECRETS_COPY, secretsBytes) : undefined,
      );
      // Surfaced by the next flush or at the end; never an unhandled rejection meanwhile.
      writing.catch(() => undefined);
    };
    const failedItem = (key: string, line: number | undefined, code: string, detail: string) => {
      failed++;
      const input = line === undefined ? '\\N' : `{"line":${line}}`;
      items.row(`${jobColumn}${seq}\t${copyField(key)}\tfailed\t${input}\t${code}\t${copyField(detail)}\n`);
    };
    try {
      for await (const row of rows) {
        seq++;
        const n = row.line ?? seq;
        if (!row.ok) {
          failedItem(row.key, row.line, row.code, row.detail);
        } else {
          const first = seen.firstOrAdd(row.key, n);
          if (first === null) {
            items.row(
              `${jobColumn}${seq}\t${copyField(row.key)}\tpending\t${copyField(JSON.stringify(row.input))}\t\\N\t\\N\n`,
            );
            if (row.password !== undefined)
              secrets.row(`${jobColumn}${seq}\t${this.secrets.seal(jobId, seq, row.password)}\n`);
          } else {
            failedItem(failedKey(row.key, n), row.line, 'duplicate_in_upload', repeatDetail(row, seq, first));
          }
        }
        if (++batched >= BATCH_ROWS) await flush();
      }
      if (batched) await flush();
      await writing;
    } catch (error) {
      // The connection must be idle before the caller rolls the transaction back.
      await writing.catch(() => undefined);
      throw error;
    }
    return { total: seq, failed };
  }

  /**
   * After a large upload, before it is answered: without fresh statistics Postgres plans the items
   * API's `?state=failed` page of a million-item job as a scan of every failed item and a sort
   * (over 100 ms), instead of reading the first page off job_items_state_idx, and a batch's
   * passwords as a scan of all the job's secrets (20 ms a batch of 500) instead of 500 lookups.
   */
  async refreshStatistics(total: number): Promise<void> {
    if (total < ANALYZE_AFTER) return;
    await this.db
      .query('ANALYZE job_items, migration_item_secrets')
      .catch((error: unknown) => this.logger.warn({ err: error }, 'ANALYZE after an upload failed'));
  }
}

function repeatDetail(row: RowVerdict, seq: number, first: number): string {
  return row.line === undefined
    ? `user ${seq} repeats user ${first} (${row.key}); only the first is migrated`
    : `line ${row.line}: ${row.key} is already on line ${first}; only that row is migrated`;
}

async function copy(client: PoolClient, sql: string, bytes: Buffer): Promise<void> {
  const stream = client.query(copyFrom(sql));
  const done = finished(stream);
  stream.end(bytes);
  await done;
}
