import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, release, totalmem, type } from 'node:os';
import { join } from 'node:path';
import type { LoadResult } from './load.js';
import { rowThroughput } from './load-rows.js';
import type { MachineUse } from './processes.js';
import type { StreamSummary } from './stream-client.js';
import { addedFirstChunk, addedRateLatency, ingressCpuMicros, latencyContext, megabyte, perRequestMicros, verdicts, verdictText, type BenchResults } from './verdicts.js';

export interface RunFacts {
  startedAt: string;
  /** 1, 5 and 15-minute load averages when the run started: other work on the machine skews every figure. */
  loadAverageAtStart: number[];
  commandLine: string;
  /** CPU other processes on the machine used during the run, and CPU the hypervisor stole. */
  otherCpu?: MachineUse;
  scenarioSet: string;
  smoke: boolean;
  settings: Record<string, unknown>;
  versions: Record<string, string>;
  notes: string[];
}

export function machineFacts() {
  const list = cpus();
  return { cpuModel: list[0]?.model ?? 'unknown', cpuCount: list.length, totalMemoryGiB: Number((totalmem() / 1024 ** 3).toFixed(1)), node: process.version, os: `${type()} ${release()}`, loadAverage: loadavg().map((value) => Number(value.toFixed(2))) };
}

const fixed = (value: number | undefined, digits = 3) => (value === undefined || Number.isNaN(value) ? '–' : value.toFixed(digits));
const signed = (value: number | undefined) => (value === undefined || Number.isNaN(value) ? '–' : `${value >= 0 ? '+' : ''}${value.toFixed(3)}`);

function table(head: string[], rows: Array<Array<string | number>>): string {
  const line = (cells: Array<string | number>) => `| ${cells.map(String).join(' | ')} |`;
  return [line(head), line(head.map(() => '---')), ...rows.map(line)].join('\n');
}

const errorsOf = (load: LoadResult) => `${load.non2xx} / ${load.errors}`;
const percent = (share: number | undefined) => (share === undefined ? '–' : `${(share * 100).toFixed(0)}%`);

/** The measured facts beside the latency targets: why a miss is a miss on this machine, in its own figures. */
function latencyContextLines(results: BenchResults): string[] {
  const context = latencyContext(results);
  if (!context) return [];
  return [`Beside the latency rows: ${context}. At a steady, modest rate every request wakes an idle machine, and each process on the path pays that wake-up; the gateway's path has one process more than the direct one (bench/README.md, "Where the time goes").`, ''];
}

function throughputSection(results: BenchResults): string[] {
  if (!results.throughput) return [];
  const rows = results.throughput.map((row) => {
    const handled = row.load.ok + row.load.non2xx;
    const cpuPerRequest = perRequestMicros(row.cpuSeconds, handled);
    return [row.target, fixed(row.load.requestsPerSecond, 0), fixed(row.load.latencyMs.p50), fixed(row.load.latencyMs.p90), fixed(row.load.latencyMs.p99), row.load.ok, errorsOf(row.load), fixed(row.cpuSeconds, 2), fixed(cpuPerRequest, 0), percent(row.otherShare), percent(row.stealShare)];
  });
  return [
    '## 1. Maximum throughput',
    '',
    table(['target', 'req/s', 'p50 ms', 'p90 ms', 'p99 ms', '2xx', 'non-2xx / socket errors', 'target CPU s', 'CPU µs/req', 'CPU used by other processes', 'CPU stolen by the hypervisor'], rows),
    '',
    '"CPU used by other processes": the share of the whole machine that processes outside the benchmark took during that run. "CPU stolen by the hypervisor": the share the host gave to something else while this machine was ready to run (steal time), counted apart.',
    '',
  ];
}

