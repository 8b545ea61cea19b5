/**
 * One migration for both drivers: admin roles, rotation grace and allowed networks on keys, and the append-only audit
 * log. `serial` is each driver's auto-incrementing key, which orders the log and pages it; `appendOnly` is each
 * driver's triggers that refuse UPDATE and DELETE on the log.
 */
export function accessTablesSql(types: { bigint: string; serial: string; appendOnly: string }): string {
  return `ALTER TABLE keys ADD COLUMN role TEXT;
   ALTER TABLE keys ADD COLUMN previous_hash TEXT;
   ALTER TABLE keys ADD COLUMN previous_valid_until ${types.bigint};
   ALTER TABLE keys ADD COLUMN allowed_cidrs TEXT;
   CREATE INDEX keys_previous_hash ON keys (previous_hash);
   CREATE TABLE audit_log (
     seq ${types.serial}, at ${types.bigint} NOT NULL, actor_id TEXT NOT NULL, actor_role TEXT NOT NULL,
     action TEXT NOT NULL, target TEXT, client_address TEXT, before_json TEXT, after_json TEXT);
   CREATE INDEX audit_log_at ON audit_log (at);
   ${types.appendOnly}`;
}
