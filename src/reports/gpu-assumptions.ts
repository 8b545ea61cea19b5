import type { RollupRow } from '../store/store.js';
import type { ReportContext } from './report-context.js';
import { tokensOf } from './rollup-records.js';

/** What self-hosting is assumed to cost and deliver, and where each figure came from. */
export interface GpuAssumptions {
  /** The self-hosted provider the defaults were taken from, if any. */
  provider: string | null;
  gpuPricePerHour: number | null;
  priceSource: 'query' | 'config' | null;
  tokensPerSecondPerGpu: number | null;
  throughputSource: 'query' | 'config' | 'measured' | null;
  /** GPUs one copy of the model needs, the floor of every estimate. */
  minimumGpus: number;
  gpusSource: 'query' | 'config' | 'default';
}

export interface GpuQuery {
  provider?: string;
  gpuPricePerHour?: number;
  tokensPerSecond?: number;
  gpus?: number;
}

/**
 * Throughput per GPU seen in a deployment's own successful requests: tokens over the time they took, spread
 * over its GPUs. Requests are timed one by one, so batching on the server makes the real figure higher.
 */
export function measuredTokensPerSecond(rows: RollupRow[], gpus: number): number | null {
  let tokens = 0;
  let milliseconds = 0;
  for (const row of rows) {
    if (!row.ok || row.cacheHit || row.latencyMs <= 0) continue;
    tokens += tokensOf(row);
    milliseconds += row.latencyMs;
  }
  if (tokens === 0 || milliseconds === 0) return null;
  return tokens / (milliseconds / 1000) / gpus;
}

/**
 * Query parameters win; otherwise the self-hosted provider's `hosting` (the one named, else the first configured)
 * gives the hourly price per GPU, its GPU count and its throughput (`tokensPerSecond` is for all its GPUs together);
 * without a configured throughput, the provider's own requests are measured (`measuredRows`).
 */
export function resolveGpuAssumptions(query: GpuQuery, context: ReportContext, measuredRows: RollupRow[]): GpuAssumptions {
  const source = query.provider === undefined ? context.selfHosted[0] : context.selfHosted.find((entry) => entry.name === query.provider);
  const hosting = source?.hosting;
  const minimumGpus = query.gpus ?? hosting?.gpus ?? 1;
  const gpusSource = query.gpus !== undefined ? 'query' : hosting ? 'config' : 'default';
  const gpuPricePerHour = query.gpuPricePerHour ?? hosting?.pricePerHour ?? null;
  const priceSource = query.gpuPricePerHour !== undefined ? 'query' : hosting ? 'config' : null;
  let tokensPerSecondPerGpu: number | null = null;
  let throughputSource: GpuAssumptions['throughputSource'] = null;
  if (query.tokensPerSecond !== undefined) {
    tokensPerSecondPerGpu = query.tokensPerSecond;
    throughputSource = 'query';
  } else if (hosting?.tokensPerSecond !== undefined) {
    tokensPerSecondPerGpu = hosting.tokensPerSecond / hosting.gpus;
    throughputSource = 'config';
  } else if (hosting) {
    tokensPerSecondPerGpu = measuredTokensPerSecond(measuredRows, hosting.gpus);
    throughputSource = tokensPerSecondPerGpu === null ? null : 'measured';
  }
  return { provider: source?.name ?? null, gpuPricePerHour, priceSource, tokensPerSecondPerGpu, throughputSource, minimumGpus, gpusSource };
}
