import type { IngressResult } from './ingress-scenario.js';
import { captureThroughput, type CaptureResult } from './capture-scenario.js';
import { observabilityThroughput, type ObservabilityResult } from './observability-scenario.js';
import type { ProfileResult } from './profile.js';
import type { OpenStreamsResult, RateResult, StreamRow, ThroughputRow } from './scenarios.js';

/** Everything one run measured; absent parts were not run. */
export interface BenchResults {
  throughput?: ThroughputRow[];
  rate?: RateResult;
  streaming?: StreamRow[];
  openStreams?: OpenStreamsResult;
  profiles?: ProfileResult[];
  ingress?: IngressResult;
  capture?: CaptureResult;
  observability?: ObservabilityResult;
}

export interface Verdict {
  goal: string;
  measured: string;
  /** undefined: not measured in this run. */
  pass: boolean | undefined;
  /** How far from the goal, when missed. */
  shortfall: string;
}

export const megabyte = 1024 * 1024;
export const rssLimitBytes = 150 * megabyte;

const ms = (value: number) => `${value.toFixed(3)} ms`;
const find = <T extends { target: string }>(rows: T[] | undefined, name: string) => rows?.find((row) => row.target === name);

/** A gateway's paced percentiles minus those of the direct run taken in the same window. */
export function addedRateLatency(results: BenchResults, target = 'switchyard') {
  const row = find(results.rate?.pairs, target);
  if (!row) return undefined;
  const gateway = row.load.latencyMs;
  const direct = row.direct.latencyMs;
  return { p50: gateway.p50 - direct.p50, p90: gateway.p90 - direct.p90, p99: gateway.p99 - direct.p99 };
}

export function addedFirstChunk(results: BenchResults, target = 'switchyard') {
  const direct = find(results.streaming, 'direct')?.sequential.firstChunkMs;
  const gateway = find(results.streaming, target)?.sequential.firstChunkMs;
  if (!direct || !gateway) return undefined;
  return { p50: gateway.p50 - direct.p50, p99: gateway.p99 - direct.p99 };
}

function latencyVerdicts(results: BenchResults): Verdict[] {
  const added = addedRateLatency(results);
  const unmeasured = { measured: 'not run', pass: undefined, shortfall: '' };
  if (!added) return [{ goal: 'added latency p50 ≤ 0.3 ms at the fixed rate', ...unmeasured }, { goal: 'added latency p99 ≤ 1 ms at the fixed rate', ...unmeasured }];
  const check = (goal: string, value: number, limit: number): Verdict => ({ goal, measured: ms(value), pass: value <= limit, shortfall: value <= limit ? '' : `over by ${ms(value - limit)} (${(value / limit).toFixed(1)}× the limit)` });
  return [check('added latency p50 ≤ 0.3 ms at the fixed rate', added.p50, 0.3), check('added latency p99 ≤ 1 ms at the fixed rate', added.p99, 1)];
}

/** CPU microseconds per request, when both are known. */
export const perRequestMicros = (cpuSeconds: number | undefined, requests: number) => (cpuSeconds === undefined || requests === 0 ? undefined : (cpuSeconds * 1e6) / requests);

/**
 * Measured facts that bear on the latency targets, for the report to print beside them: what the direct path took in
 * the same window, and what a request cost in CPU at the fixed rate against at full load, for the mock and the gateway.
 */
export function latencyContext(results: BenchResults, target = 'switchyard'): string | undefined {
  const row = find(results.rate?.pairs, target);
  if (!row) return undefined;
  const parts = [`in the same window the direct path itself took p50 ${ms(row.direct.latencyMs.p50)} and p99 ${ms(row.direct.latencyMs.p99)}`];
  const mockAtRate = perRequestMicros(row.mockCpuSeconds, row.load.ok + row.load.non2xx + row.direct.ok + row.direct.non2xx);
  const gatewayAtRate = perRequestMicros(row.cpuSeconds, row.load.ok + row.load.non2xx);
  const full = (name: string) => {
    const throughput = find(results.throughput, name);
    return throughput ? perRequestMicros(throughput.cpuSeconds, throughput.load.ok + throughput.load.non2xx) : undefined;
  };
  const mockFull = full('direct');
  const gatewayFull = full(target);
  if (mockAtRate !== undefined && mockFull !== undefined) parts.push(`the mock spent ${mockAtRate.toFixed(0)} µs of CPU per request at this rate against ${mockFull.toFixed(0)} µs at full load`);
  if (gatewayAtRate !== undefined && gatewayFull !== undefined) parts.push(`the gateway ${gatewayAtRate.toFixed(0)} µs against ${gatewayFull.toFixed(0)} µs`);
  if (row.stealShare !== undefined) parts.push(`the hypervisor stole ${(row.stealShare * 100).toFixed(0)}% of the machine meanwhile`);
  return parts.join('; ');
}