function rateSection(results: BenchResults, rate: unknown): string[] {
  const result = results.rate;
  if (!result) return [];
  const paired = result.pairs.map((row) => {
    const [load, direct] = [row.load.latencyMs, row.direct.latencyMs];
    const handled = row.load.ok + row.load.non2xx;
    const cpu = fixed(perRequestMicros(row.cpuSeconds, handled), 0);
    const mockHandled = handled + row.direct.ok + row.direct.non2xx;
    const mockCpu = fixed(perRequestMicros(row.mockCpuSeconds, mockHandled), 0);
    return [
      row.target,
      fixed(row.load.requestsPerSecond, 0),
      fixed(load.p50),
      fixed(load.p90),
      fixed(load.p99),
      fixed(direct.p50),
      fixed(direct.p90),
      fixed(direct.p99),
      signed(load.p50 - direct.p50),
      signed(load.p90 - direct.p90),
      signed(load.p99 - direct.p99),
      `${errorsOf(row.load)} (direct ${errorsOf(row.direct)})`,
      cpu,
      mockCpu,
      percent(row.otherShare),
      percent(row.stealShare),
    ];
  });
  const out = [
    `## 2. Fixed rate (${String(rate)} req/s)`,
    '',
    'Evenly paced, open loop (request i leaves at i/rate whatever the answers do). Each gateway has its own window, shared with the mock called directly: request i to the gateway and request i to the mock leave at the same instant, each over its own pool with the same number of connections. "direct" is that reference from the same window, and "added" is the gateway\'s percentile minus it. The mock answers both, so it sees twice the rate.',
    '',
    table(
      ['target', 'achieved req/s', 'p50 ms', 'p90 ms', 'p99 ms', 'direct p50 ms', 'direct p90 ms', 'direct p99 ms', 'added p50', 'added p90', 'added p99', 'non-2xx / errors', 'target CPU µs/req', 'mock CPU µs/req', 'CPU used by other processes', 'CPU stolen by the hypervisor'],
      paired,
    ),
    '',
    '"mock CPU µs/req": what the mock spent per request it answered in that window (both sides). Compare it, and the target\'s, with the CPU per request at full load in scenario 1: at a steady, modest rate every request wakes an idle machine, and that wake-up is paid by every process on the path, the mock included; the gateway\'s path is one process longer than the direct one.',
    '',
  ];
  if (result.autocannon) {
    const direct = result.autocannon.find((row) => row.target === 'direct')?.load.latencyMs;
    const rows = result.autocannon.map(({ target, load }) => {
      const added = (key: 'p50' | 'p90' | 'p99') => (direct && target !== 'direct' ? signed(load.latencyMs[key] - direct[key]) : '');
      return [target, fixed(load.requestsPerSecond, 0), fixed(load.latencyMs.p50), fixed(load.latencyMs.p90), fixed(load.latencyMs.p99), added('p50'), added('p90'), added('p99'), errorsOf(load)];
    });
    out.push(
      'autocannon `overallRate`, one target after the other (each connection sends its per-second quota back to back at the top of each second, so this measures latency in bursts rather than at a steady rate; "added" compares runs from different windows):',
      '',
      table(['target', 'achieved req/s', 'p50 ms', 'p90 ms', 'p99 ms', 'added p50', 'added p90', 'added p99', 'non-2xx / errors'], rows),
      '',
    );
  }
  return out;
}

function streamTable(results: BenchResults, pick: (row: NonNullable<BenchResults['streaming']>[number]) => StreamSummary): string {
  const direct = results.streaming!.find((row) => row.target === 'direct');
  const rows = results.streaming!.map((row) => {
    const summary = pick(row);
    const added = direct && row.target !== 'direct' ? signed(summary.firstChunkMs.p50 - pick(direct).firstChunkMs.p50) : '';
    return [row.target, fixed(summary.firstChunkMs.p50), fixed(summary.firstChunkMs.p90), fixed(summary.firstChunkMs.p99), added, fixed(summary.lastChunkMs.p50), fixed(summary.lastChunkMs.p99), `${summary.completed}/${summary.streams}`, summary.errors, percent(row.otherShare), percent(row.stealShare)];
  });
  return table(['target', 'first chunk p50 ms', 'p90', 'p99', 'added first chunk p50', 'last chunk p50 ms', 'last chunk p99', 'complete', 'errors', 'CPU used by other processes', 'CPU stolen by the hypervisor'], rows);
}

