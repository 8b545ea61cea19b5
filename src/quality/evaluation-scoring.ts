import type { ChatRequest, ChatResponse } from '../core/canonical.js';
import type { RequestRecord } from '../ledger/ledger-record.js';
import type { DatasetItem } from './dataset.js';
import { expectedText, scoreDeterministic } from './evaluator-match.js';
import type { EvaluatedAnswer, EvaluationResult, EvaluatorSpec } from './evaluation-types.js';
import { combineOrders, pairwiseRequest, parsePairwise, parsePointwise, pointwiseRequest } from './judge-prompt.js';

/** Thrown by a caller that may not start the call: the run's spend cap could be passed. */
export class SpendCapReached extends Error {}

/** Makes one paid call of the run (answer or judge); throws SpendCapReached instead of starting one over the cap. */
export type EvaluationCaller = (request: ChatRequest) => Promise<{ response: ChatResponse | undefined; record: RequestRecord }>;

export interface Scoring {
  scores: Record<string, number | null>;
  /** From a pairwise judge; undefined when there is none. */
  pairwise: 'win' | 'tie' | 'loss' | null | undefined;
  judgeCostUsd: number;
  requestIds: string[];
}

interface ScoringInput {
  evaluators: EvaluatorSpec[];
  judge: string | undefined;
  item: DatasetItem;
  answer: EvaluatedAnswer;
  /** The baseline's answer to compare with; null when there is none. */
  baseline: EvaluatedAnswer | null;
  /** Scoring the baseline's own answer: a pairwise judge has nothing to compare it with. */
  scoringBaseline: boolean;
  call: EvaluationCaller;
}

async function judgeText(input: ScoringInput, request: ChatRequest, scoring: Scoring): Promise<string | undefined> {
  const { response, record } = await input.call(request);
  scoring.judgeCostUsd += record.costUsd;
  scoring.requestIds.push(record.id);
  return response?.text;
}

async function pairwise(input: ScoringInput, rubric: string, scoring: Scoring): Promise<'win' | 'tie' | 'loss' | null> {
  if (input.baseline === null || input.judge === undefined) return null;
  const conversation = input.item.request.messages;
  const first = await judgeText(input, pairwiseRequest({ judge: input.judge, rubric, conversation, first: input.answer, second: input.baseline }), scoring);
  const second = await judgeText(input, pairwiseRequest({ judge: input.judge, rubric, conversation, first: input.baseline, second: input.answer }), scoring);
  const candidateFirst = first === undefined ? undefined : parsePairwise(first);
  const candidateSecond = second === undefined ? undefined : parsePairwise(second);
  return candidateFirst === undefined || candidateSecond === undefined ? null : combineOrders(candidateFirst, candidateSecond);
}

const verdictScore = { win: 1, tie: 0.5, loss: 0 } as const;

/**
 * Runs every evaluator on one answer. Deterministic ones score 1 or 0; a pointwise judge scores in [0, 1]; a pairwise
 * judge (skipped when scoring the baseline itself) scores a win 1, a tie 0.5 and a loss 0 against the baseline.
 */
export async function scoreAnswer(input: ScoringInput): Promise<Scoring> {
  const scoring: Scoring = { scores: {}, pairwise: undefined, judgeCostUsd: 0, requestIds: [] };
  for (const spec of input.evaluators) {
    if (spec.type !== 'judge') {
      scoring.scores[spec.name] = scoreDeterministic(spec, input.item, input.answer);
      continue;
    }
    if (spec.mode === 'pointwise') {
      const request = pointwiseRequest({ judge: input.judge as string, rubric: spec.rubric, scale: spec.scale, conversation: input.item.request.messages, reference: expectedText(input.item), answer: input.answer });
      const text = await judgeText(input, request, scoring);
      scoring.scores[spec.name] = text === undefined ? null : (parsePointwise(text, spec.scale) ?? null);
      continue;
    }
    if (input.scoringBaseline) continue;
    const verdict = await pairwise(input, spec.rubric, scoring);
    scoring.scores[spec.name] = verdict === null ? null : verdictScore[verdict];
    scoring.pairwise ??= verdict;
  }
  return scoring;
}

/** The mean of the scores an answer got, ignoring evaluators that could not score it; null when none could. */
export function overallScore(scores: Record<string, number | null>): number | null {
  const values = Object.values(scores).filter((value): value is number => value !== null);
  return values.length === 0 ? null : values.reduce((sum, value) => sum + value, 0) / values.length;
}

/** The verdict against the baseline: the pairwise judge's, else the comparison of scores both answers got. */
export function verdictOf(scoring: Scoring, baseline: EvaluationResult | undefined): EvaluationResult['verdict'] {
  if (scoring.pairwise !== undefined) return scoring.pairwise;
  if (!baseline || baseline.answer === null) return null;
  const shared = Object.keys(scoring.scores).filter((name) => scoring.scores[name] !== null && baseline.scores[name] !== undefined && baseline.scores[name] !== null);
  if (shared.length === 0) return null;
  const mine = shared.reduce((sum, name) => sum + (scoring.scores[name] as number), 0);
  const theirs = shared.reduce((sum, name) => sum + (baseline.scores[name] as number), 0);
  return mine > theirs + 1e-9 ? 'win' : mine < theirs - 1e-9 ? 'loss' : 'tie';
}
