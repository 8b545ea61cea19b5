import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Registry } from 'prom-client';
import type { RequestRecord } from '../src/ledger/ledger-record.js';
import type { LedgerWriter } from '../src/ledger/ledger-writer.js';
import { RequestMetrics } from '../src/observability/request-metrics.js';
import { OtelTracing } from '../src/observability/otel-tracing.js';
import type { SinkStats } from './otlp-sink.js';
import { freePort, startChild, stopAll, waitForHttp } from './processes.js';

/**
 * CPU per request of the observability code alone, on a loop of ledger records in one process, each mode in a fresh
 * process: metrics, and tracing with every request sampled or none, exported over OTLP/HTTP protobuf to a loopback
 * receiver in a process of its own (bench/otlp-sink.ts), which counts the spans it got. Run: node dist/bench/observability-unit-cost.js [requests]
 */
const modes = ['baseline', 'metrics', 'tracing-unsampled', 'tracing-sampled'] as const;
type Mode = (typeof modes)[number];

function recordOf(index: number): RequestRecord {
  const now = Date.now();
  const tokens = { inputTokens: 20, cachedInputTokens: 0, cacheWriteTokens: 0, outputTokens: 10, reasoningTokens: 0, costUsd: 0.00001 };
  const attempt = { attempt: 0, startedAt: now, provider: 'mock-0', upstreamModel: 'bench-model', model: 'bench-model', status: 200, errorCode: null, ...tokens, latencyMs: 1, ttftMs: null, estimated: false, shadow: false };
  return { id: `req_${index}`, startedAt: now, endpoint: 'chat', keyId: 'key', customer: null, team: null, requestedModel: 'bench-model', route: null, provider: 'mock-0', upstreamModel: 'bench-model', stream: false, status: 200, errorCode: null, ...tokens, latencyMs: 1.2, ttftMs: null, estimated: false, catalogVersion: 'bench', cacheHit: false, savedUsd: 0, attempts: [attempt] };
}

/** Microseconds per request: the main thread's busy time, and the CPU of the whole process (export thread included). */
interface Cost {
  main: number;
  process: number;
  /** Spans the receiver got. */
  spans: number;
}

const warmupRequests = 20_000;
/** Long enough for the warm-up's spans to be exported and a new thread's start-up work to end (about 12 s measured idle). */
const settleMs = 20_000;
const spansAt = async (sinkUrl: string) => ((await (await fetch(`${sinkUrl}/_sink/stats`)).json()) as SinkStats).spans;

async function measure(mode: Mode, requests: number): Promise<Cost> {
  const listeners: Array<(record: RequestRecord) => void> = [];
  const ledger = { onRecord: (listener: (record: RequestRecord) => void) => listeners.push(listener) } as unknown as LedgerWriter;
  if (mode === 'metrics') {
    const metrics = new RequestMetrics({ registry: new Registry(), providerType: () => 'openai', maxLabelValues: 500, customerLabels: false });
    listeners.push((record) => metrics.observe(record));
  }
  let tracing: OtelTracing | undefined;
  let sinkUrl: string | undefined;
  if (mode.startsWith('tracing')) {
    // The receiver is a process of its own, so its work is not counted; the queue holds every span, so none is dropped.
    const port = await freePort();
    const sink = startChild({ name: 'otlp-sink', command: process.execPath, args: [fileURLToPath(new URL('./otlp-sink.js', import.meta.url)), '--port', String(port)], logDir: tmpdir() });
    sinkUrl = `http://127.0.0.1:${port}`;
    await waitForHttp(`${sinkUrl}/_sink/stats`, sink);
    process.env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT = `${sinkUrl}/v1/traces`;
    process.env.OTEL_BSP_SCHEDULE_DELAY = '1000';
    process.env.OTEL_BSP_MAX_QUEUE_SIZE = String(2 * (requests + warmupRequests) + 1024);
    tracing = await OtelTracing.create({ settings: { protocol: 'http/protobuf', captureContent: false, sampling: { ratio: mode === 'tracing-sampled' ? 1 : 0, parentBased: true } }, ledger, providerType: () => 'openai', version: 'bench' });
  }
  const headers = { host: 'gateway', 'content-type': 'application/json' };
  const feed = async (from: number, count: number) => {
    for (let index = from; index < from + count; index += 1) {
      const record = recordOf(index);
      const trace = tracing?.startRequest({ requestId: record.id, endpoint: 'chat', model: record.requestedModel, startedAtMs: performance.now(), headers });
      trace?.startAttempt(record.attempts[0] as RequestRecord['attempts'][number]);
      for (const listener of listeners) listener(record);
      // Requests come at about 10,000 a second (500 every 50 ms) in every mode, so the pauses cost each mode alike:
      // a rate the export thread keeps up with, as it must for a server, while exports and timers run as on a
      // server's event loop. CPU time, not wall time, is what is measured.
      if (index % 500 === 0) await new Promise((resolve) => setTimeout(resolve, 50));
    }
  };
  // A warm-up pass, then a pause: a new thread with the SDK loaded spends CPU compiling and collecting for its first
  // seconds whatever it serves, which a server that has run for a while no longer pays.
  await feed(requests, warmupRequests);
  await new Promise((resolve) => setTimeout(resolve, settleMs));
  const spansBefore = sinkUrl ? await spansAt(sinkUrl) : 0;
  const before = process.cpuUsage();
  const loopBefore = performance.eventLoopUtilization();
  await feed(0, requests);
  // Shutting down sends every span still queued and waits for the export thread to finish, so its work is all counted.
  await tracing?.shutdown();
  const used = process.cpuUsage(before);
  const loop = performance.eventLoopUtilization(loopBefore);
  const spans = sinkUrl ? (await spansAt(sinkUrl)) - spansBefore : 0;
  await stopAll();
  return { main: (loop.active * 1000) / requests, process: (used.user + used.system) / requests, spans };
}

