import type { RequestRecord, UsageGroup, UsageQuery, UsageRow } from '../ledger/ledger-record.js';
import { roundUsd } from '../ledger/money.js';
import { rollupRecords } from '../reports/rollup-records.js';
import { rollupConditions, rollupDimensions, rollupSql } from './rollup-sql.js';
import type { RollupQuery, RollupRow } from './store.js';

/**
 * The hourly rollup table: one row per UTC hour and per combination of the dimensions the reports group by, kept up
 * to date in the same transaction as the ledger rows, so reports read a few rows per hour instead of every request.
 * Text dimensions store '' for "none" (a primary key column cannot be NULL).
 */
export const hourMs = 3_600_000;
const dayMs = 86_400_000;

type Dialect = 'sqlite' | 'postgres';

const textDimensions = ['team', 'customer', 'key_id', 'route', 'requested_model', 'provider', 'upstream_model'];
const sums = [
  'requests', 'input_tokens', 'cached_input_tokens', 'cache_write_tokens', 'output_tokens', 'reasoning_tokens', 'cost_usd', 'saved_usd', 'latency_ms',
  'shadow_attempts', 'shadow_cost_usd', 'router_shadow_requests', 'router_shadow_cost_usd', 'router_shadow_choice_usd',
];
const realSums = new Set(['cost_usd', 'saved_usd', 'latency_ms', 'shadow_cost_usd', 'router_shadow_cost_usd', 'router_shadow_choice_usd']);
export const rollupTableColumns = ['bucket', ...rollupDimensions, 'ok', ...sums];
const keyColumns = ['bucket', ...rollupDimensions, 'ok'];

export function rollupTableSql(types: { bigint: string; real: string; flag: string }): string {
  const columns = [
    `bucket ${types.bigint} NOT NULL`,
    ...textDimensions.map((column) => `${column} TEXT NOT NULL`),
    `cache_hit ${types.flag} NOT NULL`,
    `ok ${types.flag} NOT NULL`,
    ...sums.map((column) => `${column} ${realSums.has(column) ? types.real : types.bigint} NOT NULL`),
  ];
  return `CREATE TABLE request_rollups (${columns.join(', ')}, PRIMARY KEY (${keyColumns.join(', ')}))`;
}

/** Fills the table from the requests already stored: the upgrade of a database that had none. */
export function rollupBackfillSql(dialect: Dialect): string {
  const { text } = rollupSql({ bucket: 'hour', from: 0, to: Number.MAX_SAFE_INTEGER }, dialect);
  const inlined = dialect === 'sqlite' ? text.replace('started_at >= ?', 'started_at >= 0').replace('started_at < ?', `started_at < ${Number.MAX_SAFE_INTEGER}`) : text.replace('$1', '0').replace('$2', String(Number.MAX_SAFE_INTEGER));
  const ok = dialect === 'sqlite' ? 'ok' : 'ok = 1';
  const selected = ['bucket', ...textDimensions.map((column) => `COALESCE(${column}, '')`), 'cache_hit', ok, ...sums.map((column) => `COALESCE(${column}, 0)`)];
  return `INSERT INTO request_rollups (${rollupTableColumns.join(', ')}) SELECT ${selected.join(', ')} FROM (${inlined}) rolled`;
}

/** A batch of records as rollup-table rows, sorted so concurrent writers lock shared rows in the same order. */
export function rollupTableRows(records: RequestRecord[], flag: (value: boolean) => boolean | number): unknown[][] {
  const rows = rollupRecords(records, { bucket: 'hour', from: Number.MIN_SAFE_INTEGER, to: Number.MAX_SAFE_INTEGER });
  const values = rows.map((row) => [
    row.bucket, row.team ?? '', row.customer ?? '', row.keyId ?? '', row.route ?? '', row.requestedModel, row.provider ?? '', row.upstreamModel ?? '',
    flag(row.cacheHit), flag(row.ok), row.requests, row.inputTokens, row.cachedInputTokens, row.cacheWriteTokens, row.outputTokens, row.reasoningTokens,
    row.costUsd, row.savedUsd, row.latencyMs, row.shadowAttempts, row.shadowCostUsd, row.routerShadowRequests ?? 0, row.routerShadowCostUsd ?? 0, row.routerShadowChoiceUsd ?? 0,
  ]);
  const key = (row: unknown[]) => JSON.stringify(row.slice(0, keyColumns.length));
  return values.map((row) => [key(row), row] as const).sort((left, right) => (left[0] < right[0] ? -1 : left[0] > right[0] ? 1 : 0)).map(([, row]) => row);
}

