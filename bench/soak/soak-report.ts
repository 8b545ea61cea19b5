import type { MachineUse } from '../processes.js';
import type { ProbeSample } from './soak-probe.js';
import { mean, quarterMeans, slope } from './soak-stats.js';
import type { KindCounts } from './soak-traffic.js';

export interface SoakReport {
  startedAt: string;
  commandLine: string;
  machine: Record<string, unknown>;
  otherCpu: MachineUse | undefined;
  minutes: number;
  rate: number;
  /** Epoch ms when the last request settled: samples after it show the gateway idle again. */
  loadEndedAt: number;
  /** Requests not sent because too many were in flight (none in a healthy run). */
  shed: number;
  counts: Record<string, KindCounts>;
  /** Requests the gateway answered (or that the client cut), each of which must have a ledger record. */
  answered: number;
  recorded: number;
  mockStats: unknown;
  samples: ProbeSample[];
}

const megabyte = 1024 * 1024;
const fixed = (value: number, digits = 2) => (Number.isNaN(value) ? '–' : value.toFixed(digits));

/** Samples under load after the first tenth of the run (at least one sample), when start-up allocation has settled. */
function steady(samples: ProbeSample[], loadEndedAt: number): ProbeSample[] {
  const underLoad = samples.filter((sample) => sample.at <= loadEndedAt);
  return underLoad.slice(Math.max(1, Math.floor(underLoad.length / 10)));
}

export function trends(samples: ProbeSample[], loadEndedAt: number) {
  const window = steady(samples, loadEndedAt);
  const hours = (sample: ProbeSample) => (sample.at - (window[0]?.at ?? 0)) / 3_600_000;
  const series = (pick: (sample: ProbeSample) => number) => window.map((sample) => [hours(sample), pick(sample)] as [number, number]);
  const rss = window.map((sample) => sample.rssBytes / megabyte);
  const heap = window.map((sample) => sample.heapUsedBytes / megabyte);
  const p99 = window.map((sample) => sample.loopDelayP99Ms);
  return {
    samples: window.length,
    rssMbPerHour: slope(series((sample) => sample.rssBytes / megabyte)),
    heapMbPerHour: slope(series((sample) => sample.heapUsedBytes / megabyte)),
    loopP99MsPerHour: slope(series((sample) => sample.loopDelayP99Ms)),
    loopMeanMsPerHour: slope(series((sample) => sample.loopDelayMeanMs)),
    rssMb: quarterMeans(rss),
    heapMb: quarterMeans(heap),
    loopP99Ms: quarterMeans(p99),
    loopMeanMs: mean(window.map((sample) => sample.loopDelayMeanMs)),
    loadPerHour: slope(series((sample) => sample.loadAverage1m ?? NaN)),
    load: quarterMeans(window.map((sample) => sample.loadAverage1m ?? NaN)),
  };
}

function handleRows(samples: ProbeSample[], loadEndedAt: number): string[] {
  const window = steady(samples, loadEndedAt);
  const idle = samples.at(-1);
  const types = new Set(window.flatMap((sample) => Object.keys(sample.resources)));
  return [...types].sort().map((type) => {
    const values = window.map((sample) => sample.resources[type] ?? 0);
    const { first, last } = quarterMeans(values);
    return `| ${type} | ${values[0]} | ${values.at(-1)} | ${Math.max(...values)} | ${fixed(first, 1)} | ${fixed(last, 1)} | ${idle && idle.at > loadEndedAt ? (idle.resources[type] ?? 0) : '–'} |`;
  });
}

export function renderSoakReport(report: SoakReport): string {
  const trend = trends(report.samples, report.loadEndedAt);
  const kinds = Object.entries(report.counts).map(([kind, entry]) => `| ${kind} | ${entry.sent} | ${Object.entries(entry.outcomes).map(([outcome, count]) => `${outcome}: ${count}`).join(', ')} |`);
  const window = steady(report.samples, report.loadEndedAt);
  const seconds = window.length > 1 ? ((window.at(-1)?.at ?? 0) - (window[0]?.at ?? 0)) / 1_000 : 0;
  return [
    `# Soak: ${report.minutes} minutes at ${report.rate} req/s`,
    '',
    `Started ${report.startedAt}. Command: \`${report.commandLine}\` (after \`npx tsc -p tsconfig.json\`).`,
    `Machine: ${JSON.stringify(report.machine)}. Other processes used ${report.otherCpu ? `${(report.otherCpu.shareOfMachine * 100).toFixed(0)}% of the machine, steal ${(report.otherCpu.stealShare * 100).toFixed(0)}%` : 'an unknown share of the machine'} during the run.`,
    '',
    '## Ledger',
    '',
    `${report.answered} requests answered by the gateway (or cut by the client), ${report.recorded} ledger records: ${report.answered === report.recorded ? 'every request has its record' : `**${report.answered - report.recorded} missing**`}. Requests shed by the client for too many in flight: ${report.shed}.`,
    '',
    '| kind | sent | outcomes |',
    '| --- | --- | --- |',
    ...kinds,
    '',
    '## Trends inside the gateway',
    '',
    `${trend.samples} probe samples over ${fixed(seconds / 60, 1)} minutes after the first tenth of the run (least-squares slopes; first and last quarter means).`,
    '',
    '| measure | slope per hour | first quarter | last quarter |',
    '| --- | --- | --- | --- |',
    `| resident memory (MB) | ${fixed(trend.rssMbPerHour)} | ${fixed(trend.rssMb.first, 1)} | ${fixed(trend.rssMb.last, 1)} |`,
    `| heap used (MB) | ${fixed(trend.heapMbPerHour)} | ${fixed(trend.heapMb.first, 1)} | ${fixed(trend.heapMb.last, 1)} |`,
    `| event-loop delay p99 per sample (ms) | ${fixed(trend.loopP99MsPerHour, 3)} | ${fixed(trend.loopP99Ms.first, 3)} | ${fixed(trend.loopP99Ms.last, 3)} |`,
    `| event-loop delay mean (ms) | ${fixed(trend.loopMeanMsPerHour, 3)} | mean over the run: ${fixed(trend.loopMeanMs, 3)} | |`,
    `| machine load average, 1 min (2 cores) | ${fixed(trend.loadPerHour)} | ${fixed(trend.load.first)} | ${fixed(trend.load.last)} |`,
    '',
    '## Handles (process.getActiveResourcesInfo)',
    '',
    'Under load, and in the last sample, taken with no request in flight after the load stopped and the ledger was read.',
    '',
    '| type | first sample | last sample under load | max | first quarter mean | last quarter mean | idle after the load |',
    '| --- | --- | --- | --- | --- | --- | --- |',
    ...handleRows(report.samples, report.loadEndedAt),
    '',
    `Mock upstream: \`${JSON.stringify(report.mockStats)}\``,
    '',
  ].join('\n');
}
