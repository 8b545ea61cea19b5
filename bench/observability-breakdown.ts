import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runAutocannon } from './load.js';
import { freePort, sampleProcess, startChild, stopAll, waitForHttp } from './processes.js';
import { chatBody, fastModel } from './scenarios.js';
import { repoRoot, startMock, startSwitchyard, type SwitchyardTarget } from './targets.js';

/**
 * Which part of metrics and tracing costs what under load: four gateways on one mock (both off, metrics only,
 * tracing at 10%, tracing with nothing sampled), each run with `--trace-gc-nvp`, measured in turn for `rounds`
 * closed-loop runs. Reports gateway CPU, scavenges and bytes promoted to the old generation per request.
 *   node dist/bench/observability-breakdown.js [rounds] [seconds]
 */
const rounds = Number(process.argv[2] ?? 3);
const seconds = Number(process.argv[3] ?? 8);
const work = mkdtempSync(join(tmpdir(), 'switchyard-breakdown-'));

interface Totals {
  requests: number;
  cpuSeconds: number;
  scavenges: number;
  promotedBytes: number;
}

function gcOf(logFile: string): { scavenges: number; promotedBytes: number } {
  let scavenges = 0;
  let promotedBytes = 0;
  for (const line of readFileSync(logFile, 'utf8').split('\n')) {
    if (!line.includes('gc=s')) continue;
    scavenges += 1;
    promotedBytes += Number(/ promoted=(\d+)/.exec(line)?.[1] ?? 0);
  }
  return { scavenges, promotedBytes };
}

async function main(): Promise<void> {
  const mock = await startMock({ name: 'mock', logDir: work });
  const sinkPort = await freePort();
  const sink = startChild({ name: 'otlp-sink', command: process.execPath, args: [join(repoRoot, 'dist', 'bench', 'otlp-sink.js'), '--port', String(sinkPort)], logDir: work });
  await waitForHttp(`http://127.0.0.1:${sinkPort}/_sink/stats`, sink);
  const tracing = (ratio: string) => ({ OTEL_TRACES_EXPORTER: 'otlp', OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json', OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: `http://127.0.0.1:${sinkPort}/v1/traces`, OTEL_TRACES_SAMPLER: 'parentbased_traceidratio', OTEL_TRACES_SAMPLER_ARG: ratio, OTEL_BSP_SCHEDULE_DELAY: '1000' });
  const off = { OTEL_SDK_DISABLED: 'true' };
  const metrics = 'prometheus:\n  enabled: true\n  key: bench-metrics-key-0123456789\n';
  const modes: Array<[string, Record<string, string>, string]> = [['both off', off, ''], ['metrics only', off, metrics], ['tracing at 10%', tracing('0.1'), ''], ['tracing, none sampled', tracing('0'), '']];
  const targets: SwitchyardTarget[] = [];
  for (const [index, [, env, extraConfig]] of modes.entries()) targets.push(await startSwitchyard({ name: `gateway-${index}`, models: [{ model: fastModel, mock }], workDir: work, env, extraConfig, nodeFlags: ['--trace-gc-nvp'] }));
  for (const target of targets) await runAutocannon({ url: target.url, headers: target.headers, body: chatBody(fastModel), connections: 50, durationSeconds: 3 });
  const totals: Totals[] = modes.map(() => ({ requests: 0, cpuSeconds: 0, scavenges: 0, promotedBytes: 0 }));
  for (let round = 0; round < rounds; round += 1) {
    const order = round % 2 === 0 ? [...targets.keys()] : [...targets.keys()].reverse();
    for (const index of order) {
      const target = targets[index] as SwitchyardTarget;
      const gcBefore = gcOf(target.child.logFile);
      const cpuBefore = sampleProcess(target.child.pid)?.cpuSeconds ?? 0;
      const load = await runAutocannon({ url: target.url, headers: target.headers, body: chatBody(fastModel), connections: 50, durationSeconds: seconds });
      const cpuAfter = sampleProcess(target.child.pid)?.cpuSeconds ?? 0;
      const gcAfter = gcOf(target.child.logFile);
      const total = totals[index] as Totals;
      total.requests += load.ok;
      total.cpuSeconds += cpuAfter - cpuBefore;
      total.scavenges += gcAfter.scavenges - gcBefore.scavenges;
      total.promotedBytes += gcAfter.promotedBytes - gcBefore.promotedBytes;
    }
  }
  const baseline = (totals[0] as Totals).cpuSeconds / Math.max(1, (totals[0] as Totals).requests);
  const lines = [
    `# Metrics and tracing under load, part by part (${new Date().toISOString()})`,
    '',
    `Command: \`node dist/bench/observability-breakdown.js ${rounds} ${seconds}\` (${rounds} rounds of ${seconds} s at 50 connections per gateway, alternating order)`,
    '',
    '| gateway | answered | CPU µs per request | over both off | scavenges per 1,000 requests | bytes promoted per request |',
    '| --- | --- | --- | --- | --- | --- |',
    ...modes.map(([name], index) => {
      const total = totals[index] as Totals;
      const perRequest = total.cpuSeconds / Math.max(1, total.requests);
      return `| ${name} | ${total.requests} | ${(perRequest * 1e6).toFixed(1)} | ${((perRequest - baseline) * 1e6).toFixed(1)} | ${((total.scavenges * 1000) / Math.max(1, total.requests)).toFixed(2)} | ${(total.promotedBytes / Math.max(1, total.requests)).toFixed(0)} |`;
    }),
    '',
    'Bytes promoted: what young-generation collections moved to the old generation (`--trace-gc-nvp`), over the measured runs.',
    '',
  ];
  const directory = join(repoRoot, 'bench', 'results');
  mkdirSync(directory, { recursive: true });
  const file = join(directory, `${new Date().toISOString().slice(0, 10)}-observability-breakdown.md`);
  writeFileSync(file, lines.join('\n'));
  process.stdout.write(`${lines.join('\n')}\nReport: ${file}\n`);
}

main()
  .catch((error: unknown) => {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 1;
  })
  .finally(async () => {
    await stopAll();
    rmSync(work, { recursive: true, force: true });
  });
