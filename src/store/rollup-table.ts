import type { RequestRecord, UsageGroup, UsageQuery, UsageRow } from '../ledger/ledger-record.js';
import { roundUsd } from '../ledger/money.js';
import { rollupConditions, rollupDimensions, rollupSql } from './rollup-sql.js';
import type { RollupQuery, RollupRow } from './store.js';

/**
 * The rollup tables: one row per UTC hour (request_rollups) or UTC day (request_rollups_daily) and per combination of
 * the dimensions the reports group by, kept up to date in the same transaction as the ledger rows, so reports read a
 * few rows per day instead of every request. Text dimensions store '' for "none" (a primary key column cannot be NULL).
 */
export const hourMs = 3_600_000;
const dayMs = 86_400_000;

type Dialect = 'sqlite' | 'postgres';
export type RollupGrain = 'hour' | 'day';

const tables: Record<RollupGrain, string> = { hour: 'request_rollups', day: 'request_rollups_daily' };
const sizes: Record<RollupGrain, number> = { hour: hourMs, day: dayMs };
export const rollupGrains: RollupGrain[] = ['hour', 'day'];

const textDimensions = ['team', 'customer', 'key_id', 'route', 'requested_model', 'provider', 'upstream_model'];
const sums = [
  'requests', 'input_tokens', 'cached_input_tokens', 'cache_write_tokens', 'output_tokens', 'reasoning_tokens', 'cost_usd', 'saved_usd', 'latency_ms',
  'shadow_attempts', 'shadow_cost_usd', 'router_shadow_requests', 'router_shadow_cost_usd', 'router_shadow_choice_usd',
];
const realSums = new Set(['cost_usd', 'saved_usd', 'latency_ms', 'shadow_cost_usd', 'router_shadow_cost_usd', 'router_shadow_choice_usd']);
export const rollupTableColumns = ['bucket', ...rollupDimensions, 'ok', ...sums];
const keyColumns = ['bucket', ...rollupDimensions, 'ok'];
/** GROUP BY of a SELECT whose first columns are the key columns. */
const groupPositions = keyColumns.map((_column, index) => String(index + 1)).join(', ');

export function rollupTableSql(types: { bigint: string; real: string; flag: string }): string {
  const columns = [
    `bucket ${types.bigint} NOT NULL`,
    ...textDimensions.map((column) => `${column} TEXT NOT NULL`),
    `cache_hit ${types.flag} NOT NULL`,
    `ok ${types.flag} NOT NULL`,
    ...sums.map((column) => `${column} ${realSums.has(column) ? types.real : types.bigint} NOT NULL`),
  ];
  return rollupGrains.map((grain) => `CREATE TABLE ${tables[grain]} (${columns.join(', ')}, PRIMARY KEY (${keyColumns.join(', ')}))`).join(';\n');
}

/**
 * The SELECT of rollup rows of one grain, shadow attempts summed per request by a join rather than per row: from every
 * request, or with `batch` (SQLite only) from the requests and attempts whose rowids are above `@requests` and
 * `@attempts`. NOT INDEXED keeps SQLite from scanning the whole attempts index for the GROUP BY instead of the rowid
 * range of the batch.
 */
function rollupSelectSql(dialect: Dialect, grain: RollupGrain, batch = false): string {
  const flag = (condition: string) => (dialect === 'sqlite' ? `CASE WHEN ${condition} THEN 1 ELSE 0 END` : `(${condition})`);
  const shadow = dialect === 'sqlite' ? 'shadow = 1' : 'shadow';
  const attempts = batch ? `attempts NOT INDEXED WHERE rowid > @attempts AND ${shadow}` : `attempts WHERE ${shadow}`;
  const routerShadow = `${dialect === 'sqlite' ? 'r.router_shadow = 1' : 'r.router_shadow'} AND r.router_choice_cost_usd IS NOT NULL`;
  const columns = [
    `(r.started_at / ${sizes[grain]}) * ${sizes[grain]}`, ...textDimensions.map((column) => `COALESCE(r.${column}, '')`), 'r.cache_hit', flag('r.status < 400'), 'COUNT(*)',
    ...['input_tokens', 'cached_input_tokens', 'cache_write_tokens', 'output_tokens', 'reasoning_tokens', 'cost_usd', 'saved_usd', 'latency_ms'].map((column) => `SUM(r.${column})`),
    'SUM(COALESCE(s.attempts, 0))', 'SUM(COALESCE(s.cost_usd, 0))',
    `SUM(CASE WHEN ${routerShadow} THEN 1 ELSE 0 END)`, `SUM(CASE WHEN ${routerShadow} THEN r.cost_usd ELSE 0 END)`, `SUM(CASE WHEN ${routerShadow} THEN r.router_choice_cost_usd ELSE 0 END)`,
  ];
  return `SELECT ${columns.join(', ')} FROM requests r
    LEFT JOIN (SELECT request_id, COUNT(*) AS attempts, SUM(cost_usd) AS cost_usd FROM ${attempts} GROUP BY request_id) s ON s.request_id = r.id
    WHERE ${batch ? 'r.rowid > @requests' : 'TRUE'}
    GROUP BY ${groupPositions}`;
}

