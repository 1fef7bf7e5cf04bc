import type { MigrationInterface, QueryRunner } from 'typeorm';

export class WebhookSources1796225791571 implements MigrationInterface {
  name = 'WebhookSources1796225791571';

  async up(q: QueryRunner): Promise<void> {
    // Source ids are global: the intake URL /v1/webhooks/{sourceId} names no tenant.
    await q.query(`
      CREATE TABLE webhook_sources (
        id text PRIMARY KEY CHECK (id ~ '^[a-z0-9-]{3,63}$'),
        tenant_id text NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
        secret_ciphertext text NOT NULL,
        previous_secret_ciphertext text,
        previous_secret_expires_at timestamptz,
        created_at timestamptz NOT NULL DEFAULT clock_timestamp(),
        rotated_at timestamptz,
        CHECK ((previous_secret_ciphertext IS NULL) = (previous_secret_expires_at IS NULL))
      )`);
    await q.query(`CREATE INDEX webhook_sources_created_idx ON webhook_sources (created_at, id)`);
    await q.query(`CREATE INDEX webhook_sources_tenant_idx ON webhook_sources (tenant_id, created_at, id)`);
    // UNIQUE (source_id, webhook_id) is the dedupe: concurrent copies of one message insert once.
    await q.query(`
      CREATE TABLE webhook_events (
        id uuid PRIMARY KEY,
        source_id text NOT NULL REFERENCES webhook_sources(id) ON DELETE CASCADE,
        tenant_id text NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
        webhook_id text NOT NULL,
        type text NOT NULL,
        status text NOT NULL CHECK (status IN ('received', 'processed', 'failed')),
        payload_ciphertext text,
        data jsonb,
        result jsonb,
        error jsonb,
        job_id uuid,
        attempts integer NOT NULL DEFAULT 0,
        request_id text,
        received_at timestamptz NOT NULL DEFAULT clock_timestamp(),
        finished_at timestamptz,
        updated_at timestamptz NOT NULL DEFAULT clock_timestamp(),
        UNIQUE (source_id, webhook_id)
      )`);
    await q.query(
      `CREATE INDEX webhook_events_tenant_idx ON webhook_events (tenant_id, received_at DESC, id DESC)`,
    );
    await q.query(
      `CREATE INDEX webhook_events_source_idx ON webhook_events (source_id, received_at DESC, id DESC)`,
    );
    await q.query(
      `CREATE INDEX webhook_events_status_idx ON webhook_events (tenant_id, status, received_at DESC, id DESC)`,
    );
    await q.query(`CREATE INDEX webhook_events_created_idx ON webhook_events (received_at DESC, id DESC)`);
    // The sweeper looks only at events no job was recorded for.
    await q.query(
      `CREATE INDEX webhook_events_unqueued_idx ON webhook_events (received_at) WHERE status = 'received' AND job_id IS NULL`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE webhook_events`);
    await q.query(`DROP TABLE webhook_sources`);
  }
}
