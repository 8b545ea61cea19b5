import { Agent } from 'node:http';
import { chatCompletionChunks } from './mock-upstream.js';
import { runAutocannon, runPacedPair, type LoadResult } from './load.js';
import { sampleProcess, watchMachine, watchProcess, type MachineUse } from './processes.js';
import { measureStreams, streamOnce, summarise, type StreamSummary } from './stream-client.js';
import { directTarget, startMock, startSwitchyard, type SwitchyardTarget, type Target, type TargetName } from './targets.js';

export const fastModel = 'bench-model';
export const streamModel = 'bench-model-stream';

/** A ~200-byte chat request. */
export function chatBody(model: string, stream = false): string {
  return JSON.stringify({
    model,
    messages: [
      { role: 'system', content: 'You are a terse assistant.' },
      { role: 'user', content: 'Say hello to the benchmark in five words or fewer, please.' },
    ],
    max_tokens: 16,
    temperature: 0,
    ...(stream ? { stream: true, stream_options: { include_usage: true } } : {}),
  });
}

export interface Settings {
  durationSeconds: number;
  warmupSeconds: number;
  connections: number;
  rate: number;
  /** Also run autocannon's overallRate at the fixed rate, beside the evenly paced run. */
  autocannonRate: boolean;
  streams: { sequential: number; concurrency: number; rounds: number };
  openStreams: { count: number; chunkDelayMs: number };
  log(line: string): void;
}

export interface LedgerStats {
  requests: number;
  attempts: number;
  queued: number;
  written: number;
}

export interface LedgerCheck {
  before: LedgerStats;
  after: LedgerStats;
  /** Ledger request records added during the run. */
  recorded: number;
  /** Responses the load generator received (2xx and non-2xx). */
  served: number;
  /** Requests written but unanswered when the load generator stopped (their records are kept as client-closed). */
  cutAtEnd: number;
  difference: number;
}

export interface ThroughputRow {
  target: TargetName;
  load: LoadResult;
  /** CPU seconds the target process spent during the measured run. */
  cpuSeconds: number | undefined;
  /** Share of the machine's CPU that processes outside the benchmark used during the measured run. */
  otherShare: number | undefined;
  /** Share of the machine's CPU the hypervisor stole during the measured run. */
  stealShare: number | undefined;
  ledger?: LedgerCheck;
}

const cpuOf = (target: Target) => sampleProcess(target.child.pid)?.cpuSeconds;
const cpuSpent = (before: number | undefined, after: number | undefined) => (before === undefined || after === undefined ? undefined : after - before);
/** The two shares each measured run reports, from `watchMachine().stop()`. */
const sharesOf = (use: MachineUse | undefined) => ({ otherShare: use?.shareOfMachine, stealShare: use?.stealShare });
const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function settledLedger(target: SwitchyardTarget): Promise<LedgerStats> {
  let previous = await target.admin<LedgerStats>('/admin/ledger/stats');
  for (let attempt = 0; attempt < 20; attempt += 1) {
    await pause(250);
    const current = await target.admin<LedgerStats>('/admin/ledger/stats');
    if (current.requests === previous.requests && current.queued === 0) return current;
    previous = current;
  }
  return previous;
}

/** Scenario 1 (and 5 for Switchyard): closed-loop maximum throughput, then the ledger compared to what was served. */
export async function maxThroughput(settings: Settings, targets: Target[], ledgerTarget: SwitchyardTarget | undefined): Promise<ThroughputRow[]> {
  const rows: ThroughputRow[] = [];
  const body = chatBody(fastModel);
  for (const target of targets) {
    const base = { url: target.url, headers: target.headers, body, connections: settings.connections };
    settings.log(`  throughput → ${target.name}: warm-up ${settings.warmupSeconds}s, then ${settings.durationSeconds}s at ${settings.connections} connections`);
    await runAutocannon({ ...base, durationSeconds: settings.warmupSeconds });
    const checkLedger = ledgerTarget !== undefined && target === ledgerTarget;
    const before = checkLedger ? await settledLedger(ledgerTarget) : undefined;
    const cpuBefore = cpuOf(target);
    const machine = watchMachine();
    const load = await runAutocannon({ ...base, durationSeconds: settings.durationSeconds });
    const shares = sharesOf(machine.stop());
    const row: ThroughputRow = { target: target.name, load, cpuSeconds: cpuSpent(cpuBefore, cpuOf(target)), ...shares };
    if (checkLedger && before) {
      const after = await settledLedger(ledgerTarget);
      const served = load.ok + load.non2xx;
      const recorded = after.requests - before.requests;
      row.ledger = { before, after, recorded, served, cutAtEnd: Math.max(0, load.sent - served - load.errors), difference: recorded - served };
    }
    rows.push(row);
  }
  return rows;
}

