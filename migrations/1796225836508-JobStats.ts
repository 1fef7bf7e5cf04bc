import type { MigrationInterface, QueryRunner } from 'typeorm';

/** What a running batch job reports besides its counters (items in flight, rate, waiting for the vendor). */
export class JobStats1796225836508 implements MigrationInterface {
  name = 'JobStats1796225836508';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE jobs ADD COLUMN stats jsonb`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE jobs DROP COLUMN stats`);
  }
}
