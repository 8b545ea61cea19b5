import { roundUsd } from '../ledger/money.js';
import { servesTarget, type EvaluationSummary } from '../quality/evaluation-summary.js';
import { evaluationCustomer } from '../quality/evaluation-types.js';
import type { RollupRow } from '../store/store.js';
import type { GraduationReport } from './graduation-report.js';
import type { ReportContext } from './report-context.js';

export interface GraduationQuality {
  evaluationId: string;
  dataset: string;
  version: number;
  candidate: string;
  /** The model compared with, or `recorded` for the answers the traffic got. */
  baseline: string;
  /** Share of items the candidate answered at least as well as the baseline, with its 95% Wilson interval. */
  asGoodAsBaseline: { rate: number; low: number; high: number; items: number };
  /** Per month at today's volume: the self-hosting saving when the report could price it, else the evaluation's per-request one. */
  monthlySavingUsd: number | null;
  statement: string;
}

/** `2xH100` for a candidate served by a provider with `hosting`; null for an API model. */
export function hostingLabel(context: ReportContext, candidate: string): string | null {
  const provider = context.models.find((model) => model.name === candidate)?.provider;
  const hosting = context.selfHosted.find((entry) => entry.name === provider)?.hosting;
  if (!hosting) return null;
  return hosting.gpu ? `${hosting.gpus}x${hosting.gpu}` : `${hosting.gpus} GPU${hosting.gpus === 1 ? '' : 's'}`;
}

/** The candidate a graduation question is about: the one named, else the first on a self-hosted provider, else the first. */
export function graduationCandidate(summary: EvaluationSummary, context: ReportContext, named: string | undefined): string | undefined {
  if (named !== undefined) return summary.candidates.some((row) => row.candidate === named) ? named : undefined;
  return summary.candidates.find((row) => hostingLabel(context, row.candidate) !== null)?.candidate ?? summary.candidates[0]?.candidate;
}

function money(value: number): string {
  return `$${Math.abs(value).toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 })}`;
}

/** "llama-70b on 2xH100 answered 91% ±3 of `support` as well as gpt-4o and would save $X a month at today's volume". */
export function graduationQuality(options: { report: GraduationReport; summary: EvaluationSummary; candidate: string; context: ReportContext }): GraduationQuality {
  const { report, summary, candidate, context } = options;
  const row = summary.candidates.find((entry) => entry.candidate === candidate);
  if (!row) throw new Error(`candidate ${candidate} is not in evaluation ${summary.id}`);
  const good = row.asGoodAsBaseline;
  const rate = good.n === 0 ? 0 : good.mean;
  const half = good.n === 0 ? 0 : Math.max(good.high - good.mean, good.mean - good.low);
  const saving = report.monthlySavingUsd ?? row.savingPerMonthUsd;
  const where = hostingLabel(context, candidate);
  const against = summary.baseline === 'recorded' ? `the recorded answers of ${summary.traffic.target}` : summary.baseline;
  const quality = good.n === 0 ? `was not judged against ${against} on \`${summary.dataset}\`` : `answered ${Math.round(rate * 100)}% ±${Math.round(half * 100)} of \`${summary.dataset}\` as well as ${against}`;
  const cost = saving === null ? '' : saving >= 0 ? ` and would save ${money(saving)} a month at today's volume` : ` and would cost ${money(saving)} a month more at today's volume`;
  return {
    evaluationId: summary.id, dataset: summary.dataset, version: summary.version, candidate, baseline: summary.baseline,
    asGoodAsBaseline: { rate, low: good.n === 0 ? 0 : good.low, high: good.n === 0 ? 0 : good.high, items: good.n },
    monthlySavingUsd: saving,
    statement: `${candidate}${where ? ` on ${where}` : ''} ${quality}${cost}`,
  };
}

export interface CandidateSpend {
  candidate: string;
  costPerRequestUsd: number | null;
  /** The same requests at the candidate's mean cost per evaluation request. */
  wouldHaveCostUsd: number | null;
  /** What they cost minus what they would have cost: positive means the candidate is cheaper. */
  differenceUsd: number | null;
}

export interface EvaluatedSpend {
  evaluationId: string;
  /** The route or model the evaluation's dataset came from, and its traffic in the report's period. */
  target: string;
  requests: number;
  costUsd: number;
  candidates: CandidateSpend[];
}

/** What each evaluated candidate would have cost on the report's traffic to the evaluation's target. */
export function evaluatedSpend(rows: RollupRow[], summary: EvaluationSummary): EvaluatedSpend {
  const target = summary.traffic.target;
  let requests = 0;
  let costUsd = 0;
  for (const row of rows) {
    if (row.customer === evaluationCustomer || !servesTarget(row, target)) continue;
    requests += row.requests;
    costUsd += row.costUsd;
  }
  const candidates = summary.candidates.map((row) => {
    const would = row.costPerRequestUsd === null ? null : roundUsd(row.costPerRequestUsd * requests);
    return { candidate: row.candidate, costPerRequestUsd: row.costPerRequestUsd, wouldHaveCostUsd: would, differenceUsd: would === null ? null : roundUsd(costUsd - would) };
  });
  return { evaluationId: summary.id, target, requests, costUsd: roundUsd(costUsd), candidates };
}