/** A gateway at the fixed rate, and the mock called directly in the same time window as its reference. */
export interface RateRow {
  target: TargetName;
  /** The evenly paced run through the gateway. */
  load: LoadResult;
  /** The mock called directly at the same rate and the same instants, during the same run. */
  direct: LoadResult;
  /** CPU seconds the gateway spent during the paired run. */
  cpuSeconds: number | undefined;
  /** CPU seconds the mock spent during the paired run, answering both sides. */
  mockCpuSeconds: number | undefined;
  /** Share of the machine's CPU used outside the benchmark during the paired run. */
  otherShare: number | undefined;
  /** Share of the machine's CPU the hypervisor stole during the paired run. */
  stealShare: number | undefined;
}

export interface AutocannonRateRow {
  target: TargetName;
  load: LoadResult;
}

export interface RateResult {
  /** One row per gateway, each measured in its own window together with the direct path. */
  pairs: RateRow[];
  /** autocannon `overallRate`, one target after the other (direct first); not judged, absent with --no-autocannon-rate. */
  autocannon?: AutocannonRateRow[];
}

/**
 * Scenario 2: a fixed request rate. Each gateway runs in the same time window as a direct run at the same rate
 * (`runPacedPair`), so the latency it adds is measured against a reference that saw the same machine; gateways
 * get separate windows, since a slow one must not slow the other.
 */
export async function fixedRate(settings: Settings, targets: Target[]): Promise<RateResult> {
  const body = chatBody(fastModel);
  const direct = targets.find((target) => target.name === 'direct');
  if (!direct) throw new Error('the fixed-rate scenario needs the direct target as its reference');
  const paced = { body, connections: settings.connections, rate: settings.rate };
  const pairs: RateRow[] = [];
  for (const target of targets) {
    if (target === direct) continue;
    settings.log(`  fixed rate → ${target.name} and direct in the same window: ${settings.rate} req/s each for ${settings.durationSeconds}s (even pacing)`);
    await runPacedPair(target, direct, { ...paced, durationSeconds: Math.min(1, settings.warmupSeconds) });
    const cpuBefore = cpuOf(target);
    const mockBefore = cpuOf(direct);
    const machine = watchMachine();
    const [load, reference] = await runPacedPair(target, direct, { ...paced, durationSeconds: settings.durationSeconds });
    const shares = sharesOf(machine.stop());
    pairs.push({ target: target.name, load, direct: reference, cpuSeconds: cpuSpent(cpuBefore, cpuOf(target)), mockCpuSeconds: cpuSpent(mockBefore, cpuOf(direct)), ...shares });
  }
  if (!settings.autocannonRate) return { pairs };
  const autocannon: AutocannonRateRow[] = [];
  for (const target of targets) {
    settings.log(`  fixed rate → ${target.name}: ${settings.rate} req/s for ${settings.durationSeconds}s (autocannon overallRate)`);
    const load = await runAutocannon({ url: target.url, headers: target.headers, body, connections: settings.connections, durationSeconds: settings.durationSeconds, overallRate: settings.rate });
    autocannon.push({ target: target.name, load });
  }
  return { pairs, autocannon };
}

export interface StreamRow {
  target: TargetName;
  sequential: StreamSummary;
  concurrent: StreamSummary;
  otherShare: number | undefined;
  stealShare: number | undefined;
}

