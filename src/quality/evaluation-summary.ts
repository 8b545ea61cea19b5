import { roundUsd } from '../ledger/money.js';
import type { RollupRow } from '../store/store.js';
import { overallScore } from './evaluation-scoring.js';
import { percentile, scoreInterval, wilsonInterval, type Interval } from './evaluation-statistics.js';
import { baselineCandidate, evaluationCustomer, type EvaluationRecord, type EvaluationResult } from './evaluation-types.js';

export interface CandidateSummary {
  candidate: string;
  /** Pairs with a stored result. */
  answered: number;
  errors: number;
  /** Mean of each item's overall score (the mean of its evaluators), in [0, 1]. */
  score: Interval;
  evaluators: Record<string, Interval>;
  verdicts: { win: number; tie: number; loss: number; judged: number };
  /** Share of judged items answered at least as well as the baseline (win or tie), Wilson interval. */
  asGoodAsBaseline: Interval;
  costUsd: number;
  judgeCostUsd: number;
  costPerRequestUsd: number | null;
  costPerMonthUsd: number | null;
  /** The traffic's cost per month today minus the candidate's; positive means the candidate is cheaper. */
  savingPerMonthUsd: number | null;
  latencyMs: { p50: number | null; p95: number | null };
}

export interface TrafficVolume {
  target: string;
  /** ISO 8601; the 30 days before the summary. */
  from: string;
  to: string;
  requestsPerMonth: number;
  costPerMonthUsd: number;
}

export interface EvaluationSummary {
  id: string;
  status: EvaluationRecord['status'];
  message: string | null;
  dataset: string;
  version: number;
  baseline: string;
  judge: string | null;
  progress: { done: number; total: number };
  spentUsd: number;
  traffic: TrafficVolume;
  candidates: CandidateSummary[];
  /** The baseline's own figures (a recorded baseline costs nothing and scores itself on reference evaluators). */
  baselineFigures: CandidateSummary | null;
  method: string[];
}

export const summaryMethod = [
  'score: mean over items of the mean of the evaluators that could score the item; each evaluator scores 0..1',
  'pointwise judge: 1..10 maps to (N - 1) / 9, PASS 1, FAIL 0; pairwise judge: win 1, tie 0.5, loss 0',
  'pairwise judging runs both orders; a win or loss counts only when both orders agree, otherwise a tie',
  'without a pairwise judge, the verdict compares the evaluator scores the candidate and the baseline both got',
  '95% intervals: Wilson score interval for scores that are all 0 or 1, Student t (mean ± t·s/√n) otherwise',
  'per month: mean cost per evaluation request x requests to the target in the last 30 days (evaluation calls excluded)',
  'latency: p50 and p95 by linear interpolation between ranks, over the candidate calls',
];

const monthMs = 30 * 86_400_000;

/** Whether a rollup row is traffic to `target`: through the route of that name, or to the model directly. */
export function servesTarget(row: RollupRow, target: string): boolean {
  return row.route === target || (row.route === null && row.requestedModel === target);
}

/** Requests to the dataset's route or model in rollup rows of the 30 days before `now`; evaluation calls excluded. */
export function trafficVolume(rows: RollupRow[], target: string, now: number): TrafficVolume {
  const from = now - monthMs;
  let requests = 0;
  let costUsd = 0;
  for (const row of rows) {
    if (row.customer === evaluationCustomer || !servesTarget(row, target)) continue;
    requests += row.requests;
    costUsd += row.costUsd;
  }
  return { target, from: new Date(from).toISOString(), to: new Date(now).toISOString(), requestsPerMonth: requests, costPerMonthUsd: roundUsd(costUsd) };
}

function candidateSummary(candidate: string, results: EvaluationResult[], traffic: TrafficVolume): CandidateSummary {
  const answered = results.filter((result) => result.answer !== null);
  const overall = results.map((result) => overallScore(result.scores)).filter((score): score is number => score !== null);
  const names = [...new Set(results.flatMap((result) => Object.keys(result.scores)))];
  const evaluators = Object.fromEntries(names.map((name) => [name, scoreInterval(results.map((result) => result.scores[name]).filter((score): score is number => typeof score === 'number'))]));
  const verdicts = { win: 0, tie: 0, loss: 0, judged: 0 };
  for (const result of results) {
    if (result.verdict === null) continue;
    verdicts[result.verdict] += 1;
    verdicts.judged += 1;
  }
  const costUsd = results.reduce((sum, result) => sum + result.costUsd, 0);
  const perRequest = results.length === 0 ? null : costUsd / results.length;
  const perMonth = perRequest === null ? null : roundUsd(perRequest * traffic.requestsPerMonth);
  const latencies = answered.map((result) => result.latencyMs);
  return {
    candidate,
    answered: results.length,
    errors: results.filter((result) => result.status >= 400).length,
    score: scoreInterval(overall),
    evaluators,
    verdicts,
    asGoodAsBaseline: wilsonInterval(verdicts.win + verdicts.tie, verdicts.judged),
    costUsd: roundUsd(costUsd),
    judgeCostUsd: roundUsd(results.reduce((sum, result) => sum + result.judgeCostUsd, 0)),
    costPerRequestUsd: perRequest === null ? null : roundUsd(perRequest),
    costPerMonthUsd: perMonth,
    savingPerMonthUsd: perMonth === null ? null : roundUsd(traffic.costPerMonthUsd - perMonth),
    latencyMs: { p50: percentile(latencies, 0.5), p95: percentile(latencies, 0.95) },
  };
}

/** Per-candidate figures of an evaluation from its stored results and the target's traffic. */
export function summariseEvaluation(evaluation: EvaluationRecord, results: EvaluationResult[], traffic: TrafficVolume): EvaluationSummary {
  const { spec } = evaluation;
  const of = (candidate: string) => results.filter((result) => result.candidate === candidate);
  const baselineResults = of(baselineCandidate);
  return {
    id: evaluation.id,
    status: evaluation.status,
    message: evaluation.message,
    dataset: spec.dataset,
    version: spec.version,
    baseline: spec.baseline,
    judge: spec.judge ?? null,
    progress: { done: results.length, total: evaluation.total },
    spentUsd: roundUsd(results.reduce((sum, result) => sum + result.costUsd + result.judgeCostUsd, 0)),
    traffic,
    candidates: spec.candidates.map((candidate) => candidateSummary(candidate, of(candidate), traffic)),
    baselineFigures: baselineResults.length === 0 ? null : candidateSummary(spec.baseline, baselineResults, traffic),
    method: summaryMethod,
  };
}
