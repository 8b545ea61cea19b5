import type { ToolCall } from '../core/canonical.js';

/** The ledger customer every evaluation call is recorded under, so reports can tell evaluation spend from traffic. */
export const evaluationCustomer = 'switchyard:evaluation';

/** The candidate name results of a model baseline are stored under. */
export const baselineCandidate = '$baseline';

export type EvaluatorSpec =
  | { type: 'exact-match'; name: string; ignoreCase: boolean }
  | { type: 'contains'; name: string; value: string; ignoreCase: boolean }
  | { type: 'regex'; name: string; pattern: string; flags: string }
  | { type: 'json-schema'; name: string; schema?: Record<string, unknown> }
  | { type: 'tool-call'; name: string }
  | { type: 'judge'; name: string; mode: 'pointwise'; rubric: string; scale: '1-10' | 'pass-fail' }
  | { type: 'judge'; name: string; mode: 'pairwise'; rubric: string };

export type EvaluatorType = EvaluatorSpec['type'];

/** What an evaluation compares: every candidate against the baseline, item by item of one dataset version. */
export interface EvaluationSpec {
  dataset: string;
  version: number;
  candidates: string[];
  /** `recorded`: the item's reference answer; otherwise a model or route name answered live. */
  baseline: string;
  evaluators: EvaluatorSpec[];
  judge?: string;
  concurrency: number;
  maxSpendUsd?: number;
  /** The route or model the dataset's traffic goes to (the most common among its items), whose volume prices a month. */
  target: string;
}

export type EvaluationStatus = 'running' | 'done' | 'stopped' | 'failed';

export interface EvaluationRecord {
  id: string;
  createdAt: number;
  updatedAt: number;
  status: EvaluationStatus;
  spec: EvaluationSpec;
  /** (item, candidate) pairs to answer, the live baseline counted as a candidate. */
  total: number;
  /** Why the run stopped or failed; null while running or when done. */
  message: string | null;
}

/** The answer one candidate gave to one item, as the evaluators see it. */
export interface EvaluatedAnswer {
  text: string;
  toolCalls: ToolCall[];
}

/** One finished (item, candidate) pair. Written once; a resumed run skips pairs that have one. */
export interface EvaluationResult {
  evaluationId: string;
  itemId: string;
  candidate: string;
  /** The HTTP status the call ended with (200, or the error's status). */
  status: number;
  errorCode: string | null;
  answer: EvaluatedAnswer | null;
  /** Evaluator name -> score in [0, 1]; null when the evaluator could not score this item (no reference, judge failed). */
  scores: Record<string, number | null>;
  /** Against the baseline: from a pairwise judge when there is one, else from comparing mean scores. */
  verdict: 'win' | 'tie' | 'loss' | null;
  /** The candidate call's cost; judge calls apart. */
  costUsd: number;
  judgeCostUsd: number;
  latencyMs: number;
  /** Ledger ids of every call made for this pair: the answer and the judge's. */
  requestIds: string[];
  finishedAt: number;
}