function throughputVerdict(results: BenchResults): Verdict {
  const goal = 'max throughput ≥ 10× Portkey';
  const ours = find(results.throughput, 'switchyard')?.load.requestsPerSecond;
  const theirs = find(results.throughput, 'portkey')?.load.requestsPerSecond;
  if (ours === undefined || theirs === undefined || theirs === 0) return { goal, measured: ours === undefined ? 'not run' : `${ours.toFixed(0)} req/s (Portkey not run)`, pass: undefined, shortfall: '' };
  const ratio = ours / theirs;
  return { goal, measured: `${ratio.toFixed(2)}× (${ours.toFixed(0)} vs ${theirs.toFixed(0)} req/s)`, pass: ratio >= 10, shortfall: ratio >= 10 ? '' : `${(10 - ratio).toFixed(2)}× short; 10× would be ${(theirs * 10).toFixed(0)} req/s` };
}

function streamingVerdict(results: BenchResults): Verdict {
  const goal = 'streaming adds ≤ 1 ms to time to first chunk (p50)';
  const added = addedFirstChunk(results);
  if (!added) return { goal, measured: 'not run', pass: undefined, shortfall: '' };
  return { goal, measured: `${ms(added.p50)} (p99 ${ms(added.p99)})`, pass: added.p50 <= 1, shortfall: added.p50 <= 1 ? '' : `over by ${ms(added.p50 - 1)}` };
}

function memoryVerdicts(results: BenchResults): Verdict[] {
  const open = results.openStreams;
  const goal = `peak RSS ≤ 150 MB with ${open?.streams ?? 1000} concurrent streams`;
  const allGoal = 'every open stream completed with every chunk';
  if (!open) return [{ goal, measured: 'not run', pass: undefined, shortfall: '' }, { goal: allGoal, measured: 'not run', pass: undefined, shortfall: '' }];
  const peak = Math.max(open.peakRssBytes ?? 0, open.peakRssSampledBytes);
  const completed = open.summary.completed === open.streams;
  return [
    { goal, measured: `${(peak / megabyte).toFixed(1)} MB`, pass: peak <= rssLimitBytes, shortfall: peak <= rssLimitBytes ? '' : `over by ${((peak - rssLimitBytes) / megabyte).toFixed(1)} MB` },
    { goal: allGoal, measured: `${open.summary.completed}/${open.streams} (errors ${open.summary.errors}, incomplete ${open.summary.incomplete})`, pass: completed, shortfall: completed ? '' : `${open.streams - open.summary.completed} streams short` },
  ];
}

function ledgerVerdict(results: BenchResults): Verdict {
  const goal = 'zero ledger records lost';
  const ledger = find(results.throughput, 'switchyard')?.ledger;
  if (!ledger) return { goal, measured: 'not run', pass: undefined, shortfall: '' };
  const lost = Math.max(0, ledger.served - ledger.recorded);
  const unexplained = ledger.difference > ledger.cutAtEnd;
  return {
    goal,
    measured: `recorded ${ledger.recorded}, served ${ledger.served}, difference ${ledger.difference >= 0 ? '+' : ''}${ledger.difference} (cut at end ${ledger.cutAtEnd})`,
    pass: lost === 0 && !unexplained,
    shortfall: lost > 0 ? `${lost} served requests have no record` : unexplained ? `${ledger.difference - ledger.cutAtEnd} records more than requests sent` : '',
  };
}

/** Gateway CPU microseconds per answered request through one ingress of the ingress scenario. */
export function ingressCpuMicros(results: BenchResults, ingress: string): number | undefined {
  const row = results.ingress?.load.find((candidate) => candidate.ingress === ingress);
  return row ? perRequestMicros(row.cpuSeconds, row.requests) : undefined;
}

/** The margin allowed for run-to-run noise when comparing two ingresses' CPU per request on a shared 2-core machine. */
export const ingressCpuMargin = 1.05;

/** One CPU comparison of the ingress scenario: the Responses row against the chat row of the same provider setup. */
function ingressCpuVerdict(results: BenchResults, goal: string, chatRow: string, responsesRow: string): Verdict {
  const chat = ingressCpuMicros(results, chatRow);
  const responses = ingressCpuMicros(results, responsesRow);
  if (chat === undefined || responses === undefined) return { goal, measured: 'not run', pass: undefined, shortfall: '' };
  const pass = responses <= chat * ingressCpuMargin;
  return { goal, measured: `${responses.toFixed(1)} µs vs ${chat.toFixed(1)} µs (${(responses / chat).toFixed(3)}×)`, pass, shortfall: pass ? '' : `over by ${(responses - chat * ingressCpuMargin).toFixed(1)} µs` };
}

