import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { Agent } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { flakyPrefix } from '../mock-upstream.js';
import { machineFacts } from '../report.js';
import { stopAll, watchMachine } from '../processes.js';
import { repoRoot, startMock, startSwitchyard } from '../targets.js';
import { probeLaunch } from './probe-launch.js';
import type { ProbeSample } from './soak-probe.js';
import { renderSoakReport, type SoakReport } from './soak-report.js';
import { pickKind, sendSoakRequest, type KindCounts, type SoakKind } from './soak-traffic.js';

/**
 * The soak: Switchyard in front of the mock upstream at a steady request rate for a long time, mixing plain answers,
 * streams, streams the client cuts after the first chunk, upstream errors and unknown models. Its probe samples
 * memory, event-loop delay and handles from inside the gateway; at the end the ledger must hold one record per
 * request the gateway answered.
 *   node dist/bench/soak/run-soak.js --minutes 30 --rate 100 [--out bench/results] [--keep-work]
 */

interface SoakOptions {
  minutes: number;
  rate: number;
  out: string;
  keepWork: boolean;
  maxInFlight: number;
}

function parseOptions(argv: string[]): SoakOptions {
  const value = (name: string, fallback: number) => {
    const index = argv.indexOf(`--${name}`);
    if (index === -1) return fallback;
    const parsed = Number(argv[index + 1]);
    if (!Number.isFinite(parsed) || parsed <= 0) throw new Error(`--${name}: expected a positive number, got "${argv[index + 1]}"`);
    return parsed;
  };
  const outIndex = argv.indexOf('--out');
  return { minutes: value('minutes', 30), rate: value('rate', 100), maxInFlight: value('max-in-flight', 2_000), out: outIndex === -1 ? join(repoRoot, 'bench', 'results') : (argv[outIndex + 1] as string), keepWork: argv.includes('--keep-work') };
}

const wait = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

async function ledgerRequests(admin: <T>(path: string) => Promise<T>): Promise<number> {
  const rows = await admin<{ rows?: Array<{ requests: number }> } | Array<{ requests: number }>>('/admin/usage?groupBy=model');
  const list = Array.isArray(rows) ? rows : (rows.rows ?? []);
  return list.reduce((sum, row) => sum + Number(row.requests), 0);
}

async function main(): Promise<void> {
  const options = parseOptions(process.argv.slice(2));
  const workDir = mkdtempSync(join(tmpdir(), 'switchyard-soak-'));
  const probeFile = join(workDir, 'probe.jsonl');
  const probeIntervalMs = options.minutes >= 10 ? 10_000 : 2_000;
  const startedAt = new Date().toISOString();
  const machine = watchMachine();
  try {
    const mock = await startMock({ name: 'soak-mock', logDir: workDir, chunkDelayMs: 4 });
    const models = { plain: 'bench-soak', stream: 'bench-soak-stream', flaky: `${flakyPrefix}-soak` };
    const gateway = await startSwitchyard({
      name: 'soak-switchyard',
      models: [{ model: models.plain, mock }, { model: models.stream, mock }, { model: models.flaky, mock }],
      workDir,
      ...probeLaunch(probeFile, probeIntervalMs),
    });
    const target = { url: new URL(gateway.url), headers: gateway.headers };
    const agent = new Agent({ keepAlive: true, maxSockets: options.maxInFlight });
    const counts = new Map<SoakKind, KindCounts>();
    let inFlight = 0;
    let shed = 0;
    const pending = new Set<Promise<void>>();
    const endAt = Date.now() + options.minutes * 60_000;
    const tickMs = 50;
    const perTick = (options.rate * tickMs) / 1_000;
    let owed = 0;
    process.stdout.write(`soak: ${options.minutes} min at ${options.rate} req/s, work folder ${workDir}\n`);
    while (Date.now() < endAt) {
      owed += perTick;
      for (; owed >= 1; owed -= 1) {
        if (inFlight >= options.maxInFlight) {
          shed += 1;
          continue;
        }
        const kind = pickKind(Math.random());
        const entry = counts.get(kind) ?? { sent: 0, outcomes: {} };
        counts.set(kind, entry);
        entry.sent += 1;
        inFlight += 1;
        const sent = sendSoakRequest(target, kind, { models, agent, timeoutMs: 30_000 }).then((outcome) => {
          entry.outcomes[outcome] = (entry.outcomes[outcome] ?? 0) + 1;
          inFlight -= 1;
          pending.delete(sent);
        });
        pending.add(sent);
      }
      await wait(tickMs);
    }
    await Promise.all(pending);
    const loadEndedAt = Date.now();
    agent.destroy();
    const answered = [...counts.values()].reduce((sum, entry) => sum + entry.sent - (entry.outcomes['socket-error'] ?? 0), 0);
    let recorded = 0;
    // The ledger writer flushes in batches: give it a bounded while to catch up.
    for (let attempt = 0; attempt < 60; attempt += 1) {
      recorded = await ledgerRequests(gateway.admin);
      if (recorded >= answered) break;
      await wait(500);
    }
    await wait(probeIntervalMs + 500);
    const samples = readFileSync(probeFile, 'utf8').trim().split('\n').map((line) => JSON.parse(line) as ProbeSample);
    const report: SoakReport = {
      startedAt,
      commandLine: `node dist/bench/soak/run-soak.js ${process.argv.slice(2).join(' ')}`.trim(),
      machine: machineFacts(),
      otherCpu: machine.stop(),
      minutes: options.minutes,
      rate: options.rate,
      loadEndedAt,
      shed,
      counts: Object.fromEntries(counts),
      answered,
      recorded,
      mockStats: await mock.stats(),
      samples,
    };
    mkdirSync(options.out, { recursive: true });
    const base = join(options.out, `${startedAt.slice(0, 10)}-soak-${options.minutes}min`);
    writeFileSync(`${base}.json`, `${JSON.stringify(report, null, 2)}\n`);
    writeFileSync(`${base}.md`, renderSoakReport(report));
    process.stdout.write(`${renderSoakReport(report)}\nwrote ${base}.md\n`);
    if (recorded !== answered) process.exitCode = 1;
  } finally {
    await stopAll();
    if (!options.keepWork) rmSync(workDir, { recursive: true, force: true });
  }
}

main().catch(async (error: unknown) => {
  process.stderr.write(`soak failed: ${error instanceof Error ? error.stack : String(error)}\n`);
  await stopAll();
  process.exit(1);
});
