import { invalid } from '../server/openai/field-reader.js';
import type { GpuQuery } from './gpu-assumptions.js';
import { isMonth, monthEnd, monthOf, monthRange, monthStart, type MonthRange } from './periods.js';
import { spendGroups, type SpendGroup } from './spend-report.js';

/** Reads one query parameter (or CLI flag) by its camelCase name. */
export type ParameterReader = (name: string) => string | undefined;

function month(value: string, param: string): string {
  if (!isMonth(value)) throw invalid(param, `expected a month as YYYY-MM, got "${value}".`);
  return value;
}

/** `period=YYYY-MM`, or `from`/`to` months (both inclusive, either may be left out), else the current UTC month. */
export function readMonthRange(get: ParameterReader, now: number): MonthRange {
  const period = get('period');
  if (period !== undefined) return monthRange(month(period, 'period'), month(period, 'period'));
  const current = monthOf(now);
  const from = get('from');
  const to = get('to');
  const start = from === undefined ? (to === undefined ? current : month(to, 'to')) : month(from, 'from');
  const end = to === undefined ? (from === undefined ? current : maxMonth(start, current)) : month(to, 'to');
  if (monthStart(end) < monthStart(start)) throw invalid('to', `the range ends (${end}) before it starts (${start}).`);
  return monthRange(start, end);
}

function maxMonth(left: string, right: string): string {
  return left > right ? left : right;
}

function time(value: string, param: string): number {
  if (isMonth(value)) return monthStart(value);
  const parsed = /^\d+$/.test(value) ? Number(value) : Date.parse(value);
  if (Number.isNaN(parsed)) throw invalid(param, `expected an ISO 8601 date, a month (YYYY-MM) or epoch milliseconds, got "${value}".`);
  return parsed;
}

export interface SpendQuery {
  from: number;
  to: number;
  groupBy: SpendGroup;
  /** An evaluation whose candidates are priced on the same traffic. */
  evaluation?: string;
}

/** `period=YYYY-MM`, or `from` (inclusive) and `to` (exclusive) times; the current UTC month by default. */
export function readSpendQuery(get: ParameterReader, now: number): SpendQuery {
  const evaluation = get('evaluation');
  return { ...readSpendWindow(get, now), ...(evaluation === undefined || evaluation === '' ? {} : { evaluation }) };
}

function readSpendWindow(get: ParameterReader, now: number): SpendQuery {
  const groupBy = (get('groupBy') ?? 'provider') as SpendGroup;
  if (!spendGroups.includes(groupBy)) throw invalid('groupBy', `expected one of ${spendGroups.join(', ')}.`);
  const period = get('period');
  if (period !== undefined) return { groupBy, from: monthStart(month(period, 'period')), to: monthEnd(period) };
  const fromText = get('from');
  const toText = get('to');
  const from = fromText === undefined ? monthStart(monthOf(now)) : time(fromText, 'from');
  const to = toText === undefined ? Math.max(now, monthEnd(monthOf(now))) : time(toText, 'to');
  if (to <= from) throw invalid('to', 'must be after from.');
  return { groupBy, from, to };
}

export interface GraduationQuery extends GpuQuery {
  target: { kind: 'model' | 'route'; name: string };
  days: number;
  /** An evaluation that says how well a candidate answered the traffic, and which candidate (default: the self-hosted one). */
  evaluation?: string;
  candidate?: string;
}

function positive(get: ParameterReader, name: string, options: { integer?: boolean; allowZero?: boolean } = {}): number | undefined {
  const text = get(name);
  if (text === undefined || text === '') return undefined;
  const value = Number(text);
  const valid = Number.isFinite(value) && (options.allowZero ? value >= 0 : value > 0) && (!options.integer || Number.isInteger(value));
  if (!valid) throw invalid(name, `expected a ${options.integer ? 'whole ' : ''}number ${options.allowZero ? '>= 0' : 'above 0'}, got "${text}".`);
  return value;
}

export function readGraduationQuery(get: ParameterReader): GraduationQuery {
  const model = get('model');
  const route = get('route');
  if ((model === undefined) === (route === undefined)) throw invalid('model', 'give either model or route (one of them).');
  const days = positive(get, 'days', { integer: true }) ?? 30;
  if (days > 366) throw invalid('days', 'at most 366.');
  const query: GraduationQuery = { target: model === undefined ? { kind: 'route', name: route as string } : { kind: 'model', name: model }, days };
  const price = positive(get, 'gpuPricePerHour', { allowZero: true });
  const gpus = positive(get, 'gpus', { integer: true });
  const tokensPerSecond = positive(get, 'tokensPerSecond');
  const provider = get('provider');
  if (price !== undefined) query.gpuPricePerHour = price;
  if (gpus !== undefined) query.gpus = gpus;
  if (tokensPerSecond !== undefined) query.tokensPerSecond = tokensPerSecond;
  if (provider !== undefined) query.provider = provider;
  const evaluation = get('evaluation');
  const candidate = get('candidate');
  if (evaluation !== undefined && evaluation !== '') query.evaluation = evaluation;
  if (candidate !== undefined && candidate !== '') query.candidate = candidate;
  if (query.candidate !== undefined && query.evaluation === undefined) throw invalid('candidate', 'give evaluation too: a candidate is one of an evaluation\'s.');
  return query;
}
