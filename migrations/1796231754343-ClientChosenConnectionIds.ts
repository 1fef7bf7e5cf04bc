import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Connection ids are chosen by the caller and unique within a tenant only, so the key becomes
 * (tenant_id, id) and the service claims reference it. Existing (uuid) ids keep their text form.
 */
export class ClientChosenConnectionIds1796231754343 implements MigrationInterface {
  name = 'ClientChosenConnectionIds1796231754343';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE connection_services DROP CONSTRAINT connection_services_connection_id_fkey`);
    await q.query(`DROP INDEX connection_services_connection_idx`);
    await q.query(`ALTER TABLE connections DROP CONSTRAINT connections_pkey`);
    await q.query(`ALTER TABLE connections ALTER COLUMN id TYPE text USING id::text`);
    await q.query(
      `ALTER TABLE connection_services ALTER COLUMN connection_id TYPE text USING connection_id::text`,
    );
    await q.query(`ALTER TABLE connections ADD CONSTRAINT connections_pkey PRIMARY KEY (tenant_id, id)`);
    await q.query(`
      ALTER TABLE connection_services ADD CONSTRAINT connection_services_connection_fkey
        FOREIGN KEY (tenant_id, connection_id) REFERENCES connections (tenant_id, id) ON DELETE CASCADE`);
    await q.query(
      `CREATE INDEX connection_services_connection_idx ON connection_services (tenant_id, connection_id)`,
    );
  }

  /** Refuses (a cast error) once a client-chosen id exists: those cannot go back to uuid. */
  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE connection_services DROP CONSTRAINT connection_services_connection_fkey`);
    await q.query(`DROP INDEX connection_services_connection_idx`);
    await q.query(`ALTER TABLE connections DROP CONSTRAINT connections_pkey`);
    await q.query(`ALTER TABLE connections ALTER COLUMN id TYPE uuid USING id::uuid`);
    await q.query(
      `ALTER TABLE connection_services ALTER COLUMN connection_id TYPE uuid USING connection_id::uuid`,
    );
    await q.query(`ALTER TABLE connections ADD CONSTRAINT connections_pkey PRIMARY KEY (id)`);
    await q.query(`
      ALTER TABLE connection_services ADD CONSTRAINT connection_services_connection_id_fkey
        FOREIGN KEY (connection_id) REFERENCES connections (id) ON DELETE CASCADE`);
    await q.query(`CREATE INDEX connection_services_connection_idx ON connection_services (connection_id)`);
  }
}
