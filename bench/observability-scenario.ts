import { join } from 'node:path';
import { runAutocannon } from './load.js';
import { addRun, emptyLoadRow, rowThroughput, type LoadRow } from './load-rows.js';
import type { SinkStats } from './otlp-sink.js';
import { freePort, sampleProcess, startChild, waitForHttp, type Child } from './processes.js';
import { chatBody, fastModel, type Settings } from './scenarios.js';
import { repoRoot, startSwitchyard, type MockUpstream, type SwitchyardTarget } from './targets.js';

export type ObservabilityMode = 'off' | 'on';

export interface ObservabilityRow extends LoadRow {
  mode: ObservabilityMode;
}

/** The runs of one gateway process. */
export interface ObservabilityProcessRow extends ObservabilityRow {
  /** Which of the mode's processes, from 1. */
  process: number;
}

export interface ObservabilityResult {
  rounds: number;
  /** Gateway processes per mode; rounds go to them in turn. */
  processes: number;
  sampler: string;
  /** Each mode over all its processes. */
  load: ObservabilityRow[];
  /** Each process apart, to show how far identical processes differ. */
  perProcess: ObservabilityProcessRow[];
  /** Scrapes of `/metrics` on the observed gateways, each every `intervalMs` for the whole scenario. */
  scrapes: { intervalMs: number; count: number; failed: number; lastBytes: number };
  /** What the OTLP sink received during the measured runs. */
  sink: SinkStats;
  /** `switchyard_requests_total` added during the measured runs, against the observed gateways' responses. */
  metrics: { counted: number; served: number; cutAtEnd: number };
}

const scrapeIntervalMs = 1_000;
const metricsKey = 'bench-metrics-key-0123456789';
const samplerRatio = '0.1';
/** The span processor's export schedule (the SDK's default is 5 s); the scenario waits a little longer before counting. */
const exportDelayMs = 1_000;

/** Gateway processes per mode in a full run. */
export const observabilityProcesses = 4;
/** Seconds of one closed-loop run: short, so the two runs of a round see the machine alike while its capacity drifts. */
const roundSeconds = 2;

/** Rounds per mode for a duration: runs of about `roundSeconds`, every process getting as many rounds. */
export function observabilityRounds(durationSeconds: number): number {
  return observabilityProcesses * Math.max(1, Math.round(durationSeconds / roundSeconds / observabilityProcesses));
}

const cpuOf = (target: SwitchyardTarget) => sampleProcess(target.child.pid)?.cpuSeconds;

async function startSink(workDir: string): Promise<{ child: Child; url: string; stats(): Promise<SinkStats> }> {
  const port = await freePort();
  const child = startChild({ name: 'otlp-sink', command: process.execPath, args: [join(repoRoot, 'dist', 'bench', 'otlp-sink.js'), '--port', String(port)], logDir: workDir });
  const url = `http://127.0.0.1:${port}`;
  await waitForHttp(`${url}/_sink/stats`, child);
  return { child, url, stats: async () => (await fetch(`${url}/_sink/stats`)).json() as Promise<SinkStats> };
}

/** The sum of every `switchyard_requests_total` sample in a scrape. */
function requestsCounted(text: string): number {
  let sum = 0;
  for (const line of text.split('\n')) if (line.startsWith('switchyard_requests_total{')) sum += Number(line.slice(line.lastIndexOf(' ') + 1));
  return sum;
}

function scraper(target: SwitchyardTarget) {
  const state = { count: 0, failed: 0, lastBytes: 0, last: '' };
  const scrape = async () => {
    try {
      const response = await fetch(`${target.baseUrl}/metrics`, { headers: { authorization: `Bearer ${metricsKey}` }, signal: AbortSignal.timeout(5_000) });
      const text = await response.text();
      if (!response.ok) throw new Error(`status ${response.status}`);
      state.count += 1;
      state.lastBytes = Buffer.byteLength(text);
      state.last = text;
    } catch {
      state.failed += 1;
    }
    return state.last;
  };
  const timer = setInterval(() => void scrape(), scrapeIntervalMs);
  return { state, scrape, stop: () => clearInterval(timer) };
}

const minus = (after: SinkStats, before: SinkStats): SinkStats => ({ exports: after.exports - before.exports, bytes: after.bytes - before.bytes, spans: after.spans - before.spans, requestSpans: after.requestSpans - before.requestSpans, badExports: after.badExports - before.badExports });

/**
 * Metrics on and tracing sampled at 10% against both off: gateways on the same mock, identical but for
 * `prometheus.enabled` and the OTEL_* variables, measured in turn (ABBA order), `rounds` closed-loop runs each.
 * Each mode has `processes` gateway processes and the rounds go to them in turn: identical processes differ by a few
 * percent in throughput (code layout, JIT and GC decisions made early in a process's life), which a single pair
 * would read as a difference between the modes. The observed ones are scraped every second and export spans over
 * OTLP/HTTP to a sink that counts them.
 */
