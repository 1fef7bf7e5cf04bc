import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager } from 'typeorm';
import { seqSet } from '../../../jobs/jobs.repository';
import { CredentialsCipher } from '../../tenants/credentials-cipher';

/** The associated data of an item's password: its ciphertext cannot be moved to another item. */
export const itemSecretAad = (jobId: string, seq: number): string => `${jobId}:${seq}`;

/**
 * The passwords of a migration's items (`migration_item_secrets`, written encrypted at intake):
 * read when an item is sent, erased in the transaction that finishes it. Whatever a finished
 * job that ends succeeded or cancelled still holds is erased by the database itself (trigger of
 * migration MigrationSecretsKeptForRetry); a failed or partially failed job keeps the passwords a
 * retry would send, until `purgeExpired` erases them.
 */
@Injectable()
export class ItemSecretsRepository {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly cipher: CredentialsCipher,
  ) {}

  /** The decrypted passwords of those of `seqs` that have one. */
  async passwords(jobId: string, seqs: number[]): Promise<Map<number, string>> {
    const passwords = new Map<number, string>();
    if (!seqs.length) return passwords;
    const rows: { seq: number; password_ciphertext: string }[] = await this.db.query(
      `SELECT seq, password_ciphertext FROM migration_item_secrets
       WHERE job_id = $1 AND seq = ANY($2::int[]) AND seq BETWEEN $3 AND $4`,
      [jobId, ...seqSet(seqs)],
    );
    for (const row of rows) {
      const { password } = this.cipher.decrypt(row.password_ciphertext, itemSecretAad(jobId, row.seq));
      if (typeof password === 'string') passwords.set(row.seq, password);
    }
    return passwords;
  }

  /** Erases what failed and partially failed jobs kept for a retry, `retentionMs` after they ended. */
  async purgeExpired(retentionMs: number): Promise<void> {
    await this.db.query(
      `DELETE FROM migration_item_secrets s USING jobs j
       WHERE j.id = s.job_id AND j.state IN ('failed', 'partially_failed', 'succeeded', 'cancelled')
         AND j.finished_at < clock_timestamp() - make_interval(secs => $1)`,
      [retentionMs / 1000],
    );
  }

  async erase(tx: EntityManager, jobId: string, seqs: number[]): Promise<void> {
    if (!seqs.length) return;
    await tx.query(
      `DELETE FROM migration_item_secrets WHERE job_id = $1 AND seq = ANY($2::int[]) AND seq BETWEEN $3 AND $4`,
      [jobId, ...seqSet(seqs)],
    );
  }
}
