import { GatewayError } from '../core/errors.js';
import type { Store } from '../store/store.js';
import { summariseEvaluation, trafficVolume, type EvaluationSummary } from './evaluation-summary.js';

const monthMs = 30 * 86_400_000;

/** An evaluation's summary from the store: its results, and the last 30 days of its target's traffic for volume. */
export async function loadEvaluationSummary(store: Store, id: string, now: number, param = 'evaluation'): Promise<EvaluationSummary> {
  const record = await store.evaluations.get(id);
  if (!record) throw new GatewayError('not_found', `No evaluation with id "${id}".`, { param });
  const [results, rows] = await Promise.all([store.evaluations.results(id), store.ledger.rollup({ bucket: 'day', from: now - monthMs, to: now + 1 })]);
  return summariseEvaluation(record, results, trafficVolume(rows, record.spec.target, now));
}
