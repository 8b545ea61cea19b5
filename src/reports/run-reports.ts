import { GatewayError } from '../core/errors.js';
import { invalid } from '../server/openai/field-reader.js';
import type { Store } from '../store/store.js';
import { resolveGpuAssumptions } from './gpu-assumptions.js';
import { graduationReport, type GraduationReport } from './graduation-report.js';
import { marginReport, type MarginReport } from './margin-report.js';
import { dayMs, hourMs, type MonthRange } from './periods.js';
import type { ReportContext } from './report-context.js';
import type { GraduationQuery, SpendQuery } from './report-queries.js';
import { spendReport, type SpendReport } from './spend-report.js';
import { evaluatedSpend, graduationCandidate, graduationQuality } from './evaluation-reports.js';
import { loadEvaluationSummary } from '../quality/evaluation-load.js';
import { evaluationCustomer } from '../quality/evaluation-types.js';

/** The reports over a store: the queries they need, then the pure computations. */
export async function runMarginReport(store: Store, range: MonthRange): Promise<MarginReport> {
  const [usage, revenue] = await Promise.all([
    store.ledger.rollup({ bucket: 'day', from: range.start, to: range.end }),
    store.revenue.list({ from: range.from, to: range.to }),
  ]);
  return marginReport(range, usage, revenue);
}

export async function runSpendReport(store: Store, context: ReportContext, query: SpendQuery, now = Date.now()): Promise<SpendReport> {
  const rows = await store.ledger.rollup({ bucket: 'day', from: query.from, to: query.to });
  const report = spendReport(rows, { from: query.from, to: query.to, groupBy: query.groupBy, context });
  if (query.evaluation === undefined) return report;
  return { ...report, evaluation: evaluatedSpend(rows, await loadEvaluationSummary(store, query.evaluation, now)) };
}

/** The provider and upstream model a model name calls: a configured model, or `provider/model` of a configured provider. */
function deploymentOf(context: ReportContext, name: string): { provider: string; upstreamModel: string } {
  const configured = context.models.find((model) => model.name === name);
  if (configured) return configured;
  const slash = name.indexOf('/');
  if (slash > 0 && name.slice(0, slash) in context.clouds) return { provider: name.slice(0, slash), upstreamModel: name.slice(slash + 1) };
  throw new GatewayError('model_not_found', `The model "${name}" is not configured.`, { param: 'model' });
}

export async function runGraduationReport(store: Store, context: ReportContext, query: GraduationQuery, now: number): Promise<GraduationReport> {
  if (query.provider !== undefined && !context.selfHosted.some((entry) => entry.name === query.provider)) {
    throw invalid('provider', `"${query.provider}" is not a provider with hosting in the configuration.`);
  }
  // Whole hours, so the busiest-hour figure never covers a partial first hour of the window.
  const to = Math.ceil(now / hourMs) * hourMs;
  const from = to - query.days * dayMs;
  const filter = query.target.kind === 'route' ? { route: query.target.name } : deploymentOf(context, query.target.name);
  // Evaluation calls are the gateway's own, not the traffic being priced.
  const rows = (await store.ledger.rollup({ bucket: 'hour', from, to, ...filter })).filter((row) => row.customer !== evaluationCustomer);
  const selfHosted = query.provider ?? context.selfHosted[0]?.name;
  const measured = selfHosted === undefined ? [] : await store.ledger.rollup({ bucket: 'hour', from, to, provider: selfHosted });
  const assumptions = resolveGpuAssumptions(query, context, measured);
  const report = graduationReport({ target: query.target, rows, window: { from, to, days: query.days }, assumptions });
  if (query.evaluation === undefined) return report;
  const summary = await loadEvaluationSummary(store, query.evaluation, now);
  const candidate = graduationCandidate(summary, context, query.candidate);
  if (candidate === undefined) throw invalid('candidate', `"${query.candidate}" is not a candidate of evaluation ${summary.id} (${summary.candidates.map((row) => row.candidate).join(', ')}).`);
  return { ...report, quality: graduationQuality({ report, summary, candidate, context }) };
}