function streamingSection(results: BenchResults): string[] {
  if (!results.streaming) return [];
  const errors = results.streaming.flatMap((row) => [...row.sequential.errorSamples, ...row.concurrent.errorSamples].map((sample) => `${row.target}: ${sample}`));
  return [
    '## 3. Streaming',
    '',
    'One stream at a time:',
    '',
    streamTable(results, (row) => row.sequential),
    '',
    'Concurrent rounds:',
    '',
    streamTable(results, (row) => row.concurrent),
    '',
    ...(errors.length > 0 ? ['Errors seen: ' + errors.join('; '), ''] : []),
  ];
}

function openStreamsSection(results: BenchResults): string[] {
  const open = results.openStreams;
  if (!open) return [];
  const mb = (bytes: number | undefined) => (bytes === undefined ? '–' : `${(bytes / megabyte).toFixed(1)} MB`);
  return [
    `## 4. ${open.streams} concurrent streams through Switchyard`,
    '',
    `- upstream: 50 chunks, ${open.chunkDelayMs} ms apart`,
    `- completed with every chunk and [DONE]: ${open.summary.completed}/${open.streams} (errors ${open.summary.errors}, incomplete ${open.summary.incomplete})${open.summary.errorSamples.length ? `; e.g. ${open.summary.errorSamples.join('; ')}` : ''}`,
    '',
    table(
      ['path', 'complete', 'wall s', 'first chunk p50 ms', 'p99', 'last chunk p50 ms', 'p99', 'max', 'most open at the upstream'],
      [
        ['direct to the mock', `${open.direct.summary.completed}/${open.streams}`, fixed(open.direct.wallSeconds, 2), fixed(open.direct.summary.firstChunkMs.p50, 0), fixed(open.direct.summary.firstChunkMs.p99, 0), fixed(open.direct.summary.lastChunkMs.p50, 0), fixed(open.direct.summary.lastChunkMs.p99, 0), fixed(open.direct.summary.lastChunkMs.max, 0), open.direct.upstreamPeakOpen],
        ['through Switchyard', `${open.summary.completed}/${open.streams}`, fixed(open.wallSeconds, 2), fixed(open.summary.firstChunkMs.p50, 0), fixed(open.summary.firstChunkMs.p99, 0), fixed(open.summary.lastChunkMs.p50, 0), fixed(open.summary.lastChunkMs.p99, 0), fixed(open.summary.lastChunkMs.max, 0), open.upstreamPeakOpen],
      ],
    ),
    '',
    `- gateway RSS: ${mb(open.rssBeforeBytes)} before, peak ${mb(open.peakRssSampledBytes)} sampled every 100 ms, VmHWM ${mb(open.peakRssBytes)}`,
    `- gateway CPU time during the run: ${fixed(open.cpuSeconds, 2)} s; other processes used ${percent(open.otherShare)} of the machine meanwhile, and the hypervisor stole ${percent(open.stealShare)}`,
    '',
  ];
}

function ledgerSection(results: BenchResults): string[] {
  const ledger = results.throughput?.find((row) => row.target === 'switchyard')?.ledger;
  if (!ledger) return [];
  return [
    '## 5. Ledger integrity (after the maximum-throughput run)',
    '',
    table(['ledger requests before', 'after', 'recorded', 'served (2xx + non-2xx)', 'difference', 'unanswered when the load stopped', 'queued'], [[ledger.before.requests, ledger.after.requests, ledger.recorded, ledger.served, signed(ledger.difference).replace('.000', ''), ledger.cutAtEnd, ledger.after.queued]]),
    '',
    'Requests still in flight when autocannon stops are closed by the client; the gateway records them too (as client-closed), so a positive difference up to that count is expected. A served request without a record is a lost record.',
    '',
  ];
}

const ingressLabels: Record<string, string> = {
  chat: 'chat, OpenAI provider (body passed through)',
  responses: 'responses, OpenAI provider (translated to chat)',
  'chat-translated': 'chat, OpenAI-compatible provider (translated)',
  'responses-translated': 'responses, OpenAI-compatible provider (translated)',
  'responses-stored': 'responses, store: true (not judged)',
  'responses-native': 'responses to a Responses-API provider, bodies passed through as chat to chat is (not judged)',
};
const ingressLabel = (ingress: string) => ingressLabels[ingress] ?? ingress;