export async function observabilityCost(settings: Settings, mock: MockUpstream, workDir: string, rounds = 3, processes = 1): Promise<ObservabilityResult> {
  const sink = await startSink(workDir);
  const models = [{ model: fastModel, mock }];
  const tracing = { OTEL_TRACES_EXPORTER: 'otlp', OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: `${sink.url}/v1/traces`, OTEL_TRACES_SAMPLER: 'parentbased_traceidratio', OTEL_TRACES_SAMPLER_ARG: samplerRatio, OTEL_BSP_SCHEDULE_DELAY: String(exportDelayMs) };
  const targets: Record<ObservabilityMode, SwitchyardTarget[]> = { off: [], on: [] };
  const scrapers: Array<ReturnType<typeof scraper>> = [];
  const perProcess: ObservabilityProcessRow[] = [];
  const rows = new Map<ObservabilityMode, ObservabilityRow>((['off', 'on'] as const).map((mode) => [mode, { mode, ...emptyLoadRow() }]));
  const runSeconds = Math.max(1, Math.round(settings.durationSeconds / rounds));
  const countedAll = async () => (await Promise.all(scrapers.map(async (each) => requestsCounted(await each.scrape())))).reduce((sum, value) => sum + value, 0);
  try {
    for (let index = 0; index < processes; index += 1) {
      targets.off.push(await startSwitchyard({ name: `switchyard-plain-${index + 1}`, models, workDir, env: { OTEL_SDK_DISABLED: 'true' } }));
      const observed = await startSwitchyard({ name: `switchyard-observed-${index + 1}`, models, workDir, extraConfig: `prometheus:\n  enabled: true\n  key: ${metricsKey}\n`, env: tracing });
      targets.on.push(observed);
      scrapers.push(scraper(observed));
      for (const mode of ['off', 'on'] as const) perProcess.push({ mode, process: index + 1, ...emptyLoadRow() });
    }
    for (const mode of ['off', 'on'] as const) {
      for (const [index, target] of targets[mode].entries()) {
        settings.log(`  observability ${mode}: warm-up ${settings.warmupSeconds}s, process ${index + 1}`);
        await runAutocannon({ url: target.url, headers: target.headers, body: chatBody(fastModel), connections: settings.connections, durationSeconds: settings.warmupSeconds });
      }
    }
    await new Promise((resolve) => setTimeout(resolve, exportDelayMs + 500));
    const countedBefore = await countedAll();
    const sinkBefore = await sink.stats();
    for (let round = 0; round < rounds; round += 1) {
      // Each process gets its rounds in both orders alike: off first in its odd rounds, on first in its even ones.
      const order: ObservabilityMode[] = Math.floor(round / processes) % 2 === 0 ? ['off', 'on'] : ['on', 'off'];
      const index = round % processes;
      for (const mode of order) {
        const target = targets[mode][index] as SwitchyardTarget;
        settings.log(`  observability ${mode}: round ${round + 1}/${rounds}, process ${index + 1}, ${runSeconds}s at ${settings.connections} connections`);
        const cpuBefore = cpuOf(target);
        const load = await runAutocannon({ url: target.url, headers: target.headers, body: chatBody(fastModel), connections: settings.connections, durationSeconds: runSeconds });
        const cpu = { before: cpuBefore, after: cpuOf(target) };
        addRun(rows.get(mode) as ObservabilityRow, load, cpu);
        addRun(perProcess.find((row) => row.mode === mode && row.process === index + 1) as ObservabilityProcessRow, load, cpu);
      }
    }
    // Requests cut at the end settle as their sockets close, and the span processor exports on its schedule.
    await new Promise((resolve) => setTimeout(resolve, exportDelayMs + 500));
    const counted = (await countedAll()) - countedBefore;
    const sinkAfter = await sink.stats();
    const on = rows.get('on') as ObservabilityRow;
    return {
      rounds,
      processes,
      sampler: `parentbased_traceidratio ${samplerRatio}`,
      load: [...rows.values()],
      perProcess: perProcess.filter((row) => row.runs.length > 0),
      scrapes: { intervalMs: scrapeIntervalMs, count: scrapers.reduce((sum, each) => sum + each.state.count, 0), failed: scrapers.reduce((sum, each) => sum + each.state.failed, 0), lastBytes: scrapers[0]?.state.lastBytes ?? 0 },
      sink: minus(sinkAfter, sinkBefore),
      metrics: { counted, served: on.served, cutAtEnd: on.cutAtEnd },
    };
  } finally {
    for (const each of scrapers) each.stop();
    await Promise.all([...targets.off, ...targets.on].map((target) => target.child.stop()).concat(sink.child.stop()));
  }
}

/** Requests per second of one mode, over all its runs. */
export function observabilityThroughput(result: ObservabilityResult, mode: ObservabilityMode): number {
  return rowThroughput(result.load.find((candidate) => candidate.mode === mode));
}
