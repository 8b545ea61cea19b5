import { qualityTablesSql } from '../quality-tables-sql.js';
import { datasetTablesSql } from '../dataset-rows.js';
import { evaluationTables } from '../evaluation-rows.js';
import { accessTablesSql } from '../access-tables-sql.js';

/** Schema migrations, applied in order; `user_version` records how many ran. */
export const sqliteMigrations: string[] = [
  `CREATE TABLE settings (name TEXT PRIMARY KEY, value TEXT NOT NULL);
   CREATE TABLE keys (
     id TEXT PRIMARY KEY, name TEXT NOT NULL, hash TEXT NOT NULL UNIQUE, prefix TEXT NOT NULL,
     models TEXT, team TEXT, tags TEXT NOT NULL DEFAULT '{}',
     created_at INTEGER NOT NULL, expires_at INTEGER, revoked_at INTEGER);
   CREATE TABLE requests (
     id TEXT PRIMARY KEY, started_at INTEGER NOT NULL, endpoint TEXT NOT NULL,
     key_id TEXT, customer TEXT, team TEXT, requested_model TEXT NOT NULL, route TEXT,
     provider TEXT, upstream_model TEXT, stream INTEGER NOT NULL, status INTEGER NOT NULL, error_code TEXT,
     input_tokens INTEGER NOT NULL, cached_input_tokens INTEGER NOT NULL, cache_write_tokens INTEGER NOT NULL,
     output_tokens INTEGER NOT NULL, reasoning_tokens INTEGER NOT NULL, cost_usd REAL NOT NULL,
     latency_ms REAL NOT NULL, ttft_ms REAL, estimated INTEGER NOT NULL, catalog_version TEXT NOT NULL,
     cache_hit INTEGER NOT NULL, saved_usd REAL NOT NULL);
   CREATE INDEX requests_started_at ON requests (started_at);
   CREATE TABLE attempts (
     request_id TEXT NOT NULL, attempt INTEGER NOT NULL, started_at INTEGER NOT NULL,
     provider TEXT NOT NULL, upstream_model TEXT NOT NULL, model TEXT NOT NULL, status INTEGER NOT NULL, error_code TEXT,
     input_tokens INTEGER NOT NULL, cached_input_tokens INTEGER NOT NULL, cache_write_tokens INTEGER NOT NULL,
     output_tokens INTEGER NOT NULL, reasoning_tokens INTEGER NOT NULL, cost_usd REAL NOT NULL,
     latency_ms REAL NOT NULL, ttft_ms REAL, estimated INTEGER NOT NULL, shadow INTEGER NOT NULL,
     PRIMARY KEY (request_id, attempt));`,
  `CREATE TABLE revenue (customer TEXT NOT NULL, period TEXT NOT NULL, usd REAL NOT NULL, PRIMARY KEY (customer, period));
   CREATE TABLE customers (id TEXT PRIMARY KEY, data TEXT NOT NULL, updated_at INTEGER NOT NULL);`,
  `ALTER TABLE keys ADD COLUMN budget TEXT;
   ALTER TABLE keys ADD COLUMN rate_limit TEXT;`,
  datasetTablesSql('INTEGER'),
  `CREATE TABLE responses (
     id TEXT PRIMARY KEY, key_id TEXT, team TEXT, previous_response_id TEXT, created_at INTEGER NOT NULL, body BLOB NOT NULL);
   CREATE INDEX responses_created_at ON responses (created_at);`,
  qualityTablesSql({ bigint: 'INTEGER', flag: 'INTEGER', blob: 'BLOB', real: 'REAL' }),
  // IF NOT EXISTS, so this migration may sit at any position in the list.
  evaluationTables('INTEGER'),
  `ALTER TABLE requests ADD COLUMN router_score REAL;
   ALTER TABLE requests ADD COLUMN router_threshold REAL;
   ALTER TABLE requests ADD COLUMN router_choice TEXT;
   ALTER TABLE requests ADD COLUMN router_shadow INTEGER;
   ALTER TABLE requests ADD COLUMN router_choice_cost_usd REAL;`,
  accessTablesSql({
    bigint: 'INTEGER',
    serial: 'INTEGER PRIMARY KEY AUTOINCREMENT',
    appendOnly: `CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
     CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;`,
  }),
];