function ingressSection(results: BenchResults): string[] {
  const ingress = results.ingress;
  if (!ingress) return [];
  return [
    `## 6. Responses ingress against chat ingress (same prompt, model and mock; ${ingress.rounds} interleaved rounds each)`,
    '',
    table(
      ['ingress', 'answered', 'req/s per round', 'p50 ms', 'p99 ms', 'gateway CPU µs per request', 'of which kernel'],
      ingress.load.map((row) => [ingressLabel(row.ingress), row.requests, row.runs.map((run) => fixed(run.requestsPerSecond, 0)).join(' / '), row.runs.map((run) => fixed(run.latencyMs.p50)).join(' / '), row.runs.map((run) => fixed(run.latencyMs.p99)).join(' / '), fixed(ingressCpuMicros(results, row.ingress), 1), fixed(perRequestMicros(row.systemCpuSeconds, row.requests), 1)]),
    ),
    '',
    table(
      ['stream ingress', 'complete', 'first chunk p50 ms', 'p99', 'last chunk p50 ms', 'p99'],
      ingress.streams.map((row) => [row.ingress, `${row.summary.completed}/${row.summary.streams}`, fixed(row.summary.firstChunkMs.p50), fixed(row.summary.firstChunkMs.p99), fixed(row.summary.lastChunkMs.p50), fixed(row.summary.lastChunkMs.p99)]),
    ),
    '',
    'The stream mock writes 50 chunks 1 ms apart, so a stream the gateway buffered would show its first chunk at about its last.',
    '',
  ];
}

function captureSection(results: BenchResults): string[] {
  const capture = results.capture;
  if (!capture) return [];
  return [
    `## 7. Capture at 100% with bodies against capture off (same prompt and mock; ${capture.rounds} interleaved rounds each)`,
    '',
    table(
      ['capture', 'answered', 'req/s per round', 'p50 ms', 'p99 ms', 'gateway CPU µs per request'],
      capture.load.map((row) => [row.mode, row.requests, row.runs.map((run) => fixed(run.requestsPerSecond, 0)).join(' / '), row.runs.map((run) => fixed(run.latencyMs.p50)).join(' / '), row.runs.map((run) => fixed(run.latencyMs.p99)).join(' / '), fixed(perRequestMicros(row.cpuSeconds, row.requests), 1)]),
    ),
    '',
    table(
      ['ledger records', 'served', 'cut at end', 'sampled', 'captured-model served', 'written', 'dropped', 'stored', 'peak queued / capacity'],
      [[capture.ledger.recorded, capture.ledger.served, capture.ledger.cutAtEnd, capture.capture.sampled, capture.capture.capturedServed, capture.capture.written, capture.capture.dropped, capture.capture.stored, `${capture.capture.peakQueued} / ${capture.capture.maxQueued}`]],
    ),
    '',
    'Counters are read after `GET /admin/requests` flushed the ledger and capture queues. Requests in flight when the load generator stops are recorded and sampled as client-closed, so records and samples may exceed responses by up to the requests cut at the end.',
    '',
  ];
}