/** Scenario 3: time to first and last chunk, one stream at a time and a few at once. */
export async function streamingLatency(settings: Settings, targets: Target[]): Promise<StreamRow[]> {
  const rows: StreamRow[] = [];
  for (const target of targets) {
    const body = chatBody(target.name === 'switchyard' ? streamModel : fastModel, true);
    settings.log(`  streaming → ${target.name}: ${settings.streams.sequential} sequential, then ${settings.streams.rounds} × ${settings.streams.concurrency} concurrent`);
    await measureStreams(target, body, { sequential: Math.min(5, settings.streams.sequential), concurrency: 1, rounds: 0, expectedChunks: chatCompletionChunks });
    const machine = watchMachine();
    const measured = await measureStreams(target, body, { ...settings.streams, expectedChunks: chatCompletionChunks });
    rows.push({ target: target.name, ...measured, ...sharesOf(machine.stop()) });
  }
  return rows;
}

export interface OpenStreamsResult {
  streams: number;
  chunkDelayMs: number;
  summary: StreamSummary;
  wallSeconds: number;
  rssBeforeBytes: number | undefined;
  /** Highest RSS sampled every 100 ms during the run. */
  peakRssSampledBytes: number;
  /** VmHWM at the end: the peak since the gateway started. */
  peakRssBytes: number | undefined;
  cpuSeconds: number | undefined;
  /** Most streams the upstream held open at once (what the gateway let through to it). */
  upstreamPeakOpen: number;
  otherShare: number | undefined;
  stealShare: number | undefined;
  /** The same streams sent straight to the mock, for reference. */
  direct: { summary: StreamSummary; wallSeconds: number; upstreamPeakOpen: number };
}

export async function openAtOnce(target: { url: string; headers: Record<string, string> }, body: string, count: number) {
  const agent = new Agent({ keepAlive: true, maxSockets: count });
  try {
    await streamOnce(target, body, agent);
    const started = performance.now();
    const outcomes = await Promise.all(Array.from({ length: count }, () => streamOnce(target, body, agent, 120_000)));
    return { summary: summarise(outcomes, chatCompletionChunks), wallSeconds: (performance.now() - started) / 1_000 };
  } finally {
    agent.destroy();
  }
}

/** Scenario 4: many streams open at once through a fresh Switchyard whose upstream paces its chunks. */
export async function concurrentStreams(settings: Settings, workDir: string): Promise<OpenStreamsResult> {
  const { count, chunkDelayMs } = settings.openStreams;
  const mock = await startMock({ name: 'mock-open-streams', logDir: workDir, chunkDelayMs });
  const body = chatBody(streamModel, true);
  settings.log(`  open streams → direct: ${count} at once, ${chatCompletionChunks} chunks ${chunkDelayMs} ms apart`);
  const direct = { ...(await openAtOnce(directTarget(mock), body, count)), upstreamPeakOpen: (await mock.stats()).peakOpenStreams };
  await mock.reset();
  const gateway = await startSwitchyard({ name: 'switchyard-open-streams', models: [{ model: streamModel, mock }], workDir });
  try {
    const agent = new Agent({ keepAlive: true, maxSockets: count });
    await streamOnce(gateway, body, agent);
    await mock.reset();
    const before = sampleProcess(gateway.child.pid);
    settings.log(`  open streams → switchyard: ${count} at once, ${chatCompletionChunks} chunks ${chunkDelayMs} ms apart`);
    const watch = watchProcess(gateway.child.pid);
    const machine = watchMachine();
    const started = performance.now();
    const outcomes = await Promise.all(Array.from({ length: count }, () => streamOnce(gateway, body, agent, 120_000)));
    const wallSeconds = (performance.now() - started) / 1_000;
    const shares = sharesOf(machine.stop());
    const { peakRssBytes: peakRssSampledBytes } = watch.stop();
    const after = sampleProcess(gateway.child.pid);
    agent.destroy();
    return {
      streams: count,
      chunkDelayMs,
      summary: summarise(outcomes, chatCompletionChunks),
      wallSeconds,
      rssBeforeBytes: before?.rssBytes,
      peakRssSampledBytes,
      peakRssBytes: after?.peakRssBytes,
      cpuSeconds: before && after ? after.cpuSeconds - before.cpuSeconds : undefined,
      upstreamPeakOpen: (await mock.stats()).peakOpenStreams,
      ...shares,
      direct,
    };
  } finally {
    await gateway.child.stop();
    await mock.child.stop();
  }
}
