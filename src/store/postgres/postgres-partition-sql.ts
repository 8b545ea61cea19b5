/** The ledger tables PostgreSQL partitions by month of `started_at`. */
export const partitionedTables = ['requests', 'attempts'] as const;

const requestIndexes: Array<[string, string]> = [
  ['requests_started_at', '(started_at)'],
  ['requests_newest', '(started_at DESC, id DESC)'],
  ['requests_model_newest', '(requested_model, started_at DESC, id DESC)'],
  ['requests_key_newest', '(key_id, started_at DESC, id DESC)'],
  ['requests_customer_newest', '(customer, started_at DESC, id DESC)'],
  ['requests_route_newest', '(route, started_at DESC, id DESC)'],
];

/**
 * The migration to monthly partitions. The existing tables become one partition each ("legacy"), bounded at the end
 * of the month the upgrade runs in (or of the latest row, if later), so no row moves; later months get partitions of
 * their own, created ahead by the store. A partitioned table's primary key must hold the partition column, so ids
 * are unique with their start time (ids are random; the ledger never writes one twice). A default partition catches rows outside every range instead of failing.
 */
export const partitionMigrationSql = `
  ALTER TABLE requests RENAME TO requests_legacy;
  ALTER TABLE requests_legacy DROP CONSTRAINT requests_pkey;
  ${requestIndexes.map(([name]) => `ALTER INDEX ${name} RENAME TO ${name.replace('requests_', 'requests_legacy_')};`).join('\n  ')}
  CREATE TABLE requests (LIKE requests_legacy INCLUDING DEFAULTS) PARTITION BY RANGE (started_at);
  ALTER TABLE requests ADD PRIMARY KEY (id, started_at);
  ${requestIndexes.map(([name, columns]) => `CREATE INDEX ${name} ON requests ${columns};`).join('\n  ')}
  ALTER TABLE attempts RENAME TO attempts_legacy;
  ALTER TABLE attempts_legacy DROP CONSTRAINT attempts_pkey;
  CREATE TABLE attempts (LIKE attempts_legacy INCLUDING DEFAULTS) PARTITION BY RANGE (started_at);
  ALTER TABLE attempts ADD PRIMARY KEY (request_id, attempt, started_at);
  DO $$
  DECLARE
    latest BIGINT := GREATEST((SELECT COALESCE(MAX(started_at), 0) FROM requests_legacy), (SELECT COALESCE(MAX(started_at), 0) FROM attempts_legacy));
    newest TIMESTAMP := GREATEST(now() AT TIME ZONE 'UTC', to_timestamp(latest / 1000.0) AT TIME ZONE 'UTC');
    boundary BIGINT := (extract(epoch FROM (date_trunc('month', newest) + interval '1 month') AT TIME ZONE 'UTC') * 1000)::BIGINT;
  BEGIN
    EXECUTE format('ALTER TABLE requests ATTACH PARTITION requests_legacy FOR VALUES FROM (MINVALUE) TO (%s)', boundary);
    EXECUTE format('ALTER TABLE attempts ATTACH PARTITION attempts_legacy FOR VALUES FROM (MINVALUE) TO (%s)', boundary);
  END $$;
  CREATE TABLE requests_default PARTITION OF requests DEFAULT;
  CREATE TABLE attempts_default PARTITION OF attempts DEFAULT;`;
