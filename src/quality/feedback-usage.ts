import type { Config } from '../config/schema.js';
import type { UsageRow } from '../ledger/ledger-record.js';
import type { FeedbackSummaryRow } from '../store/quality-store.js';

/** Feedback on one usage row's requests, per metric: the share of `true`, the mean of a float, or only a count. */
export type FeedbackRates = Record<string, { type: 'boolean'; count: number; rate: number } | { type: 'float'; count: number; mean: number } | { type: 'demonstration'; count: number }>;

const round = (value: number) => Math.round(value * 1e6) / 1e6;

/** Usage rows with a `feedback` field on each row whose requests received feedback on a declared metric. */
export function withFeedbackRates(config: Config, rows: UsageRow[], summary: FeedbackSummaryRow[]): Array<UsageRow & { feedback?: FeedbackRates }> {
  const byGroup = new Map<string | null, FeedbackRates>();
  for (const item of summary) {
    const definition = config.metrics[item.metric];
    if (!definition) continue;
    const rates = byGroup.get(item.group) ?? {};
    if (definition.type === 'boolean') rates[item.metric] = { type: 'boolean', count: item.count, rate: round(item.mean ?? 0) };
    else if (definition.type === 'float') rates[item.metric] = { type: 'float', count: item.count, mean: round(item.mean ?? 0) };
    else rates[item.metric] = { type: 'demonstration', count: item.count };
    byGroup.set(item.group, rates);
  }
  return rows.map((row) => {
    const feedback = byGroup.get(row.group);
    return feedback ? { ...row, feedback } : row;
  });
}