function observabilitySection(results: BenchResults): string[] {
  const observability = results.observability;
  if (!observability) return [];
  const { sink, scrapes, metrics } = observability;
  const sampledShare = metrics.served > 0 ? sink.requestSpans / metrics.served : 0;
  return [
    `## 8. Metrics and tracing on against both off (${observability.processes} gateway process${observability.processes === 1 ? '' : 'es'} per mode on one mock; ${observability.rounds} rounds each, ABBA order, the rounds going to the processes in turn)`,
    '',
    table(
      ['metrics + tracing', 'answered', 'req/s per round', 'p50 ms', 'p99 ms', 'gateway CPU µs per request'],
      observability.load.map((row) => [row.mode, row.requests, row.runs.map((run) => fixed(run.requestsPerSecond, 0)).join(' / '), row.runs.map((run) => fixed(run.latencyMs.p50)).join(' / '), row.runs.map((run) => fixed(run.latencyMs.p99)).join(' / '), fixed(perRequestMicros(row.cpuSeconds, row.requests), 1)]),
    ),
    '',
    table(
      ['sampler', 'request spans exported', 'spans', 'share of requests sampled', 'OTLP exports', 'bytes', 'scrapes (failed)', 'last scrape bytes', 'requests counted by metrics', 'served (+cut at end)'],
      [[observability.sampler, sink.requestSpans, sink.spans, `${(sampledShare * 100).toFixed(1)}%`, sink.exports, sink.bytes, `${scrapes.count} (${scrapes.failed})`, scrapes.lastBytes, metrics.counted, `${metrics.served} (+${metrics.cutAtEnd})`]],
    ),
    '',
    `The observed gateways have \`prometheus.enabled\` and export spans with OTLP/HTTP (protobuf, the default protocol) to a sink process that counts them (it decodes the exports when its stats are read, not during the runs); \`/metrics\` of each is scraped every ${scrapes.intervalMs / 1000} s throughout. The plain gateways run with \`OTEL_SDK_DISABLED=true\` and metrics off.`,
    '',
    ...(observability.processes > 1
      ? [
          'Each process apart (identical processes of one mode differ by a few percent, which is why each mode has several):',
          '',
          table(
            ['mode', 'process', 'answered', 'req/s', 'gateway CPU µs per request'],
            observability.perProcess.map((row) => [row.mode, row.process, row.requests, fixed(rowThroughput(row), 0), fixed(perRequestMicros(row.cpuSeconds, row.requests), 1)]),
          ),
          '',
        ]
      : []),
  ];
}

function profileSection(results: BenchResults): string[] {
  if (!results.profiles || results.profiles.length === 0) return [];
  return [
    '## Where the time goes (Switchyard under `--cpu-prof`)',
    '',
    ...results.profiles.flatMap((profile) => [
      `### ${profile.workload}: ${profile.load}; main thread ${fixed(profile.busyMs / 1000, 2)} s busy (profile: ${profile.file})`,
      '',
      table(['self ms', '% of busy', 'function', 'location'], profile.top.map((entry) => [fixed(entry.selfMs, 0), fixed(entry.percent, 1), `\`${entry.function}\``, entry.location])),
      '',
      'By file or package:',
      '',
      table(['self ms', '% of busy', 'file or package'], profile.groups.map((group) => [fixed(group.selfMs, 0), fixed(group.percent, 1), group.group])),
      '',
      ...profile.otherThreads.flatMap((thread, index) => [
        `Worker thread ${index + 1}: ${fixed(thread.busyMs / 1000, 2)} s busy.`,
        '',
        table(['self ms', '% of busy', 'function', 'location'], thread.top.map((entry) => [fixed(entry.selfMs, 0), fixed(entry.percent, 1), `\`${entry.function}\``, entry.location])),
        '',
      ]),
    ]),
  ];
}

export function renderMarkdown(results: BenchResults, facts: RunFacts): string {
  const machine = machineFacts();
  const lines = [
    `# Switchyard benchmark: ${facts.scenarioSet} (${facts.startedAt})`,
    '',
    ...(facts.smoke ? ['**Smoke run**: runs too short for the figures to mean anything; it only proves the pipeline works.', ''] : []),
    `Command: \`${facts.commandLine}\``,
    '',
    `Machine: ${machine.cpuModel} × ${machine.cpuCount}, ${machine.totalMemoryGiB} GiB, ${machine.os}, Node ${machine.node}. Load generator, mock upstream and gateway share these cores. Load average ${facts.loadAverageAtStart.join(' / ')} at the start, ${machine.loadAverage.join(' / ')} at the end (1 / 5 / 15 min).${facts.otherCpu ? ` Other processes used ${facts.otherCpu.otherCpuSeconds} CPU-seconds during the run (${(facts.otherCpu.shareOfMachine * 100).toFixed(1)}% of the machine), and the hypervisor stole ${facts.otherCpu.stealCpuSeconds} (${(facts.otherCpu.stealShare * 100).toFixed(1)}%).` : ''}`,
    '',
    `Versions: ${Object.entries(facts.versions).map(([name, version]) => `${name} ${version}`).join(', ')}. Settings: ${Object.entries(facts.settings).map(([name, value]) => `${name}=${JSON.stringify(value)}`).join(', ')}.`,
    '',
    '## Targets',
    '',
    table(['goal', 'measured', 'result', 'shortfall'], verdicts(results).map((verdict) => [verdict.goal, verdict.measured, verdictText(verdict), verdict.shortfall])),
    '',
    ...latencyContextLines(results),
    ...throughputSection(results),
    ...rateSection(results, facts.settings.rate),
    ...streamingSection(results),
    ...openStreamsSection(results),
    ...ledgerSection(results),
    ...ingressSection(results),
    ...captureSection(results),
    ...observabilitySection(results),
    ...profileSection(results),
    ...(facts.notes.length > 0 ? ['## Notes', '', ...facts.notes.map((note) => `- ${note}`), ''] : []),
  ];
  return lines.join('\n');
}

