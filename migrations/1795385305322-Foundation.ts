import type { MigrationInterface, QueryRunner } from 'typeorm';

export class Foundation1795385305322 implements MigrationInterface {
  name = 'Foundation1795385305322';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE tenants (
        id text PRIMARY KEY,
        name text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`
      CREATE TABLE api_keys (
        id text PRIMARY KEY,
        name text NOT NULL,
        tenant_id text REFERENCES tenants(id) ON DELETE CASCADE,
        scopes text[] NOT NULL,
        secret_hash bytea NOT NULL,
        created_by text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        revoked_at timestamptz
      )`);
    await q.query(`CREATE INDEX api_keys_tenant_idx ON api_keys (tenant_id, created_at)`);
    await q.query(`
      CREATE TABLE connections (
        id uuid PRIMARY KEY,
        tenant_id text NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
        provider text NOT NULL,
        base_url text NOT NULL,
        settings jsonb NOT NULL DEFAULT '{}',
        credentials_ciphertext text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX connections_tenant_idx ON connections (tenant_id, created_at)`);
    // One connection per service per tenant, enforced by the primary key.
    await q.query(`
      CREATE TABLE connection_services (
        tenant_id text NOT NULL,
        service text NOT NULL,
        connection_id uuid NOT NULL REFERENCES connections(id) ON DELETE CASCADE,
        PRIMARY KEY (tenant_id, service)
      )`);
    await q.query(`CREATE INDEX connection_services_connection_idx ON connection_services (connection_id)`);
    await q.query(`
      CREATE TABLE audit_events (
        id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        occurred_at timestamptz NOT NULL DEFAULT clock_timestamp(),
        actor_type text NOT NULL,
        actor_id text NOT NULL,
        tenant_id text,
        action text NOT NULL,
        resource_type text NOT NULL,
        resource_id text,
        outcome text NOT NULL CHECK (outcome IN ('success', 'failure')),
        request_id text,
        job_id text,
        provider text,
        vendor_calls jsonb NOT NULL DEFAULT '[]',
        detail jsonb NOT NULL DEFAULT '{}'
      )`);
    await q.query(
      `CREATE INDEX audit_events_tenant_time_idx ON audit_events (tenant_id, occurred_at DESC, id DESC)`,
    );
    await q.query(`CREATE INDEX audit_events_time_idx ON audit_events (occurred_at DESC, id DESC)`);
    await q.query(
      `CREATE INDEX audit_events_resource_idx ON audit_events (resource_type, resource_id, occurred_at DESC, id DESC)`,
    );
    await q.query(`CREATE INDEX audit_events_action_idx ON audit_events (action, occurred_at DESC, id DESC)`);
    await q.query(
      `CREATE INDEX audit_events_actor_idx ON audit_events (actor_id, occurred_at DESC, id DESC)`,
    );
    await q.query(`CREATE INDEX audit_events_job_idx ON audit_events (job_id) WHERE job_id IS NOT NULL`);
    // The audit log is append-only: the database itself refuses changes and removals.
    await q.query(`
      CREATE FUNCTION audit_events_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION 'audit_events is append-only: % is not allowed', TG_OP USING ERRCODE = 'insufficient_privilege';
      END $$`);
    await q.query(`
      CREATE TRIGGER audit_events_append_only BEFORE UPDATE OR DELETE OR TRUNCATE ON audit_events
      FOR EACH STATEMENT EXECUTE FUNCTION audit_events_append_only()`);
    await q.query(`
      CREATE TABLE idempotency_keys (
        owner_id text NOT NULL,
        key text NOT NULL,
        request_hash text NOT NULL,
        state text NOT NULL CHECK (state IN ('in_progress', 'completed')),
        status_code integer,
        response_headers jsonb,
        response_body text,
        locked_at timestamptz NOT NULL DEFAULT now(),
        created_at timestamptz NOT NULL DEFAULT now(),
        expires_at timestamptz NOT NULL,
        PRIMARY KEY (owner_id, key)
      )`);
    await q.query(`CREATE INDEX idempotency_keys_expiry_idx ON idempotency_keys (expires_at)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE idempotency_keys`);
    await q.query(`DROP TABLE audit_events`);
    await q.query(`DROP FUNCTION audit_events_append_only`);
    await q.query(`DROP TABLE connection_services`);
    await q.query(`DROP TABLE connections`);
    await q.query(`DROP TABLE api_keys`);
    await q.query(`DROP TABLE tenants`);
  }
}