/** What an upsert into a rollup table does with a combination already stored: adds the new sums to it. */
function rollupConflictSql(grain: RollupGrain): string {
  return `ON CONFLICT (${keyColumns.join(', ')}) DO UPDATE SET ${sums.map((column) => `${column} = ${tables[grain]}.${column} + excluded.${column}`).join(', ')}`;
}

/**
 * Fills both tables from the requests already stored (the upgrade of a database that had none): the hourly one in
 * one pass over the requests, then the daily one from the hourly.
 */
export function rollupBackfillSql(dialect: Dialect): string {
  return `INSERT INTO ${tables.hour} (${rollupTableColumns.join(', ')})
    ${rollupSelectSql(dialect, 'hour')};
  INSERT INTO ${tables.day} (${rollupTableColumns.join(', ')})
    SELECT (bucket / ${dayMs}) * ${dayMs}, ${keyColumns.slice(1).join(', ')}, ${sums.map((column) => `SUM(${column})`).join(', ')} FROM ${tables.hour} GROUP BY ${groupPositions}`;
}

/**
 * The upsert of one table's rollups of a batch just inserted, aggregated by the database from the requests whose
 * rowid is above `@requests` and the attempts whose rowid is above `@attempts` (the largest rowids before the batch;
 * SQLite only). The caller runs it in the batch's write transaction, begun IMMEDIATE so that no other connection can
 * insert between reading those rowids and the upsert.
 */
export function rollupBatchUpsertSql(grain: RollupGrain): string {
  return `INSERT INTO ${tables[grain]} (${rollupTableColumns.join(', ')})
    ${rollupSelectSql('sqlite', grain, true)}
    ${rollupConflictSql(grain)}`;
}

/**
 * A batch of records as rows of the hourly and the daily rollup tables, each sorted so concurrent writers lock shared
 * rows in the same order. The PostgreSQL driver runs this on the gateway's event loop for every ledger batch (the
 * SQLite one does not: its writer thread aggregates the rows it has just inserted with rollupBatchUpsertSql, and its
 * tests hold that to these rows), so it sums records into flat arrays under a joined string key, once, for the hours,
 * and then folds those few rows into days, instead of keying every record twice or building the report-shaped rows
 * of rollupRecords (which the contract tests hold it to).
 */
export function rollupTableRows(records: RequestRecord[], flag: (value: boolean) => boolean | number): Record<RollupGrain, unknown[][]> {
  const hours = new Map<string, unknown[]>();
  for (const record of records) {
    const bucket = Math.floor(record.startedAt / hourMs) * hourMs;
    const ok = record.status < 400;
    const team = record.team ?? '';
    const customer = record.customer ?? '';
    const keyId = record.keyId ?? '';
    const route = record.route ?? '';
    const provider = record.provider ?? '';
    const upstreamModel = record.upstreamModel ?? '';
    const key = `${bucket}\u0001${team}\u0001${customer}\u0001${keyId}\u0001${route}\u0001${record.requestedModel}\u0001${provider}\u0001${upstreamModel}\u0001${record.cacheHit ? 1 : 0}${ok ? 1 : 0}`;
    let row = hours.get(key);
    if (!row) {
      row = [bucket, team, customer, keyId, route, record.requestedModel, provider, upstreamModel, flag(record.cacheHit), flag(ok), 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0];
      hours.set(key, row);
    }
    const sums = row as number[];
    sums[10] += 1;
    sums[11] += record.inputTokens;
    sums[12] += record.cachedInputTokens;
    sums[13] += record.cacheWriteTokens;
    sums[14] += record.outputTokens;
    sums[15] += record.reasoningTokens;
    sums[16] += record.costUsd;
    sums[17] += record.savedUsd;
    sums[18] += record.latencyMs;
    for (const attempt of record.attempts) {
      if (!attempt.shadow) continue;
      sums[19] += 1;
      sums[20] += attempt.costUsd;
    }
    if (record.router?.shadow && record.router.choiceCostUsd !== null) {
      sums[21] += 1;
      sums[22] += record.costUsd;
      sums[23] += record.router.choiceCostUsd;
    }
  }
  const days = new Map<string, unknown[]>();
  for (const [key, hour] of hours) {
    // The hour's key with its bucket replaced by the day's: the other dimensions are the same.
    const day = Math.floor((hour[0] as number) / dayMs) * dayMs;
    const dayKey = `${day}${key.slice(key.indexOf('\u0001'))}`;
    const row = days.get(dayKey);
    if (!row) {
      days.set(dayKey, [day, ...hour.slice(1)]);
      continue;
    }
    for (let index = 10; index < row.length; index += 1) (row as number[])[index] += hour[index] as number;
  }
  const sorted = (rows: Map<string, unknown[]>) => [...rows.keys()].sort().map((key) => rows.get(key) as unknown[]);
  return { hour: sorted(hours), day: sorted(days) };
}

