import type { RollupQuery, RollupRow } from './store.js';
import { roundUsd } from '../ledger/money.js';

const bucketMs = { hour: 3_600_000, day: 86_400_000 } as const;

export const rollupDimensions = ['team', 'customer', 'key_id', 'route', 'requested_model', 'provider', 'upstream_model', 'cache_hit'];

/** The WHERE conditions of a rollup query (its time range on `timeColumn`, and its filters) and their values. */
export function rollupConditions(query: RollupQuery, dialect: 'sqlite' | 'postgres', timeColumn: string): { conditions: string[]; values: unknown[] } {
  const values: unknown[] = [query.from, query.to];
  const placeholder = () => (dialect === 'sqlite' ? '?' : `$${values.length}`);
  const conditions = [`${timeColumn} >= ${dialect === 'sqlite' ? '?' : '$1'}`, `${timeColumn} < ${dialect === 'sqlite' ? '?' : '$2'}`];
  const filters: Array<[keyof RollupQuery, string]> = [['route', 'route'], ['provider', 'provider'], ['upstreamModel', 'upstream_model']];
  for (const [field, column] of filters) {
    const value = query[field];
    if (value === undefined) continue;
    values.push(value);
    conditions.push(`${column} = ${placeholder()}`);
  }
  return { conditions, values };
}

/**
 * The rollup query for either driver. Shadow cost comes from a correlated sub-query on the attempts'
 * primary key, so a request with several shadow attempts is still counted once.
 */
export function rollupSql(query: RollupQuery, dialect: 'sqlite' | 'postgres'): { text: string; values: unknown[] } {
  const { conditions, values } = rollupConditions(query, dialect, 'started_at');
  const shadow = dialect === 'sqlite' ? 'a.shadow = 1' : 'a.shadow';
  const size = bucketMs[query.bucket];
  // Shadow-mode router decisions with a priced choice: what those requests cost and what the choice would have.
  const routerShadow = `${dialect === 'sqlite' ? 'router_shadow = 1' : 'router_shadow'} AND router_choice_cost_usd IS NOT NULL`;
  const text = `SELECT bucket, ${rollupDimensions.join(', ')}, ok, COUNT(*) AS requests,
      SUM(input_tokens) AS input_tokens, SUM(cached_input_tokens) AS cached_input_tokens, SUM(cache_write_tokens) AS cache_write_tokens,
      SUM(output_tokens) AS output_tokens, SUM(reasoning_tokens) AS reasoning_tokens, SUM(cost_usd) AS cost_usd,
      SUM(saved_usd) AS saved_usd, SUM(latency_ms) AS latency_ms, SUM(shadow_attempts) AS shadow_attempts, SUM(shadow_cost_usd) AS shadow_cost_usd,
      SUM(CASE WHEN ${routerShadow} THEN 1 ELSE 0 END) AS router_shadow_requests,
      SUM(CASE WHEN ${routerShadow} THEN cost_usd ELSE 0 END) AS router_shadow_cost_usd,
      SUM(CASE WHEN ${routerShadow} THEN router_choice_cost_usd ELSE 0 END) AS router_shadow_choice_usd
    FROM (
      SELECT r.*, (r.started_at / ${size}) * ${size} AS bucket, CASE WHEN r.status < 400 THEN 1 ELSE 0 END AS ok,
        (SELECT COUNT(*) FROM attempts a WHERE a.request_id = r.id AND ${shadow}) AS shadow_attempts,
        (SELECT COALESCE(SUM(a.cost_usd), 0) FROM attempts a WHERE a.request_id = r.id AND ${shadow}) AS shadow_cost_usd
      FROM requests r WHERE ${conditions.join(' AND ')}
    ) x
    GROUP BY bucket, ${rollupDimensions.join(', ')}, ok`;
  return { text, values };
}

/** A driver's result row (snake_case, numbers already parsed) as a RollupRow. */
export function rollupRowFrom(row: Record<string, unknown>): RollupRow {
  const number = (name: string) => Number(row[name] ?? 0);
  return {
    bucket: number('bucket'),
    team: (row.team as string | null) ?? null,
    customer: (row.customer as string | null) ?? null,
    keyId: (row.key_id as string | null) ?? null,
    route: (row.route as string | null) ?? null,
    requestedModel: row.requested_model as string,
    provider: (row.provider as string | null) ?? null,
    upstreamModel: (row.upstream_model as string | null) ?? null,
    cacheHit: row.cache_hit === true || row.cache_hit === 1,
    ok: number('ok') === 1,
    requests: number('requests'),
    inputTokens: number('input_tokens'),
    cachedInputTokens: number('cached_input_tokens'),
    cacheWriteTokens: number('cache_write_tokens'),
    outputTokens: number('output_tokens'),
    reasoningTokens: number('reasoning_tokens'),
    costUsd: roundUsd(number('cost_usd')),
    savedUsd: roundUsd(number('saved_usd')),
    latencyMs: Math.round(number('latency_ms') * 1000) / 1000,
    shadowAttempts: number('shadow_attempts'),
    shadowCostUsd: roundUsd(number('shadow_cost_usd')),
    // Present only on rows with shadow-mode router decisions, so rows of every other request keep their shape.
    ...(number('router_shadow_requests') > 0
      ? { routerShadowRequests: number('router_shadow_requests'), routerShadowCostUsd: roundUsd(number('router_shadow_cost_usd')), routerShadowChoiceUsd: roundUsd(number('router_shadow_choice_usd')) }
      : {}),
  };
}
