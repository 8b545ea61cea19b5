import { computeCost } from '../ledger/cost.js';
import type { RollupRow } from '../store/store.js';
import { roundUsd } from '../ledger/money.js';
import type { RouteBaseline } from './report-context.js';

export interface RouteSaving {
  route: string;
  /** The route's first configured target, the one every request would have gone to without routing. */
  baselineModel: string | null;
  requests: number;
  costUsd: number;
  /** The same tokens at the baseline's price; null when the baseline has no price. */
  baselineUsd: number | null;
  savedUsd: number | null;
}

interface RouteSums {
  requests: number;
  costUsd: number;
  usage: { inputTokens: number; cacheReadTokens: number; cacheWriteTokens: number; outputTokens: number; reasoningTokens: number };
}

/** Price is linear in tokens, so summed tokens give the summed cost; the per-request fee is counted per request. */
function baselineCost(baseline: RouteBaseline | undefined, sums: RouteSums): number | null {
  if (baseline?.price) {
    const perRequest = baseline.price.perRequest ?? 0;
    return computeCost(sums.usage, { ...baseline.price, perRequest: 0 }) + perRequest * sums.requests;
  }
  const hosting = baseline?.hosting;
  if (hosting?.tokensPerSecond) {
    const { inputTokens, cacheReadTokens, cacheWriteTokens, outputTokens } = sums.usage;
    const seconds = (inputTokens + cacheReadTokens + cacheWriteTokens + outputTokens) / hosting.tokensPerSecond;
    return (seconds * hosting.pricePerHour * hosting.gpus) / 3600;
  }
  return null;
}

/** What each route's requests (cache hits aside) would have cost on the route's first target, minus what they cost. */
export function routingSavings(rows: RollupRow[], baselines: Record<string, RouteBaseline>): RouteSaving[] {
  const byRoute = new Map<string, RouteSums>();
  for (const row of rows) {
    if (row.route === null || row.cacheHit) continue;
    let sums = byRoute.get(row.route);
    if (!sums) {
      sums = { requests: 0, costUsd: 0, usage: { inputTokens: 0, cacheReadTokens: 0, cacheWriteTokens: 0, outputTokens: 0, reasoningTokens: 0 } };
      byRoute.set(row.route, sums);
    }
    sums.requests += row.requests;
    sums.costUsd += row.costUsd;
    sums.usage.inputTokens += row.inputTokens;
    sums.usage.cacheReadTokens += row.cachedInputTokens;
    sums.usage.cacheWriteTokens += row.cacheWriteTokens;
    sums.usage.outputTokens += row.outputTokens;
    sums.usage.reasoningTokens += row.reasoningTokens;
  }
  return [...byRoute]
    .map(([route, sums]) => {
      const baseline = baselineCost(baselines[route], sums);
      return {
        route,
        baselineModel: baselines[route]?.target ?? null,
        requests: sums.requests,
        costUsd: roundUsd(sums.costUsd),
        baselineUsd: baseline === null ? null : roundUsd(baseline),
        savedUsd: baseline === null ? null : roundUsd(baseline - sums.costUsd),
      };
    })
    .sort((left, right) => (right.savedUsd ?? 0) - (left.savedUsd ?? 0) || (left.route < right.route ? -1 : 1));
}

/** What a shadow-mode router would have saved on a route: the requests it decided on, at its choices' prices. */
export interface RouterShadowSaving {
  route: string;
  requests: number;
  costUsd: number;
  wouldCostUsd: number;
  wouldSaveUsd: number;
}

export function routerShadowSavings(rows: RollupRow[]): RouterShadowSaving[] {
  const byRoute = new Map<string, RouterShadowSaving>();
  for (const row of rows) {
    if (row.route === null || !row.routerShadowRequests) continue;
    let saving = byRoute.get(row.route);
    if (!saving) byRoute.set(row.route, (saving = { route: row.route, requests: 0, costUsd: 0, wouldCostUsd: 0, wouldSaveUsd: 0 }));
    saving.requests += row.routerShadowRequests;
    saving.costUsd += row.routerShadowCostUsd ?? 0;
    saving.wouldCostUsd += row.routerShadowChoiceUsd ?? 0;
  }
  return [...byRoute.values()]
    .map((saving) => ({ ...saving, costUsd: roundUsd(saving.costUsd), wouldCostUsd: roundUsd(saving.wouldCostUsd), wouldSaveUsd: roundUsd(saving.costUsd - saving.wouldCostUsd) }))
    .sort((left, right) => right.wouldSaveUsd - left.wouldSaveUsd || (left.route < right.route ? -1 : 1));
}
