import type { AttemptRecord, RequestRecord, UsageGroup } from '../ledger/ledger-record.js';

/** The columns of the ledger tables, the same in both drivers, in the order the row functions below fill them. */
export const requestColumns = [
  'id', 'started_at', 'endpoint', 'key_id', 'customer', 'team', 'requested_model', 'route', 'provider', 'upstream_model',
  'stream', 'status', 'error_code', 'input_tokens', 'cached_input_tokens', 'cache_write_tokens', 'output_tokens',
  'reasoning_tokens', 'cost_usd', 'latency_ms', 'ttft_ms', 'estimated', 'catalog_version', 'cache_hit', 'saved_usd',
  'tags',
  'router_score', 'router_threshold', 'router_choice', 'router_shadow', 'router_choice_cost_usd',
];

export const attemptColumns = [
  'request_id', 'attempt', 'started_at', 'provider', 'upstream_model', 'model', 'status', 'error_code', 'input_tokens',
  'cached_input_tokens', 'cache_write_tokens', 'output_tokens', 'reasoning_tokens', 'cost_usd', 'latency_ms', 'ttft_ms',
  'estimated', 'shadow',
];

/** How a driver stores a flag: PostgreSQL as a boolean, SQLite as 0 or 1. */
export type FlagValue = (flag: boolean) => boolean | number;

/** A request's values in `requestColumns` order. */
export function requestRow(r: RequestRecord, flag: FlagValue): unknown[] {
  return [r.id, r.startedAt, r.endpoint, r.keyId, r.customer, r.team, r.requestedModel, r.route, r.provider, r.upstreamModel, flag(r.stream), r.status, r.errorCode,
    r.inputTokens, r.cachedInputTokens, r.cacheWriteTokens, r.outputTokens, r.reasoningTokens, r.costUsd, r.latencyMs, r.ttftMs, flag(r.estimated), r.catalogVersion, flag(r.cacheHit), r.savedUsd, tagsColumn(r.tags),
    r.router?.score ?? null, finiteOrNull(r.router?.threshold), r.router?.choice ?? null, r.router ? flag(r.router.shadow) : null, r.router?.choiceCostUsd ?? null];
}

/** Tags as stored in the requests table: JSON, or NULL for none. */
export function tagsColumn(tags: Record<string, string> | undefined): string | null {
  return tags && Object.keys(tags).length > 0 ? JSON.stringify(tags) : null;
}

/** The rows of the request_tags table (request id, name, value) that tag filters use. */
export function tagRows(r: RequestRecord): unknown[][] {
  return r.tags ? Object.entries(r.tags).map(([name, value]) => [r.id, name, value]) : [];
}

export const tagColumns = ['request_id', 'name', 'value'];

/** A stored tags column back as the record's optional field. */
export function tagsFromColumn(row: Record<string, unknown>): void {
  if (typeof row.tags === 'string') row.tags = JSON.parse(row.tags) as Record<string, string>;
  else delete row.tags;
}

/** An infinite threshold (maxStrongShare 0 or 1) is stored as null: neither driver's REAL column takes it. */
function finiteOrNull(value: number | undefined): number | null {
  return value === undefined || !Number.isFinite(value) ? null : value;
}

/** Folds the router columns of a camel-cased request row back into `router`, or drops them when the request had none. */
export function routerFieldsFrom(row: Record<string, unknown>): Record<string, unknown> {
  const { routerScore, routerThreshold, routerChoice, routerShadow, routerChoiceCostUsd, ...rest } = row;
  if (routerScore === null || routerScore === undefined) return rest;
  return {
    ...rest,
    router: { score: Number(routerScore), threshold: routerThreshold === null ? Number.NaN : Number(routerThreshold), choice: routerChoice, shadow: routerShadow === true || routerShadow === 1, choiceCostUsd: routerChoiceCostUsd === null ? null : Number(routerChoiceCostUsd) },
  };
}

/** An attempt's values in `attemptColumns` order. */
export function attemptRow(requestId: string, a: AttemptRecord, flag: FlagValue): unknown[] {
  return [requestId, a.attempt, a.startedAt, a.provider, a.upstreamModel, a.model, a.status, a.errorCode, a.inputTokens, a.cachedInputTokens, a.cacheWriteTokens,
    a.outputTokens, a.reasoningTokens, a.costUsd, a.latencyMs, a.ttftMs, flag(a.estimated), flag(a.shadow)];
}

/** The column (or expression) each usage grouping groups by; only the day differs between SQL dialects. */
export function usageGroupColumns(dayExpression: string): Record<UsageGroup, string> {
  return { key: 'key_id', customer: 'customer', model: 'requested_model', provider: 'provider', team: 'team', route: 'route', day: dayExpression };
}