/** The upsert of `count` rows into one table: new combinations are inserted, existing ones have the batch's sums added. */
export function rollupUpsertSql(count: number, dialect: Dialect, grain: RollupGrain): string {
  const width = rollupTableColumns.length;
  const tuples = Array.from({ length: count }, (_row, index) => `(${rollupTableColumns.map((_column, column) => (dialect === 'sqlite' ? '?' : `$${index * width + column + 1}`)).join(', ')})`);
  return `INSERT INTO ${tables[grain]} (${rollupTableColumns.join(', ')}) VALUES ${tuples.join(', ')} ${rollupConflictSql(grain)}`;
}

/** Where each part of a range is read from. */
export interface RollupRead {
  source: RollupGrain | 'raw';
  from: number;
  to: number;
}

function aligned(from: number, to: number, size: number): { whole: [number, number] | undefined; edges: Array<[number, number]> } {
  const first = Math.ceil(from / size) * size;
  const last = Math.floor(to / size) * size;
  if (first >= last) return { whole: undefined, edges: from < to ? [[from, to]] : [] };
  const edges: Array<[number, number]> = [];
  if (from < first) edges.push([from, first]);
  if (last < to) edges.push([last, to]);
  return { whole: [first, last], edges };
}

/**
 * Splits a range by source: whole days from the daily table (for daily buckets), whole hours from the hourly one,
 * and the partial hours at either end from the raw requests.
 */
export function rollupReads(bucket: RollupGrain, from: number, to: number): RollupRead[] {
  const reads: RollupRead[] = [];
  let rest: Array<[number, number]> = [[from, to]];
  if (bucket === 'day') {
    const days = aligned(from, to, dayMs);
    if (days.whole) reads.push({ source: 'day', from: days.whole[0], to: days.whole[1] });
    rest = days.edges;
  }
  for (const [start, end] of rest) {
    const hours = aligned(start, end, hourMs);
    if (hours.whole) reads.push({ source: 'hour', from: hours.whole[0], to: hours.whole[1] });
    for (const [edgeStart, edgeEnd] of hours.edges) reads.push({ source: 'raw', from: edgeStart, to: edgeEnd });
  }
  return reads;
}

/** The SQL of each read of a rollup query, raw parts through the raw rollup query. */
export function rollupReadSql(query: RollupQuery, dialect: Dialect): Array<{ text: string; values: unknown[] }> {
  return rollupReads(query.bucket, query.from, query.to).map((read) =>
    read.source === 'raw' ? rollupSql({ ...query, from: read.from, to: read.to }, dialect) : rollupTableReadSql({ ...query, from: read.from, to: read.to }, dialect, read.source),
  );
}

/** Rollup rows of whole hours or days from one table, summed per bucket of the query, with the query's filters. */
function rollupTableReadSql(query: RollupQuery, dialect: Dialect, grain: RollupGrain): { text: string; values: unknown[] } {
  const { conditions, values } = rollupConditions(query, dialect, 'bucket');
  const size = sizes[query.bucket];
  const dimensions = [...textDimensions.map((column) => `NULLIF(${column}, '') AS ${column}`), 'cache_hit'];
  const ok = dialect === 'sqlite' ? 'ok' : 'CASE WHEN ok THEN 1 ELSE 0 END';
  // A table of the query's own grain already holds one row per bucket and combination: nothing to sum.
  if (grain === query.bucket) return { text: `SELECT bucket, ${dimensions.join(', ')}, ${ok} AS ok, ${sums.join(', ')} FROM ${tables[grain]} WHERE ${conditions.join(' AND ')}`, values };
  const text = `SELECT (bucket / ${size}) * ${size} AS bucket, ${dimensions.join(', ')}, ${ok} AS ok, ${sums.map((column) => `SUM(${column}) AS ${column}`).join(', ')}
    FROM ${tables[grain]} WHERE ${conditions.join(' AND ')}
    GROUP BY 1, ${[...textDimensions, 'cache_hit', 'ok'].join(', ')}`;
  return { text, values };
}

