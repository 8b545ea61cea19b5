import type { RollupRow } from '../store/store.js';
import { roundUsd } from '../ledger/money.js';
import { dayOf } from './periods.js';
import type { ReportContext } from './report-context.js';
import { tokensOf } from './rollup-records.js';
import { routerShadowSavings, routingSavings, type RouteSaving, type RouterShadowSaving } from './routing-savings.js';
import type { EvaluatedSpend } from './evaluation-reports.js';

export const spendGroups = ['provider', 'cloud', 'model', 'route', 'key', 'customer', 'day'] as const;
export type SpendGroup = (typeof spendGroups)[number];

export interface SpendFigures {
  requests: number;
  tokens: number;
  costUsd: number;
}

export interface SpendRow extends SpendFigures {
  group: string | null;
  inputTokens: number;
  outputTokens: number;
  cacheHits: number;
  cacheSavedUsd: number;
  shadowCostUsd: number;
  /** The group's figures per UTC day with traffic, oldest first. */
  series: Array<SpendFigures & { day: string }>;
}

export interface SpendReport {
  /** ISO 8601, inclusive. */
  from: string;
  /** ISO 8601, exclusive. */
  to: string;
  groupBy: SpendGroup;
  rows: SpendRow[];
  total: SpendFigures & { shadowCostUsd: number };
  savings: {
    /** Saved by answers served from the cache: what they cost when first computed. */
    cacheUsd: number;
    /** Saved by routing, over the routes whose first target has a price. */
    routingUsd: number;
    totalUsd: number;
    routes: RouteSaving[];
    /** What routers in shadow mode would have saved had they acted; not part of `totalUsd`. */
    routerShadow: RouterShadowSaving[];
  };
  /** Spent on shadow comparisons; outside every request's cost. */
  shadowCostUsd: number;
  /** What each candidate of an evaluation would have cost on the same traffic, when one was given. */
  evaluation?: EvaluatedSpend;
}

/** The served model's configured name, else `provider/upstream`, else what the client asked for (cache hits, early errors). */
function modelOf(row: RollupRow, context: ReportContext): string {
  if (row.provider === null || row.upstreamModel === null) return row.requestedModel;
  const configured = context.models.find((model) => model.provider === row.provider && model.upstreamModel === row.upstreamModel);
  return configured?.name ?? `${row.provider}/${row.upstreamModel}`;
}

export function groupOf(row: RollupRow, groupBy: SpendGroup, context: ReportContext): string | null {
  switch (groupBy) {
    case 'provider':
      return row.provider;
    case 'cloud':
      return row.provider === null ? null : (context.clouds[row.provider] ?? row.provider);
    case 'model':
      return modelOf(row, context);
    case 'route':
      return row.route;
    case 'key':
      return row.keyId;
    case 'customer':
      return row.customer;
    case 'day':
      return dayOf(row.bucket);
  }
}

function emptyRow(group: string | null): SpendRow {
  return { group, requests: 0, tokens: 0, costUsd: 0, inputTokens: 0, outputTokens: 0, cacheHits: 0, cacheSavedUsd: 0, shadowCostUsd: 0, series: [] };
}

function addToSeries(row: SpendRow, day: string, figures: SpendFigures): void {
  let point = row.series.find((item) => item.day === day);
  if (!point) row.series.push((point = { day, requests: 0, tokens: 0, costUsd: 0 }));
  point.requests += figures.requests;
  point.tokens += figures.tokens;
  point.costUsd += figures.costUsd;
}

function finish(row: SpendRow): SpendRow {
  const series = row.series
    .map((point) => ({ ...point, costUsd: roundUsd(point.costUsd) }))
    .sort((left, right) => (left.day < right.day ? -1 : 1));
  return { ...row, costUsd: roundUsd(row.costUsd), cacheSavedUsd: roundUsd(row.cacheSavedUsd), shadowCostUsd: roundUsd(row.shadowCostUsd), series };
}

/** Where the money went between `from` and `to`, grouped one way, with what caching and routing saved. Rows by cost, highest first. */
export function spendReport(rows: RollupRow[], options: { from: number; to: number; groupBy: SpendGroup; context: ReportContext }): SpendReport {
  const groups = new Map<string | null, SpendRow>();
  for (const row of rows) {
    const group = groupOf(row, options.groupBy, options.context);
    let target = groups.get(group);
    if (!target) groups.set(group, (target = emptyRow(group)));
    const tokens = tokensOf(row);
    target.requests += row.requests;
    target.tokens += tokens;
    target.costUsd += row.costUsd;
    target.inputTokens += row.inputTokens + row.cachedInputTokens + row.cacheWriteTokens;
    target.outputTokens += row.outputTokens;
    target.shadowCostUsd += row.shadowCostUsd;
    if (row.cacheHit) {
      target.cacheHits += row.requests;
      target.cacheSavedUsd += row.savedUsd;
    }
    addToSeries(target, dayOf(row.bucket), { requests: row.requests, tokens, costUsd: row.costUsd });
  }
  const result = [...groups.values()].map(finish).sort((left, right) => right.costUsd - left.costUsd || right.requests - left.requests);
  const sum = (pick: (row: SpendRow) => number) => result.reduce((total, row) => total + pick(row), 0);
  const routes = routingSavings(rows, options.context.routes);
  const cacheUsd = roundUsd(sum((row) => row.cacheSavedUsd));
  const routingUsd = roundUsd(routes.reduce((total, route) => total + (route.savedUsd ?? 0), 0));
  const shadowCostUsd = roundUsd(sum((row) => row.shadowCostUsd));
  return {
    from: new Date(options.from).toISOString(),
    to: new Date(options.to).toISOString(),
    groupBy: options.groupBy,
    rows: result,
    total: { requests: sum((row) => row.requests), tokens: sum((row) => row.tokens), costUsd: roundUsd(sum((row) => row.costUsd)), shadowCostUsd },
    savings: { cacheUsd, routingUsd, totalUsd: roundUsd(cacheUsd + routingUsd), routes, routerShadow: routerShadowSavings(rows) },
    shadowCostUsd,
  };
}
