import type { MigrationInterface, QueryRunner } from 'typeorm';

export class Jobs1795386500000 implements MigrationInterface {
  name = 'Jobs1795386500000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE jobs (
        id uuid PRIMARY KEY,
        type text NOT NULL,
        tenant_id text REFERENCES tenants(id) ON DELETE CASCADE,
        state text NOT NULL CHECK (state IN ('queued', 'running', 'succeeded', 'failed', 'partially_failed', 'cancelled')),
        payload jsonb NOT NULL DEFAULT '{}',
        total integer NOT NULL DEFAULT 0,
        done integer NOT NULL DEFAULT 0,
        succeeded integer NOT NULL DEFAULT 0,
        failed integer NOT NULL DEFAULT 0,
        progress_percent smallint CHECK (progress_percent BETWEEN 0 AND 100),
        progress_message text,
        checkpoint jsonb,
        result jsonb,
        error jsonb,
        run integer NOT NULL DEFAULT 1,
        deliveries integer NOT NULL DEFAULT 0,
        created_by text NOT NULL,
        request_id text,
        created_at timestamptz NOT NULL DEFAULT clock_timestamp(),
        started_at timestamptz,
        finished_at timestamptz,
        cancel_requested_at timestamptz,
        heartbeat_at timestamptz,
        updated_at timestamptz NOT NULL DEFAULT clock_timestamp(),
        CHECK (done = succeeded + failed AND done <= total)
      )`);
    // Dashboards list newest first, filtered by state, tenant or type; each filter has its own keyset index.
    await q.query(`CREATE INDEX jobs_created_idx ON jobs (created_at DESC, id DESC)`);
    await q.query(`CREATE INDEX jobs_state_idx ON jobs (state, created_at DESC, id DESC)`);
    await q.query(`CREATE INDEX jobs_tenant_idx ON jobs (tenant_id, created_at DESC, id DESC)`);
    await q.query(`CREATE INDEX jobs_tenant_state_idx ON jobs (tenant_id, state, created_at DESC, id DESC)`);
    await q.query(`CREATE INDEX jobs_type_idx ON jobs (type, created_at DESC, id DESC)`);
    // The sweeper looks only at unfinished jobs.
    await q.query(
      `CREATE INDEX jobs_unfinished_idx ON jobs (updated_at) WHERE state IN ('queued', 'running')`,
    );
    await q.query(`
      CREATE TABLE job_items (
        job_id uuid NOT NULL REFERENCES jobs(id) ON DELETE CASCADE,
        seq integer NOT NULL,
        key text NOT NULL,
        state text NOT NULL CHECK (state IN ('pending', 'running', 'succeeded', 'failed', 'cancelled')),
        attempts integer NOT NULL DEFAULT 0,
        input jsonb,
        code text,
        detail text,
        result jsonb,
        updated_at timestamptz NOT NULL DEFAULT clock_timestamp(),
        PRIMARY KEY (job_id, seq),
        UNIQUE (job_id, key)
      )`);
    await q.query(`CREATE INDEX job_items_state_idx ON job_items (job_id, state, seq)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE job_items`);
    await q.query(`DROP TABLE jobs`);
  }
}
