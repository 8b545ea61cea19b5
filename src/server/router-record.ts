import { computeCost } from '../ledger/cost.js';
import { usageOfCounts, type RequestRecord, type RouterRecord } from '../ledger/ledger-record.js';
import type { RoutePlan } from '../routing/plan-route.js';
import type { RouterDecision } from '../routing/router/route-decision.js';

/** `x-switchyard-route-score`: the score first, then the bar it was held to and the choice. */
export function routeScoreHeader(decision: RouterDecision): string {
  const threshold = Number.isFinite(decision.threshold) ? decision.threshold.toFixed(6) : String(decision.threshold);
  return `${decision.score.toFixed(6)}; threshold=${threshold}; choice=${decision.choice}${decision.shadow ? '; shadow' : ''}`;
}

/** The decision as the ledger keeps it, with what the request's tokens cost at the chosen target's price. */
export function routerRecordOf(router: NonNullable<RoutePlan['router']>, record: RequestRecord): RouterRecord {
  const price = router.chosen.price;
  return {
    score: router.decision.score,
    threshold: router.decision.threshold,
    choice: router.decision.choice,
    shadow: router.decision.shadow,
    choiceCostUsd: price ? computeCost(usageOfCounts(record), price) : null,
  };
}
