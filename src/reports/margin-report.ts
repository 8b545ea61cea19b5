import type { RevenueRecord, RollupRow } from '../store/store.js';
import { roundUsd } from '../ledger/money.js';
import { evaluationCustomer } from '../quality/evaluation-types.js';
import type { MonthRange } from './periods.js';
import { tokensOf } from './rollup-records.js';

export interface MarginFigures {
  revenueUsd: number;
  /** AI cost: request totals, shadow attempts excluded. */
  costUsd: number;
  marginUsd: number;
  /** Margin as a percentage of revenue; null without revenue. */
  marginPercent: number | null;
  requests: number;
  tokens: number;
}

export interface MarginRow extends MarginFigures {
  /** Null for requests attributed to no customer. */
  customer: string | null;
}

export interface MarginReport {
  from: string;
  to: string;
  rows: MarginRow[];
  total: MarginFigures;
  /** Spent on shadow comparisons in the period; not charged to any customer's margin. */
  shadowCostUsd: number;
  /** Spent by evaluations (ledger customer `switchyard:evaluation`): the gateway's own cost, in no customer's row or the total. */
  evaluationCostUsd: number;
}

function figures(revenueUsd: number, costUsd: number, requests: number, tokens: number): MarginFigures {
  const marginUsd = roundUsd(revenueUsd - costUsd);
  return {
    revenueUsd: roundUsd(revenueUsd),
    costUsd: roundUsd(costUsd),
    marginUsd,
    marginPercent: revenueUsd > 0 ? Math.round(((revenueUsd - costUsd) / revenueUsd) * 100 * 1e6) / 1e6 : null,
    requests,
    tokens,
  };
}

function byRevenueThenCost(left: MarginRow, right: MarginRow): number {
  if (left.customer === null || right.customer === null) return left.customer === null ? 1 : -1;
  return right.revenueUsd - left.revenueUsd || right.costUsd - left.costUsd || (left.customer < right.customer ? -1 : 1);
}

/**
 * Gross margin per customer over whole months: revenue of the months in the range minus the AI cost of the
 * requests made in them. Customers with only revenue or only cost appear too; requests without a customer
 * form their own row (customer null), listed last. Evaluation calls are the gateway's own spend: left out of every row
 * and the total, and reported apart.
 */
export function marginReport(range: MonthRange, usage: RollupRow[], revenue: RevenueRecord[]): MarginReport {
  const totals = new Map<string | null, { revenue: number; cost: number; requests: number; tokens: number }>();
  const entry = (customer: string | null) => {
    let found = totals.get(customer);
    if (!found) totals.set(customer, (found = { revenue: 0, cost: 0, requests: 0, tokens: 0 }));
    return found;
  };
  let shadowCostUsd = 0;
  let evaluationCostUsd = 0;
  for (const row of usage) {
    if (row.bucket < range.start || row.bucket >= range.end) continue;
    if (row.customer === evaluationCustomer) {
      evaluationCostUsd += row.costUsd + row.shadowCostUsd;
      continue;
    }
    const found = entry(row.customer);
    found.cost += row.costUsd;
    found.requests += row.requests;
    found.tokens += tokensOf(row);
    shadowCostUsd += row.shadowCostUsd;
  }
  for (const row of revenue) if (row.period >= range.from && row.period <= range.to) entry(row.customer).revenue += row.usd;
  const rows = [...totals].map(([customer, sums]) => ({ customer, ...figures(sums.revenue, sums.cost, sums.requests, sums.tokens) })).sort(byRevenueThenCost);
  const sum = (pick: (row: MarginRow) => number) => rows.reduce((total, row) => total + pick(row), 0);
  return {
    from: range.from,
    to: range.to,
    rows,
    total: figures(sum((row) => row.revenueUsd), sum((row) => row.costUsd), sum((row) => row.requests), sum((row) => row.tokens)),
    shadowCostUsd: roundUsd(shadowCostUsd),
    evaluationCostUsd: roundUsd(evaluationCostUsd),
  };
}
