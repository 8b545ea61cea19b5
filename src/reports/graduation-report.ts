import type { RollupRow } from '../store/store.js';
import type { GpuAssumptions } from './gpu-assumptions.js';
import type { GraduationQuality } from './evaluation-reports.js';
import { roundUsd } from '../ledger/money.js';
import { dayMs, hourMs } from './periods.js';
import { tokensOf } from './rollup-records.js';

const daysPerMonth = 30;

export interface GraduationReport {
  target: { kind: 'model' | 'route'; name: string };
  /** ISO 8601 times; `to` is the end of the current hour. */
  window: { from: string; to: string; days: number; measuredDays: number };
  traffic: {
    requests: number;
    tokens: number;
    costUsd: number;
    tokensPerDay: number;
    tokensPerMonth: number;
    /** Measured API price: cost over tokens, per million tokens. */
    apiUsdPerMillionTokens: number | null;
    /** Start of the UTC hour with the most tokens, ISO 8601. */
    peakHour: string | null;
    peakHourTokens: number;
    peakTokensPerSecond: number;
  };
  apiCostPerMonthUsd: number;
  assumptions: GpuAssumptions;
  gpusNeeded: number | null;
  selfHostCostPerMonthUsd: number | null;
  breakEvenTokensPerMonth: number | null;
  /** API cost minus self-hosting cost per month at today's volume: positive means self-hosting saves. */
  monthlySavingUsd: number | null;
  /** What is missing to price self-hosting, when something is. */
  missing: string[];
  method: string[];
  /** How well the candidate answered the traffic, from an evaluation, when one was given. */
  quality?: GraduationQuality;
}

export const graduationMethod = [
  'measured days = whole days from the first request in the window to its end (at least 1, at most the window)',
  'per month = measured figures / measured days x 30',
  'GPUs needed = max(minimum GPUs, ceil(tokens per second over the busiest hour / tokens per second per GPU))',
  'self-hosting per month = GPUs needed x price per GPU-hour x 24 x 30',
  'break-even = self-hosting per month / measured API $ per token',
];

function busiestHour(rows: RollupRow[]): { hour: number | null; tokens: number } {
  const byHour = new Map<number, number>();
  for (const row of rows) {
    const hour = Math.floor(row.bucket / hourMs) * hourMs;
    byHour.set(hour, (byHour.get(hour) ?? 0) + tokensOf(row));
  }
  let peak: { hour: number | null; tokens: number } = { hour: null, tokens: 0 };
  for (const [hour, tokens] of byHour) if (tokens > peak.tokens || peak.hour === null) peak = { hour, tokens };
  return peak;
}

/** Whether moving a model's or route's traffic (hourly rollup rows of the window) to rented GPUs would pay. */
export function graduationReport(options: {
  target: GraduationReport['target'];
  rows: RollupRow[];
  window: { from: number; to: number; days: number };
  assumptions: GpuAssumptions;
}): GraduationReport {
  const { rows, window, assumptions } = options;
  const requests = rows.reduce((sum, row) => sum + row.requests, 0);
  const tokens = rows.reduce((sum, row) => sum + tokensOf(row), 0);
  const costUsd = roundUsd(rows.reduce((sum, row) => sum + row.costUsd, 0));
  const first = rows.reduce((earliest, row) => Math.min(earliest, row.bucket), window.to);
  const measuredDays = Math.min(window.days, Math.max(1, Math.ceil((window.to - first) / dayMs)));
  const peak = busiestHour(rows);
  const peakTokensPerSecond = peak.tokens / 3600;
  const apiCostPerMonthUsd = roundUsd((costUsd / measuredDays) * daysPerMonth);
  const usdPerToken = tokens > 0 ? costUsd / tokens : null;
  const { gpuPricePerHour, tokensPerSecondPerGpu } = assumptions;
  const gpusNeeded = tokensPerSecondPerGpu === null ? null : Math.max(assumptions.minimumGpus, Math.ceil(peakTokensPerSecond / tokensPerSecondPerGpu));
  const selfHost = gpusNeeded === null || gpuPricePerHour === null ? null : roundUsd(gpusNeeded * gpuPricePerHour * 24 * daysPerMonth);
  const missing: string[] = [];
  if (gpuPricePerHour === null) missing.push('GPU price: pass gpuPricePerHour or configure a provider with hosting.pricePerHour');
  if (tokensPerSecondPerGpu === null) missing.push('throughput: pass tokensPerSecond, set hosting.tokensPerSecond, or send traffic to the self-hosted provider to measure it');
  return {
    target: options.target,
    window: { from: new Date(window.from).toISOString(), to: new Date(window.to).toISOString(), days: window.days, measuredDays },
    traffic: {
      requests,
      tokens,
      costUsd,
      tokensPerDay: tokens / measuredDays,
      tokensPerMonth: (tokens / measuredDays) * daysPerMonth,
      apiUsdPerMillionTokens: usdPerToken === null ? null : usdPerToken * 1e6,
      peakHour: peak.hour === null ? null : new Date(peak.hour).toISOString(),
      peakHourTokens: peak.tokens,
      peakTokensPerSecond,
    },
    apiCostPerMonthUsd,
    assumptions,
    gpusNeeded,
    selfHostCostPerMonthUsd: selfHost,
    breakEvenTokensPerMonth: selfHost === null || usdPerToken === null || usdPerToken === 0 ? null : Math.round(selfHost / usdPerToken),
    monthlySavingUsd: selfHost === null ? null : roundUsd(apiCostPerMonthUsd - selfHost),
    missing,
    method: graduationMethod,
  };
}
