/** Column types that differ between the drivers. */
export interface SqlTypes {
  bigint: 'INTEGER' | 'BIGINT';
  flag: 'INTEGER' | 'BOOLEAN';
  blob: 'BLOB' | 'BYTEA';
  real: 'REAL' | 'DOUBLE PRECISION';
}

/**
 * The migration that adds request tags, the request-log indexes, captures and feedback; the same tables in both
 * drivers, with each driver's column types.
 */
export function qualityTablesSql(t: SqlTypes): string {
  return `ALTER TABLE requests ADD COLUMN tags TEXT;
   CREATE TABLE request_tags (request_id TEXT NOT NULL, name TEXT NOT NULL, value TEXT NOT NULL, PRIMARY KEY (request_id, name));
   CREATE INDEX request_tags_value ON request_tags (name, value, request_id);
   CREATE INDEX requests_newest ON requests (started_at DESC, id DESC);
   CREATE INDEX requests_model_newest ON requests (requested_model, started_at DESC, id DESC);
   CREATE INDEX requests_key_newest ON requests (key_id, started_at DESC, id DESC);
   CREATE INDEX requests_customer_newest ON requests (customer, started_at DESC, id DESC);
   CREATE INDEX requests_route_newest ON requests (route, started_at DESC, id DESC);
   CREATE TABLE captures (
     request_id TEXT PRIMARY KEY, created_at ${t.bigint} NOT NULL, expires_at ${t.bigint} NOT NULL, redacted ${t.flag} NOT NULL,
     request_body ${t.blob}, answer_body ${t.blob}, request_bytes INTEGER, answer_bytes INTEGER,
     request_truncated ${t.flag} NOT NULL, answer_truncated ${t.flag} NOT NULL);
   CREATE INDEX captures_expires ON captures (expires_at);
   CREATE TABLE feedback (
     id TEXT PRIMARY KEY, request_id TEXT NOT NULL, metric TEXT NOT NULL, value TEXT NOT NULL, num_value ${t.real},
     comment TEXT, key_id TEXT, created_at ${t.bigint} NOT NULL);
   CREATE INDEX feedback_request ON feedback (request_id, created_at);
   CREATE TABLE feedback_latest (
     request_id TEXT NOT NULL, metric TEXT NOT NULL, feedback_id TEXT NOT NULL, value TEXT NOT NULL, num_value ${t.real},
     given_at ${t.bigint} NOT NULL, PRIMARY KEY (request_id, metric));`;
}
