import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A job that reaches a final state (finished, failed, cancelled — by its worker, by a cancel
 * of a queued job, by the sweeper) loses every migration password it still holds, in the
 * same transaction. Items erase their own password as they finish; this catches the rest.
 */
export class MigrationSecretsErasure1796226287607 implements MigrationInterface {
  name = 'MigrationSecretsErasure1796226287607';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE FUNCTION erase_finished_job_secrets() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        DELETE FROM migration_item_secrets WHERE job_id = NEW.id;
        RETURN NULL;
      END $$`);
    await q.query(`
      CREATE TRIGGER jobs_erase_secrets AFTER UPDATE OF state ON jobs FOR EACH ROW
      WHEN (NEW.state IN ('succeeded', 'failed', 'partially_failed', 'cancelled') AND OLD.state IS DISTINCT FROM NEW.state)
      EXECUTE FUNCTION erase_finished_job_secrets()`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TRIGGER jobs_erase_secrets ON jobs`);
    await q.query(`DROP FUNCTION erase_finished_job_secrets()`);
  }
}
