import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Job items and item passwords lose their foreign key to jobs. Checked once per row, it was about
 * an eighth of a million-row upload's time (in psql, a third of the COPY into job_items). What it
 * guaranteed stays:
 * - a job's rows go with the job: a statement trigger on jobs deletes them (jobs go with their
 *   tenant, by that foreign key's cascade, which fires the trigger);
 * - no row for a job that is not there: rows are written in the transaction that creates their
 *   job, or (JobsRepository.recordOperationItems) after locking the job's row FOR KEY SHARE, the
 *   lock the key's check took, once per write instead of once per row.
 */
export class JobChildrenWithoutRowChecks1796330000001 implements MigrationInterface {
  name = 'JobChildrenWithoutRowChecks1796330000001';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE job_items DROP CONSTRAINT job_items_job_id_fkey`);
    await q.query(`ALTER TABLE migration_item_secrets DROP CONSTRAINT migration_item_secrets_job_id_fkey`);
    await q.query(`
      CREATE FUNCTION delete_job_children() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        DELETE FROM job_items i USING gone g WHERE i.job_id = g.id;
        DELETE FROM migration_item_secrets s USING gone g WHERE s.job_id = g.id;
        RETURN NULL;
      END $$`);
    await q.query(`
      CREATE TRIGGER jobs_delete_children AFTER DELETE ON jobs
        REFERENCING OLD TABLE AS gone FOR EACH STATEMENT EXECUTE FUNCTION delete_job_children()`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TRIGGER jobs_delete_children ON jobs`);
    await q.query(`DROP FUNCTION delete_job_children()`);
    await q.query(
      `ALTER TABLE migration_item_secrets ADD CONSTRAINT migration_item_secrets_job_id_fkey
         FOREIGN KEY (job_id) REFERENCES jobs(id) ON DELETE CASCADE`,
    );
    await q.query(
      `ALTER TABLE job_items ADD CONSTRAINT job_items_job_id_fkey
         FOREIGN KEY (job_id) REFERENCES jobs(id) ON DELETE CASCADE`,
    );
  }
}