export function writeReport(results: BenchResults, facts: RunFacts, directory: string, baseName: string): { markdown: string; json: string } {
  mkdirSync(directory, { recursive: true });
  const markdown = join(directory, `${baseName}.md`);
  const json = join(directory, `${baseName}.json`);
  writeFileSync(markdown, renderMarkdown(results, facts));
  writeFileSync(json, `${JSON.stringify({ ...facts, machine: machineFacts(), verdicts: verdicts(results), results }, null, 2)}\n`);
  return { markdown, json };
}

/** The few figures that matter, for the terminal. */
export function summaryLines(results: BenchResults): string[] {
  const lines: string[] = [];
  for (const row of results.throughput ?? []) lines.push(`throughput   ${row.target.padEnd(11)} ${fixed(row.load.requestsPerSecond, 0).padStart(7)} req/s  p50 ${fixed(row.load.latencyMs.p50)}  p99 ${fixed(row.load.latencyMs.p99)} ms  non-2xx ${row.load.non2xx}  errors ${row.load.errors}`);
  for (const row of results.rate?.pairs ?? []) {
    const paced = (name: string, load: LoadResult) => `fixed rate   ${name.padEnd(11)} p50 ${fixed(load.latencyMs.p50)}  p90 ${fixed(load.latencyMs.p90)}  p99 ${fixed(load.latencyMs.p99)} ms  errors ${load.non2xx + load.errors}`;
    const added = addedRateLatency(results, row.target);
    lines.push(paced(row.target, row.load), `${paced('direct', row.direct)}  (same window)`);
    if (added) lines.push(`fixed rate   added by ${row.target}: p50 ${signed(added.p50)}  p90 ${signed(added.p90)}  p99 ${signed(added.p99)} ms`);
  }
  for (const row of results.streaming ?? []) lines.push(`streaming    ${row.target.padEnd(11)} first chunk p50 ${fixed(row.sequential.firstChunkMs.p50)}  p99 ${fixed(row.sequential.firstChunkMs.p99)} ms  last chunk p50 ${fixed(row.sequential.lastChunkMs.p50)} ms  complete ${row.sequential.completed + row.concurrent.completed}/${row.sequential.streams + row.concurrent.streams}`);
  const ttft = addedFirstChunk(results);
  if (ttft) lines.push(`streaming    added first chunk by Switchyard: p50 ${signed(ttft.p50)}  p99 ${signed(ttft.p99)} ms`);
  const open = results.openStreams;
  if (open) lines.push(`open streams ${open.summary.completed}/${open.streams} complete, peak RSS ${(Math.max(open.peakRssBytes ?? 0, open.peakRssSampledBytes) / megabyte).toFixed(1)} MB, CPU ${fixed(open.cpuSeconds, 2)} s, upstream peak open ${open.upstreamPeakOpen}`);
  lines.push('', ...verdicts(results).map((verdict) => `${verdictText(verdict).padEnd(4)}  ${verdict.goal}: ${verdict.measured}${verdict.shortfall ? ` (${verdict.shortfall})` : ''}`));
  return lines;
}
