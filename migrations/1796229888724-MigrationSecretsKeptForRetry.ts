import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A migration that ends succeeded or cancelled loses every password it still holds, in the
 * transaction that ends it. One that ends failed or partially failed keeps the passwords of the
 * items a retry would send again (failed for the vendor's trouble, or never sent because the
 * job failed as a whole), until the retry finishes them or the retention purge of the run
 * module erases them (MIGRATION_SECRETS_RETENTION_MS after the job ended).
 */
export class MigrationSecretsKeptForRetry1796229888724 implements MigrationInterface {
  name = 'MigrationSecretsKeptForRetry1796229888724';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`DROP TRIGGER jobs_erase_secrets ON jobs`);
    await q.query(`
      CREATE TRIGGER jobs_erase_secrets AFTER UPDATE OF state ON jobs FOR EACH ROW
      WHEN (NEW.state IN ('succeeded', 'cancelled') AND OLD.state IS DISTINCT FROM NEW.state)
      EXECUTE FUNCTION erase_finished_job_secrets()`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TRIGGER jobs_erase_secrets ON jobs`);
    await q.query(`
      CREATE TRIGGER jobs_erase_secrets AFTER UPDATE OF state ON jobs FOR EACH ROW
      WHEN (NEW.state IN ('succeeded', 'failed', 'partially_failed', 'cancelled') AND OLD.state IS DISTINCT FROM NEW.state)
      EXECUTE FUNCTION erase_finished_job_secrets()`);
  }
}
