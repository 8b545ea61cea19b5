import { formatTable } from '../cli/print-table.js';
import { formatUsd } from '../reports/format-report.js';
import type { DatasetItem } from './dataset.js';
import { overallScore } from './evaluation-scoring.js';
import type { Interval } from './evaluation-statistics.js';
import type { CandidateSummary, EvaluationSummary } from './evaluation-summary.js';
import { baselineCandidate, type EvaluationResult } from './evaluation-types.js';
import { renderConversation } from './judge-prompt.js';

const round = (value: number | null, digits = 4) => (value === null || Number.isNaN(value) ? null : Math.round(value * 10 ** digits) / 10 ** digits);

/** `0.91 ± 0.03` as a percentage, `91.0% ±3.0`, from an interval's mean and its larger half-width. */
export function percentText(interval: Interval): string {
  if (interval.n === 0) return '-';
  const half = Math.max(interval.high - interval.mean, interval.mean - interval.low);
  return `${(interval.mean * 100).toFixed(1)}% ±${(half * 100).toFixed(1)}`;
}

const csvColumns = [
  'candidate', 'answered', 'errors', 'score', 'score_low', 'score_high', 'score_method', 'win', 'tie', 'loss', 'as_good_as_baseline',
  'as_good_low', 'as_good_high', 'cost_usd', 'judge_cost_usd', 'cost_per_request_usd', 'cost_per_month_usd', 'saving_per_month_usd',
  'latency_p50_ms', 'latency_p95_ms',
];

function csvCell(value: string | number | null): string {
  if (value === null) return '';
  const text = String(value);
  return /[",\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

function csvRow(row: CandidateSummary, evaluators: string[]): Array<string | number | null> {
  const { score, asGoodAsBaseline: good } = row;
  return [
    row.candidate, row.answered, row.errors, round(score.mean), round(score.low), round(score.high), score.method, row.verdicts.win, row.verdicts.tie,
    row.verdicts.loss, round(good.mean), round(good.low), round(good.high), row.costUsd, row.judgeCostUsd, row.costPerRequestUsd, row.costPerMonthUsd,
    row.savingPerMonthUsd, round(row.latencyMs.p50, 3), round(row.latencyMs.p95, 3), ...evaluators.map((name) => round(row.evaluators[name]?.mean ?? null)),
  ];
}

/** One line per candidate (the baseline's own figures last), then each evaluator's mean score. */
export function evaluationCsv(summary: EvaluationSummary): string {
  const rows = [...summary.candidates, ...(summary.baselineFigures ? [{ ...summary.baselineFigures, candidate: `baseline:${summary.baseline}` }] : [])];
  const evaluators = [...new Set(rows.flatMap((row) => Object.keys(row.evaluators)))];
  const lines = [[...csvColumns, ...evaluators.map((name) => `score_${name}`)], ...rows.map((row) => csvRow(row, evaluators))];
  return `${lines.map((line) => line.map(csvCell).join(',')).join('\n')}\n`;
}

export function evaluationTable(summary: EvaluationSummary): string {
  const head = `Evaluation ${summary.id}: ${summary.dataset} v${summary.version} against ${summary.baseline}, ${summary.status} (${summary.progress.done}/${summary.progress.total} pairs, $${summary.spentUsd.toFixed(6)} spent)`;
  const volume = `Traffic to ${summary.traffic.target}: ${summary.traffic.requestsPerMonth} requests in the last 30 days, ${formatUsd(summary.traffic.costPerMonthUsd)}`;
  const table = formatTable(
    ['candidate', 'score (95% CI)', 'as good as baseline', 'win/tie/loss', 'cost/request', 'cost/month', 'saving/month', 'p50 ms', 'p95 ms'],
    summary.candidates.map((row) => [
      row.candidate, percentText(row.score), percentText(row.asGoodAsBaseline), `${row.verdicts.win}/${row.verdicts.tie}/${row.verdicts.loss}`,
      formatUsd(row.costPerRequestUsd), formatUsd(row.costPerMonthUsd), formatUsd(row.savingPerMonthUsd), round(row.latencyMs.p50, 1), round(row.latencyMs.p95, 1),
    ]),
  );
  return [head, volume, '', table, ...(summary.message ? ['', summary.message] : [])].join('\n') + '\n';
}

/**
 * Router training data: one JSON line per item, the conversation as the prompt and each model's overall score on it.
 * A live baseline counts as a model; a recorded one does not (it is no model a router could pick).
 */
export function routerTrainingData(items: DatasetItem[], results: EvaluationResult[], baseline: string): string {
  const byItem = new Map<string, Record<string, number>>();
  for (const result of results) {
    const score = overallScore(result.scores);
    if (score === null || (result.candidate === baselineCandidate && baseline === 'recorded')) continue;
    const model = result.candidate === baselineCandidate ? baseline : result.candidate;
    const scores = byItem.get(result.itemId) ?? {};
    scores[model] = score;
    byItem.set(result.itemId, scores);
  }
  const lines: string[] = [];
  for (const item of items) {
    const scores = byItem.get(item.id);
    if (scores) lines.push(JSON.stringify({ prompt: renderConversation(item.request.messages), scores }));
  }
  return lines.length === 0 ? '' : `${lines.join('\n')}\n`;
}
