import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Passwords of a migration upload, encrypted, one row per item, kept apart from job_items so
 * that the items API, item input and every copy of an item row never hold them. The run half
 * deletes a row when its item finishes; deleting the job removes the rest.
 */
export class MigrationItemSecrets1796225783657 implements MigrationInterface {
  name = 'MigrationItemSecrets1796225783657';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE migration_item_secrets (
        job_id uuid NOT NULL REFERENCES jobs(id) ON DELETE CASCADE,
        seq integer NOT NULL,
        password_ciphertext text NOT NULL,
        PRIMARY KEY (job_id, seq)
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE migration_item_secrets`);
  }
}
