import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Audit events are looked up by the X-Request-Id of the request that wrote them. */
export class AuditRequestIdIndex1796226589417 implements MigrationInterface {
  name = 'AuditRequestIdIndex1796226589417';

  async up(q: QueryRunner): Promise<void> {
    await q.query(
      `CREATE INDEX audit_events_request_idx ON audit_events (request_id, occurred_at DESC, id DESC) WHERE request_id IS NOT NULL`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX audit_events_request_idx`);
  }
}