const [mode, count] = process.argv.slice(2);
if (mode && (modes as readonly string[]).includes(mode)) {
  process.stdout.write(`${JSON.stringify(await measure(mode as Mode, Number(count)))}\n`);
  process.exit(0);
}
const requests = Number(mode ?? 100_000);
const script = fileURLToPath(import.meta.url);
const median = (values: number[]) => [...values].sort((a, b) => a - b)[1] as number;
const rows = modes.map((name) => {
  const runs = [1, 2, 3].map(() => JSON.parse(execFileSync(process.execPath, [script, name, String(requests)], { encoding: 'utf8' })) as Cost);
  return { name, runs, main: median(runs.map((run) => run.main)), process: median(runs.map((run) => run.process)) };
});
const baseline = rows[0] ?? { main: 0, process: 0 };
const lines = [
  `# Observability code alone: CPU per request (${new Date().toISOString()})`,
  '',
  `Command: \`node dist/bench/observability-unit-cost.js ${requests}\` (${requests} ledger records per run after a warm-up of ${warmupRequests} and a pause of ${settleMs / 1000} s, three fresh processes per mode)`,
  '',
  '| mode | main thread µs per request, three runs | median | over baseline | process CPU µs per request (all threads), median | over baseline | spans received, three runs |',
  '| --- | --- | --- | --- | --- | --- | --- |',
  ...rows.map((row) => `| ${row.name} | ${row.runs.map((run) => run.main.toFixed(2)).join(' / ')} | ${row.main.toFixed(2)} | ${(row.main - baseline.main).toFixed(2)} | ${row.process.toFixed(2)} | ${(row.process - baseline.process).toFixed(2)} | ${row.runs.map((run) => run.spans).join(' / ')} |`),
  '',
  'baseline builds the records only. tracing-sampled describes two spans per request (request and attempt), which the export thread makes the SDK\'s finished spans, batches with its batch span processor and exports (the queue is sized to hold every span, and the counts received show none was dropped); the CPU is read after tracing shut down, once every span was sent; at a 10% ratio, a request costs about the unsampled figure plus a tenth of the difference. Main thread: its event loop\'s busy time (`performance.eventLoopUtilization`); process CPU adds the export thread\'s work.',
  '',
];
const directory = join(fileURLToPath(new URL('../../', import.meta.url)), 'bench', 'results');
mkdirSync(directory, { recursive: true });
const file = join(directory, `${new Date().toISOString().slice(0, 10)}-observability-unit-cost.md`);
writeFileSync(file, lines.join('\n'));
process.stdout.write(`${lines.join('\n')}\nReport: ${file}\n`);