const numericFields = ['requests', 'inputTokens', 'cachedInputTokens', 'cacheWriteTokens', 'outputTokens', 'reasoningTokens', 'costUsd', 'savedUsd', 'latencyMs', 'shadowAttempts', 'shadowCostUsd', 'routerShadowRequests', 'routerShadowCostUsd', 'routerShadowChoiceUsd'] as const;

/** Sums rows that share bucket and dimensions (a partial hour read raw meets the same day read from the table). */
export function mergeRollupRows(parts: RollupRow[][]): RollupRow[] {
  // The rows of one read are distinct already, and so are rows of a bucket only one read returned (the whole days
  // of a month never meet its partial days): only buckets several reads share need summing.
  if (parts.length === 1) return parts[0] as RollupRow[];
  const readsPerBucket = new Map<number, number>();
  for (const part of parts) for (const bucket of new Set(part.map((row) => row.bucket))) readsPerBucket.set(bucket, (readsPerBucket.get(bucket) ?? 0) + 1);
  const result: RollupRow[] = [];
  const merged = new Map<string, RollupRow>();
  for (const row of parts.flat()) {
    if (readsPerBucket.get(row.bucket) === 1) {
      result.push(row);
      continue;
    }
    // NUL marks "none", which no stored text can hold, so a customer named "null" stays apart from none.
    const key = [row.bucket, row.team ?? '\u0000', row.customer ?? '\u0000', row.keyId ?? '\u0000', row.route ?? '\u0000', row.requestedModel, row.provider ?? '\u0000', row.upstreamModel ?? '\u0000', row.cacheHit, row.ok].join('\u0001');
    const existing = merged.get(key);
    if (!existing) {
      merged.set(key, { ...row });
      continue;
    }
    for (const field of numericFields) {
      if (row[field] === undefined) continue;
      existing[field] = (existing[field] ?? 0) + (row[field] as number);
    }
  }
  for (const row of merged.values()) {
    for (const field of ['costUsd', 'savedUsd', 'shadowCostUsd', 'routerShadowCostUsd', 'routerShadowChoiceUsd'] as const) if (row[field] !== undefined) row[field] = roundUsd(row[field] as number);
    row.latencyMs = Math.round(row.latencyMs * 1000) / 1000;
    result.push(row);
  }
  return result;
}

const usageKey: Record<UsageGroup, (row: RollupRow) => string | null> = {
  key: (row) => row.keyId,
  customer: (row) => row.customer,
  model: (row) => row.requestedModel,
  provider: (row) => row.provider,
  team: (row) => row.team,
  route: (row) => row.route,
  day: (row) => new Date(row.bucket).toISOString().slice(0, 10),
};

/** Usage totals from rollup rows, ordered as the raw query orders them: by cost, then by requests, descending. */
export function usageFromRollup(rows: RollupRow[], query: UsageQuery): UsageRow[] {
  const groups = new Map<string | null, UsageRow>();
  const groupOf = usageKey[query.groupBy];
  for (const row of rows) {
    if (query.keyId !== undefined && row.keyId !== query.keyId) continue;
    const group = groupOf(row);
    let usage = groups.get(group);
    if (!usage) groups.set(group, (usage = { group, requests: 0, errors: 0, inputTokens: 0, cachedInputTokens: 0, outputTokens: 0, reasoningTokens: 0, costUsd: 0, savedUsd: 0 }));
    usage.requests += row.requests;
    if (!row.ok) usage.errors += row.requests;
    usage.inputTokens += row.inputTokens + row.cachedInputTokens + row.cacheWriteTokens;
    usage.cachedInputTokens += row.cachedInputTokens;
    usage.outputTokens += row.outputTokens;
    usage.reasoningTokens += row.reasoningTokens;
    usage.costUsd += row.costUsd;
    usage.savedUsd += row.savedUsd;
  }
  return [...groups.values()]
    .map((usage) => ({ ...usage, costUsd: roundUsd(usage.costUsd), savedUsd: roundUsd(usage.savedUsd) }))
    .sort((left, right) => right.costUsd - left.costUsd || right.requests - left.requests);
}