/** The upsert of `count` rows: new combinations are inserted, existing ones have the batch's sums added. */
export function rollupUpsertSql(count: number, dialect: Dialect): string {
  const width = rollupTableColumns.length;
  const tuples = Array.from({ length: count }, (_row, index) => `(${rollupTableColumns.map((_column, column) => (dialect === 'sqlite' ? '?' : `$${index * width + column + 1}`)).join(', ')})`);
  const updates = sums.map((column) => `${column} = request_rollups.${column} + excluded.${column}`);
  return `INSERT INTO request_rollups (${rollupTableColumns.join(', ')}) VALUES ${tuples.join(', ')} ON CONFLICT (${keyColumns.join(', ')}) DO UPDATE SET ${updates.join(', ')}`;
}

/** The whole hours of a range, read from the table, and the partial hours at either end, read from raw requests. */
export function splitRange(from: number, to: number): { hours: [number, number] | undefined; raw: Array<[number, number]> } {
  const first = Math.ceil(from / hourMs) * hourMs;
  const last = Math.floor(to / hourMs) * hourMs;
  if (first >= last) return { hours: undefined, raw: from < to ? [[from, to]] : [] };
  const raw: Array<[number, number]> = [];
  if (from < first) raw.push([from, first]);
  if (last < to) raw.push([last, to]);
  return { hours: [first, last], raw };
}

/** Rollup rows of whole hours, summed per bucket of the query, with the query's filters. */
export function rollupTableReadSql(query: RollupQuery, dialect: Dialect): { text: string; values: unknown[] } {
  const { conditions, values } = rollupConditions(query, dialect, 'bucket');
  const size = query.bucket === 'hour' ? hourMs : dayMs;
  const dimensions = [...textDimensions.map((column) => `NULLIF(${column}, '') AS ${column}`), 'cache_hit'];
  const ok = dialect === 'sqlite' ? 'ok' : 'CASE WHEN ok THEN 1 ELSE 0 END';
  const text = `SELECT (bucket / ${size}) * ${size} AS bucket, ${dimensions.join(', ')}, ${ok} AS ok, ${sums.map((column) => `SUM(${column}) AS ${column}`).join(', ')}
    FROM request_rollups WHERE ${conditions.join(' AND ')}
    GROUP BY 1, ${[...textDimensions, 'cache_hit', 'ok'].join(', ')}`;
  return { text, values };
}

const numericFields = ['requests', 'inputTokens', 'cachedInputTokens', 'cacheWriteTokens', 'outputTokens', 'reasoningTokens', 'costUsd', 'savedUsd', 'latencyMs', 'shadowAttempts', 'shadowCostUsd', 'routerShadowRequests', 'routerShadowCostUsd', 'routerShadowChoiceUsd'] as const;

/** Sums rows that share bucket and dimensions (a partial hour read raw meets the same day read from the table). */
export function mergeRollupRows(rows: RollupRow[]): RollupRow[] {
  const merged = new Map<string, RollupRow>();
  for (const row of rows) {
    const key = JSON.stringify([row.bucket, row.team, row.customer, row.keyId, row.route, row.requestedModel, row.provider, row.upstreamModel, row.cacheHit, row.ok]);
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
  return [...merged.values()].map((row) => {
    for (const field of ['costUsd', 'savedUsd', 'shadowCostUsd', 'routerShadowCostUsd', 'routerShadowChoiceUsd'] as const) if (row[field] !== undefined) row[field] = roundUsd(row[field] as number);
    row.latencyMs = Math.round(row.latencyMs * 1000) / 1000;
    return row;
  });
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
