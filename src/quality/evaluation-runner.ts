import type { ChatRequest } from '../core/canonical.js';
import { errorTable, type ErrorCode } from '../core/errors.js';
import type { Gateway } from '../server/gateway.js';
import type { DatasetItem, DatasetReader } from './dataset.js';
import { EvaluationBudget } from './evaluation-budget.js';
import { callForEvaluation } from './evaluation-call.js';
import { scoreAnswer, SpendCapReached, verdictOf, type EvaluationCaller, type Scoring } from './evaluation-scoring.js';
import { baselineCandidate, type EvaluatedAnswer, type EvaluationRecord, type EvaluationResult } from './evaluation-types.js';

export interface RunOptions {
  gateway: Gateway;
  datasets: DatasetReader;
  /** Stops starting calls; what has finished stays stored and the run stays `running`, to be resumed. */
  signal?: AbortSignal;
  onProgress?: (progress: { done: number; total: number; spentUsd: number }) => void;
}

/** Every item of a dataset version, in order. */
export async function loadItems(datasets: DatasetReader, name: string, version: number): Promise<DatasetItem[]> {
  const items: DatasetItem[] = [];
  let cursor: string | undefined;
  do {
    const page = await datasets.items(name, version, { limit: 500, ...(cursor === undefined ? {} : { cursor }) });
    items.push(...page.items);
    cursor = page.nextCursor ?? undefined;
  } while (cursor !== undefined);
  return items;
}

const keyOf = (itemId: string, candidate: string) => `${itemId}\u0000${candidate}`;

class Stopped extends Error {}

/** The state of one run while it works: results so far, the budget, and the baseline answer of each item. */
class RunState {
  readonly results = new Map<string, EvaluationResult>();
  readonly baselines = new Map<string, Promise<EvaluationResult | undefined>>();
  retryableFailures = 0;
  readonly budget: EvaluationBudget;
  readonly call: EvaluationCaller;

  constructor(
    readonly evaluation: EvaluationRecord,
    readonly options: RunOptions,
    stored: EvaluationResult[],
  ) {
    for (const result of stored) this.results.set(keyOf(result.itemId, result.candidate), result);
    const spent = stored.reduce((sum, result) => sum + result.costUsd + result.judgeCostUsd, 0);
    this.budget = new EvaluationBudget(evaluation.spec.maxSpendUsd, options.gateway.registry, spent);
    this.call = async (request: ChatRequest) => {
      if (options.signal?.aborted) throw new Stopped();
      const reserved = this.budget.reserve(request);
      if (reserved === undefined) throw new SpendCapReached();
      const outcome = await callForEvaluation(options.gateway, request);
      this.budget.settle(request.model, reserved, outcome.record.costUsd);
      return outcome;
    };
  }

  async save(result: EvaluationResult): Promise<void> {
    await this.options.gateway.store.evaluations.saveResult(result);
    this.results.set(keyOf(result.itemId, result.candidate), result);
    this.options.onProgress?.({ done: this.results.size, total: this.evaluation.total, spentUsd: this.budget.spentUsd });
  }
}

function answerOf(text: string, toolCalls: EvaluatedAnswer['toolCalls']): EvaluatedAnswer {
  return { text, toolCalls };
}

/** Calls one model for one item and scores its answer; undefined when the call failed in a way worth retrying later. */
async function answerAndScore(state: RunState, item: DatasetItem, candidate: string, baseline: EvaluationResult | undefined): Promise<EvaluationResult | undefined> {
  const { spec } = state.evaluation;
  const isBaseline = candidate === baselineCandidate;
  const model = isBaseline ? spec.baseline : candidate;
  const { response, record } = await state.call({ ...item.request, model });
  if (record.errorCode !== null && errorTable[record.errorCode as ErrorCode]?.retryable !== false) {
    state.retryableFailures += 1;
    return undefined;
  }
  const answer = response ? answerOf(response.text, response.toolCalls) : null;
  const scoring: Scoring = answer
    ? await scoreAnswer({ evaluators: spec.evaluators, judge: spec.judge, item, answer, baseline: baseline?.answer ?? null, scoringBaseline: isBaseline, call: state.call })
    : { scores: Object.fromEntries(spec.evaluators.map((evaluator) => [evaluator.name, 0])), pairwise: isBaseline ? undefined : 'loss', judgeCostUsd: 0, requestIds: [] };
  return {
    evaluationId: state.evaluation.id, itemId: item.id, candidate, status: record.status, errorCode: record.errorCode, answer,
    scores: scoring.scores, verdict: isBaseline ? null : verdictOf(scoring, baseline), costUsd: record.costUsd, judgeCostUsd: scoring.judgeCostUsd,
    latencyMs: record.latencyMs, requestIds: [record.id, ...scoring.requestIds], finishedAt: Date.now(),
  };
}

