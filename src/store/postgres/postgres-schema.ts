import type pg from 'pg';
import { qualityTablesSql } from '../quality-tables-sql.js';
import { datasetTablesSql } from '../dataset-rows.js';
import { evaluationTables } from '../evaluation-rows.js';
import { accessTablesSql } from '../access-tables-sql.js';
import { inTransaction } from './postgres-transaction.js';

/** Schema migrations, applied in order; `schema_migrations` records which ran. Mirrors the SQLite schema. */
export const postgresMigrations: string[] = [
  `CREATE TABLE settings (name TEXT PRIMARY KEY, value TEXT NOT NULL);
   CREATE TABLE keys (
     id TEXT PRIMARY KEY, name TEXT NOT NULL, hash TEXT NOT NULL UNIQUE, prefix TEXT NOT NULL,
     models TEXT, team TEXT, tags TEXT NOT NULL DEFAULT '{}',
     created_at BIGINT NOT NULL, expires_at BIGINT, revoked_at BIGINT);
   CREATE TABLE requests (
     id TEXT PRIMARY KEY, started_at BIGINT NOT NULL, endpoint TEXT NOT NULL,
     key_id TEXT, customer TEXT, team TEXT, requested_model TEXT NOT NULL, route TEXT,
     provider TEXT, upstream_model TEXT, stream BOOLEAN NOT NULL, status INTEGER NOT NULL, error_code TEXT,
     input_tokens BIGINT NOT NULL, cached_input_tokens BIGINT NOT NULL, cache_write_tokens BIGINT NOT NULL,
     output_tokens BIGINT NOT NULL, reasoning_tokens BIGINT NOT NULL, cost_usd DOUBLE PRECISION NOT NULL,
     latency_ms DOUBLE PRECISION NOT NULL, ttft_ms DOUBLE PRECISION, estimated BOOLEAN NOT NULL, catalog_version TEXT NOT NULL,
     cache_hit BOOLEAN NOT NULL, saved_usd DOUBLE PRECISION NOT NULL);
   CREATE INDEX requests_started_at ON requests (started_at);
   CREATE TABLE attempts (
     request_id TEXT NOT NULL, attempt INTEGER NOT NULL, started_at BIGINT NOT NULL,
     provider TEXT NOT NULL, upstream_model TEXT NOT NULL, model TEXT NOT NULL, status INTEGER NOT NULL, error_code TEXT,
     input_tokens BIGINT NOT NULL, cached_input_tokens BIGINT NOT NULL, cache_write_tokens BIGINT NOT NULL,
     output_tokens BIGINT NOT NULL, reasoning_tokens BIGINT NOT NULL, cost_usd DOUBLE PRECISION NOT NULL,
     latency_ms DOUBLE PRECISION NOT NULL, ttft_ms DOUBLE PRECISION, estimated BOOLEAN NOT NULL, shadow BOOLEAN NOT NULL,
     PRIMARY KEY (request_id, attempt));`,
  `CREATE TABLE revenue (customer TEXT NOT NULL, period TEXT NOT NULL, usd DOUBLE PRECISION NOT NULL, PRIMARY KEY (customer, period));
   CREATE TABLE customers (id TEXT PRIMARY KEY, data TEXT NOT NULL, updated_at BIGINT NOT NULL);`,
  `ALTER TABLE keys ADD COLUMN budget TEXT;
   ALTER TABLE keys ADD COLUMN rate_limit TEXT;`,
  datasetTablesSql('BIGINT'),
  `CREATE TABLE responses (
     id TEXT PRIMARY KEY, key_id TEXT, team TEXT, previous_response_id TEXT, created_at BIGINT NOT NULL, body BYTEA NOT NULL);
   CREATE INDEX responses_created_at ON responses (created_at);`,
  qualityTablesSql({ bigint: 'BIGINT', flag: 'BOOLEAN', blob: 'BYTEA', real: 'DOUBLE PRECISION' }),
  // IF NOT EXISTS, so this migration may sit at any position in the list.
  evaluationTables('BIGINT'),
  `ALTER TABLE requests ADD COLUMN router_score DOUBLE PRECISION;
   ALTER TABLE requests ADD COLUMN router_threshold DOUBLE PRECISION;
   ALTER TABLE requests ADD COLUMN router_choice TEXT;
   ALTER TABLE requests ADD COLUMN router_shadow BOOLEAN;
   ALTER TABLE requests ADD COLUMN router_choice_cost_usd DOUBLE PRECISION;`,
  accessTablesSql({
    bigint: 'BIGINT',
    serial: 'BIGSERIAL PRIMARY KEY',
    appendOnly: `CREATE FUNCTION audit_log_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
       BEGIN RAISE EXCEPTION 'audit_log is append-only'; END $$;
     CREATE TRIGGER audit_log_append_only BEFORE UPDATE OR DELETE ON audit_log FOR EACH ROW EXECUTE FUNCTION audit_log_refuse_change();`,
  }),
];

/** Any fixed number works; every replica must use the same one. */
const migrationLockId = 7_346_190_211;

/**
 * Applies the migrations not yet recorded, in one transaction. The advisory lock makes replicas that
 * start together take turns: the second waits, then finds everything applied.
 */
export async function migratePostgres(pool: pg.Pool, migrations: string[] = postgresMigrations): Promise<void> {
  await inTransaction(pool, async (client) => {
    await client.query('SELECT pg_advisory_xact_lock($1)', [migrationLockId]);
    await client.query('CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, applied_at BIGINT NOT NULL)');
    const applied = await client.query<{ version: number }>('SELECT version FROM schema_migrations');
    const done = new Set(applied.rows.map((row) => row.version));
    for (let index = 0; index < migrations.length; index += 1) {
      const version = index + 1;
      if (done.has(version)) continue;
      await client.query(migrations[index] as string);
      await client.query('INSERT INTO schema_migrations (version, applied_at) VALUES ($1, $2)', [version, Date.now()]);
    }
  });
}