function ingressVerdicts(results: BenchResults): Verdict[] {
  const streamGoal = 'Responses streams relayed as they arrive: complete, first chunk ≤ chat ingress + 1 ms (p50)';
  const cpu = ingressCpuVerdict(results, `Responses ingress CPU per request ≤ chat ingress (× ${ingressCpuMargin} for noise), OpenAI provider: chat passed through, Responses translated`, 'chat', 'responses');
  const translated = ingressCpuVerdict(results, `Responses ingress CPU per request ≤ chat ingress (× ${ingressCpuMargin} for noise), OpenAI-compatible provider: both translated`, 'chat-translated', 'responses-translated');
  const chatStream = results.ingress?.streams.find((row) => row.ingress === 'chat')?.summary;
  const responsesStream = results.ingress?.streams.find((row) => row.ingress === 'responses')?.summary;
  if (!chatStream || !responsesStream) return [cpu, translated, { goal: streamGoal, measured: 'not run', pass: undefined, shortfall: '' }];
  const added = responsesStream.firstChunkMs.p50 - chatStream.firstChunkMs.p50;
  const complete = responsesStream.completed === responsesStream.streams && responsesStream.streams > 0;
  const pass = complete && added <= 1;
  return [
    cpu,
    translated,
    {
      goal: streamGoal,
      measured: `${responsesStream.completed}/${responsesStream.streams} complete; first chunk p50 ${ms(responsesStream.firstChunkMs.p50)} vs chat ${ms(chatStream.firstChunkMs.p50)}, last chunk p50 ${ms(responsesStream.lastChunkMs.p50)}`,
      pass,
      shortfall: pass ? '' : complete ? `first chunk later by ${ms(added - 1)}` : `${responsesStream.streams - responsesStream.completed} streams incomplete`,
    },
  ];
}

/** Throughput with capture at 100% (bodies on) may be at most this much below capture off. */
export const captureThroughputLoss = 0.15;

function captureVerdicts(results: BenchResults): Verdict[] {
  const speedGoal = `throughput with capture at 100% (bodies on) within ${captureThroughputLoss * 100}% of capture off`;
  const keptGoal = 'no ledger record and no sampled capture lost (records = requests, written + dropped = sampled, dropped = 0)';
  const capture = results.capture;
  if (!capture) return [{ goal: speedGoal, measured: 'not run', pass: undefined, shortfall: '' }, { goal: keptGoal, measured: 'not run', pass: undefined, shortfall: '' }];
  const off = captureThroughput(capture, 'off');
  const on = captureThroughput(capture, 'on');
  const fast = on >= off * (1 - captureThroughputLoss);
  const { ledger, capture: counts } = capture;
  const recordsKept = ledger.recorded >= ledger.served && ledger.recorded <= ledger.served + ledger.cutAtEnd;
  const sampledAll = counts.sampled >= counts.capturedServed && counts.sampled <= counts.capturedServed + counts.capturedCutAtEnd;
  const kept = recordsKept && sampledAll && counts.written + counts.dropped === counts.sampled && counts.dropped === 0 && counts.stored === counts.written;
  return [
    { goal: speedGoal, measured: `${on.toFixed(0)} req/s on vs ${off.toFixed(0)} req/s off (${((on / off - 1) * 100).toFixed(1)}%)`, pass: fast, shortfall: fast ? '' : `${((1 - captureThroughputLoss - on / off) * 100).toFixed(1)} points below` },
    {
      goal: keptGoal,
      measured: `records ${ledger.recorded} for ${ledger.served} served (+${ledger.cutAtEnd} cut at end); sampled ${counts.sampled} for ${counts.capturedServed} captured-model responses (+${counts.capturedCutAtEnd} cut), written ${counts.written}, dropped ${counts.dropped}, stored ${counts.stored}`,
      pass: kept,
      shortfall: kept ? '' : 'see the capture section',
    },
  ];
}

/** Throughput with metrics on and tracing sampled at 10% may be at most this much below both off. */
export const observabilityThroughputLoss = 0.1;

function observabilityVerdict(results: BenchResults): Verdict {
  const goal = `throughput with metrics on (scraped every second) and tracing sampled at 10% within ${observabilityThroughputLoss * 100}% of both off`;
  const observability = results.observability;
  if (!observability) return { goal, measured: 'not run', pass: undefined, shortfall: '' };
  const off = observabilityThroughput(observability, 'off');
  const on = observabilityThroughput(observability, 'on');
  const pass = on >= off * (1 - observabilityThroughputLoss);
  return { goal, measured: `${on.toFixed(0)} req/s on vs ${off.toFixed(0)} req/s off (${((on / off - 1) * 100).toFixed(1)}%)`, pass, shortfall: pass ? '' : `${((1 - observabilityThroughputLoss - on / off) * 100).toFixed(1)} points below` };
}

export function verdicts(results: BenchResults): Verdict[] {
  return [...latencyVerdicts(results), throughputVerdict(results), streamingVerdict(results), ...memoryVerdicts(results), ledgerVerdict(results), ...ingressVerdicts(results), ...captureVerdicts(results), observabilityVerdict(results)];
}

export const verdictText = (verdict: Verdict) => (verdict.pass === undefined ? 'n/a' : verdict.pass ? 'PASS' : 'FAIL');