/** The recorded answer as the baseline, scored by the same evaluators (its judge calls are paid once, then stored). */
async function recordedBaseline(state: RunState, item: DatasetItem): Promise<EvaluationResult> {
  const { spec } = state.evaluation;
  const answer = item.reference ? answerOf(item.reference.text, item.reference.toolCalls) : null;
  const scoring = answer ? await scoreAnswer({ evaluators: spec.evaluators, judge: spec.judge, item, answer, baseline: null, scoringBaseline: true, call: state.call }) : undefined;
  return {
    evaluationId: state.evaluation.id, itemId: item.id, candidate: baselineCandidate, status: 200, errorCode: null, answer, scores: scoring?.scores ?? {},
    verdict: null, costUsd: 0, judgeCostUsd: scoring?.judgeCostUsd ?? 0, latencyMs: 0, requestIds: scoring?.requestIds ?? [], finishedAt: Date.now(),
  };
}

function baselineOf(state: RunState, item: DatasetItem): Promise<EvaluationResult | undefined> {
  let pending = state.baselines.get(item.id);
  if (!pending) {
    const stored = state.results.get(keyOf(item.id, baselineCandidate));
    pending = stored
      ? Promise.resolve(stored)
      : (async () => {
          const result = state.evaluation.spec.baseline === 'recorded' ? await recordedBaseline(state, item) : await answerAndScore(state, item, baselineCandidate, undefined);
          if (result) await state.save(result);
          return result;
        })();
    state.baselines.set(item.id, pending);
  }
  return pending;
}

async function runPair(state: RunState, item: DatasetItem, candidate: string): Promise<void> {
  const baseline = await baselineOf(state, item);
  if (candidate === baselineCandidate || state.results.has(keyOf(item.id, candidate))) return;
  // Without the live baseline's answer the judge has nothing to compare: leave the pair for a resumed run.
  if (!baseline && state.evaluation.spec.baseline !== 'recorded') return;
  const result = await answerAndScore(state, item, candidate, baseline);
  if (result) await state.save(result);
}

function finalStatus(state: RunState, stoppedByCap: boolean): Pick<EvaluationRecord, 'status' | 'message'> {
  const { evaluation, budget } = state;
  const done = state.results.size;
  if (stoppedByCap) {
    return { status: 'stopped', message: `spend cap of $${(evaluation.spec.maxSpendUsd ?? 0).toFixed(6)} reached: spent $${budget.spentUsd.toFixed(6)}, ${done} of ${evaluation.total} pairs done` };
  }
  if (done < evaluation.total) return { status: 'stopped', message: `${evaluation.total - done} pairs not done (${state.retryableFailures} calls failed with retryable errors); resume to retry them` };
  return { status: 'done', message: null };
}

/**
 * Runs (or resumes) an evaluation: every (item, candidate) pair without a stored result is answered through the
 * gateway, scored and stored at once, with at most `concurrency` pairs at work. Returns the run as it ended.
 */
export async function runEvaluation(evaluation: EvaluationRecord, options: RunOptions): Promise<EvaluationRecord> {
  const { store } = options.gateway;
  const items = await loadItems(options.datasets, evaluation.spec.dataset, evaluation.spec.version);
  const state = new RunState(evaluation, options, await store.evaluations.results(evaluation.id));
  const queue = items.flatMap((item) => [baselineCandidate, ...evaluation.spec.candidates].map((candidate) => ({ item, candidate })));
  let stoppedByCap = false;
  let aborted = false;
  const worker = async () => {
    for (let next = queue.shift(); next && !stoppedByCap && !aborted; next = queue.shift()) {
      try {
        await runPair(state, next.item, next.candidate);
      } catch (error) {
        if (error instanceof SpendCapReached) stoppedByCap = true;
        else if (error instanceof Stopped) aborted = true;
        else throw error;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, evaluation.spec.concurrency) }, worker));
  if (aborted || options.signal?.aborted) return evaluation;
  const ending = { ...finalStatus(state, stoppedByCap), updatedAt: Date.now() };
  await store.evaluations.setStatus(evaluation.id, ending);
  return { ...evaluation, ...ending };
}
