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

export interface ObservabilityResult {
  rounds: number;
  sampler: string;
  load: ObservabilityRow[];
  /** Scrapes of `/metrics` on the observed gateway, every `intervalMs` for the whole scenario. */
  scrapes: { intervalMs: number; count: number; failed: number; lastBytes: number };
  /** What the OTLP sink received during the measured runs. */
  sink: SinkStats;
  /** `switchyard_requests_total` added during the measured runs, against the observed gateway's responses. */
  metrics: { counted: number; served: number; cutAtEnd: number };
}

const scrapeIntervalMs = 1_000;
const metricsKey = 'bench-metrics-key-0123456789';
const samplerRatio = '0.1';
/** The span processor's export schedule (the SDK's default is 5 s); the scenario waits a little longer before counting. */
const exportDelayMs = 1_000;

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
 * Metrics on and tracing sampled at 10% against both off: two gateways on the same mock, identical but for
 * `prometheus.enabled` and the OTEL_* variables, measured in turn (ABBA order), `rounds` closed-loop runs each.
 * The observed one is scraped every second and exports spans over OTLP/HTTP to a sink that counts them.
 */
export async function observabilityCost(settings: Settings, mock: MockUpstream, workDir: string, rounds = 3): Promise<ObservabilityResult> {
  const sink = await startSink(workDir);
  const models = [{ model: fastModel, mock }];
  const plain = await startSwitchyard({ name: 'switchyard-plain', models, workDir, env: { OTEL_SDK_DISABLED: 'true' } });
  const tracing = { OTEL_TRACES_EXPORTER: 'otlp', OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: `${sink.url}/v1/traces`, OTEL_TRACES_SAMPLER: 'parentbased_traceidratio', OTEL_TRACES_SAMPLER_ARG: samplerRatio, OTEL_BSP_SCHEDULE_DELAY: String(exportDelayMs) };
  const observed = await startSwitchyard({ name: 'switchyard-observed', models, workDir, extraConfig: `prometheus:\n  enabled: true\n  key: ${metricsKey}\n`, env: tracing });
  const scrapes = scraper(observed);
  const targets: Record<ObservabilityMode, SwitchyardTarget> = { off: plain, on: observed };
  const rows = new Map<ObservabilityMode, ObservabilityRow>((['off', 'on'] as const).map((mode) => [mode, { mode, ...emptyLoadRow() }]));
  const runSeconds = Math.max(1, Math.round(settings.durationSeconds / rounds));
  try {
    for (const mode of ['off', 'on'] as const) {
      settings.log(`  observability ${mode}: warm-up ${settings.warmupSeconds}s`);
      await runAutocannon({ url: targets[mode].url, headers: targets[mode].headers, body: chatBody(fastModel), connections: settings.connections, durationSeconds: settings.warmupSeconds });
    }
    await new Promise((resolve) => setTimeout(resolve, exportDelayMs + 500));
    const countedBefore = requestsCounted(await scrapes.scrape());
    const sinkBefore = await sink.stats();
    for (let round = 0; round < rounds; round += 1) {
      const order: ObservabilityMode[] = round % 2 === 0 ? ['off', 'on'] : ['on', 'off'];
      for (const mode of order) {
        const target = targets[mode];
        const row = rows.get(mode) as ObservabilityRow;
        settings.log(`  observability ${mode}: round ${round + 1}/${rounds}, ${runSeconds}s at ${settings.connections} connections`);
        const cpuBefore = cpuOf(target);
        const load = await runAutocannon({ url: target.url, headers: target.headers, body: chatBody(fastModel), connections: settings.connections, durationSeconds: runSeconds });
        const cpuAfter = cpuOf(target);
        addRun(row, load, { before: cpuBefore, after: cpuAfter });
      }
    }
    // Requests cut at the end settle as their sockets close, and the span processor exports on its schedule.
    await new Promise((resolve) => setTimeout(resolve, exportDelayMs + 500));
    const counted = requestsCounted(await scrapes.scrape()) - countedBefore;
    const sinkAfter = await sink.stats();
    const on = rows.get('on') as ObservabilityRow;
    return {
      rounds,
      sampler: `parentbased_traceidratio ${samplerRatio}`,
      load: [...rows.values()],
      scrapes: { intervalMs: scrapeIntervalMs, count: scrapes.state.count, failed: scrapes.state.failed, lastBytes: scrapes.state.lastBytes },
      sink: minus(sinkAfter, sinkBefore),
      metrics: { counted, served: on.served, cutAtEnd: on.cutAtEnd },
    };
  } finally {
    scrapes.stop();
    await Promise.all([plain.child.stop(), observed.child.stop(), sink.child.stop()]);
  }
}

/** Requests per second of one mode, over all its runs. */
export function observabilityThroughput(result: ObservabilityResult, mode: ObservabilityMode): number {
  return rowThroughput(result.load.find((candidate) => candidate.mode === mode));
}
