import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { parseArgs } from 'node:util';
import { stopAll, watchMachine } from './processes.js';
import { ingressCost, responsesApiModel, translatedModel } from './ingress-scenario.js';
import { captureCost, capturedModel } from './capture-scenario.js';
import { observabilityCost, observabilityProcesses, observabilityRounds } from './observability-scenario.js';
import { profileSwitchyard } from './profile.js';
import { summaryLines, writeReport, type RunFacts } from './report.js';
import { chatBody, concurrentStreams, fastModel, fixedRate, maxThroughput, streamingLatency, streamModel, type Settings } from './scenarios.js';
import { directTarget, ensurePortkey, repoRoot, startMock, startPortkey, startSwitchyard, viaUpstream, type Target } from './targets.js';
import type { BenchResults } from './verdicts.js';

const scenarioNames = ['throughput', 'rate', 'streaming', 'open-streams', 'ledger', 'ingress', 'capture', 'observability'] as const;
type ScenarioName = (typeof scenarioNames)[number];

const usage = `Usage: npm run bench -- [options]
  --duration S        seconds per measured run (default 20)
  --connections N     autocannon connections (default 50)
  --rate N            fixed rate in requests per second (default 1000)
  --streams N         concurrent streams in the open-streams scenario (default 1000)
  --scenarios a,b     any of ${scenarioNames.join(', ')} (default: all)
  --smoke             very short runs that only prove the pipeline works; writes bench/results/smoke-latest.*
  --skip-portkey      do not install or run the Portkey gateway
  --profile           also profile Switchyard under load with --cpu-prof and list the top self-time functions
  --no-autocannon-rate  skip the extra autocannon overallRate run of the fixed-rate scenario
  --keep-work         keep the temporary folder (configs, data, logs of every process)
  --workers N         run Switchyard as \`switchyard start --workers N\` (default: one process)
`;

function positiveNumber(text: string | undefined, name: string, fallback: number): number {
  if (text === undefined) return fallback;
  const value = Number(text);
  if (!Number.isFinite(value) || value <= 0) throw new Error(`--${name}: expected a positive number, got "${text}"\n\n${usage}`);
  return value;
}

function readOptions(argv: string[]) {
  const { values } = parseArgs({
    args: argv,
    options: {
      duration: { type: 'string' },
      connections: { type: 'string' },
      rate: { type: 'string' },
      streams: { type: 'string' },
      scenarios: { type: 'string' },
      smoke: { type: 'boolean', default: false },
      'skip-portkey': { type: 'boolean', default: false },
      profile: { type: 'boolean', default: false },
      'no-autocannon-rate': { type: 'boolean', default: false },
      'keep-work': { type: 'boolean', default: false },
      workers: { type: 'string' },
      help: { type: 'boolean', default: false },
    },
  });
  const smoke = values.smoke === true;
  const chosen = values.scenarios ? values.scenarios.split(',').map((name) => name.trim()) : [...scenarioNames];
  for (const name of chosen) if (!scenarioNames.includes(name as ScenarioName)) throw new Error(`--scenarios: unknown scenario "${name}"\n\n${usage}`);
  const durationSeconds = positiveNumber(values.duration, 'duration', smoke ? 2 : 20);
  return {
    help: values.help === true,
    smoke,
    skipPortkey: values['skip-portkey'] === true,
    profile: values.profile === true,
    keepWork: values['keep-work'] === true,
    scenarios: new Set(chosen as ScenarioName[]),
    durationSeconds,
    connections: Math.round(positiveNumber(values.connections, 'connections', 50)),
    rate: positiveNumber(values.rate, 'rate', 1000),
    streams: Math.round(positiveNumber(values.streams, 'streams', smoke ? 200 : 1000)),
    autocannonRate: values['no-autocannon-rate'] !== true,
    workers: values.workers === undefined ? undefined : Math.round(positiveNumber(values.workers, 'workers', 1)),
  };
}

type Options = ReturnType<typeof readOptions>;

function settingsOf(options: Options): Settings {
  return {
    durationSeconds: options.durationSeconds,
    warmupSeconds: options.smoke ? 0.5 : Math.min(3, Math.max(1, options.durationSeconds / 5)),
    connections: options.connections,
    rate: options.rate,
    autocannonRate: options.autocannonRate,
    streams: options.smoke ? { sequential: 10, concurrency: 5, rounds: 2 } : { sequential: 100, concurrency: 20, rounds: 5 },
    openStreams: { count: options.streams, chunkDelayMs: options.smoke ? 20 : 60 },
    log: (line) => process.stdout.write(`${line}\n`),
  };
}

async function plainChat(target: Target, model: string): Promise<void> {
  let response: Response;
  try {
    response = await fetch(target.url, { method: 'POST', headers: target.headers, body: chatBody(model), signal: AbortSignal.timeout(10_000) });
  } catch (error) {
    const cause = (error as { cause?: { message?: string } }).cause?.message ?? (error as Error).message;
    throw new Error(`${target.name} did not answer a plain chat request at ${target.url}: ${cause}; see ${target.child.logFile}`);
  }
  const text = await response.text();
  if (!response.ok) throw new Error(`${target.name} answered ${response.status} to a plain chat request: ${text.slice(0, 300)}`);
}

/** One request to each target before measuring (three tries), so a broken route fails loudly instead of as a stream of errors. */
async function checkTargets(targets: Target[], model: string): Promise<void> {
  for (const target of targets) {
    for (let attempt = 1; ; attempt += 1) {
      try {
        await plainChat(target, model);
        break;
      } catch (error) {
        if (attempt === 3) throw error;
        await new Promise((resolve) => setTimeout(resolve, 500));
      }
    }
  }
}

function packageVersion(path: string): string {
  try {
    return (JSON.parse(readFileSync(path, 'utf8')) as { version?: string }).version ?? 'unknown';
  } catch {
    return 'unknown';
  }
}

function commandLine(argv: string[]): string {
  const args = argv.join(' ');
  const script = process.env.npm_lifecycle_event;
  if (script) return `npm run ${script}${args ? ` -- ${args}` : ''}`;
  return `node dist/bench/run-bench.js${args ? ` ${args}` : ''}`;
}

function scenarioSetName(options: Options): string {
  const all = scenarioNames.every((name) => options.scenarios.has(name));
  const base = all ? 'full' : [...options.scenarios].join('+');
  return `${base}${options.skipPortkey ? '-no-portkey' : ''}${options.profile ? '-profile' : ''}${options.workers ? `-workers-${options.workers}` : ''}`;
}

async function runScenario(name: string, notes: string[], action: () => Promise<void>): Promise<boolean> {
  process.stdout.write(`\n== ${name}\n`);
  try {
    await action();
    return true;
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    notes.push(`scenario "${name}" failed: ${message}`);
    process.stderr.write(`scenario "${name}" failed: ${message}\n`);
    return false;
  }
}

function errorLines(logFile: string): number {
  if (!existsSync(logFile)) return 0;
  return readFileSync(logFile, 'utf8').split('\n').filter((line) => line.includes('"level":"error"')).length;
}

async function runAll(options: Options, settings: Settings, workDir: string, facts: RunFacts): Promise<{ results: BenchResults; ok: boolean }> {
  const results: BenchResults = {};
  let ok = true;
  const mock = await startMock({ name: 'mock', logDir: workDir });
  const streamMock = await startMock({ name: 'mock-stream', logDir: workDir, chunkDelayMs: 1 });
  const switchyard = await startSwitchyard({ name: 'switchyard', models: [{ model: fastModel, mock }, { model: streamModel, mock: streamMock }, { model: capturedModel, mock, capture: true }, { model: responsesApiModel, mock, api: 'responses' }, { model: translatedModel, mock, providerType: 'vllm' }], workDir, ...(options.workers ? { workers: options.workers } : {}) });
  const targets: Target[] = [directTarget(mock), switchyard];
  if (!options.skipPortkey) {
    facts.versions['@portkey-ai/gateway'] = ensurePortkey(settings.log);
    targets.push(await startPortkey({ mock, workDir }));
  }
  await checkTargets(targets, fastModel);
  const has = (name: ScenarioName) => options.scenarios.has(name);
  if (has('throughput') || has('ledger')) {
    const measured = has('throughput') ? targets : [switchyard];
    const done = await runScenario('1. maximum throughput' + (has('ledger') ? ' (+ 5. ledger integrity)' : ''), facts.notes, async () => {
      results.throughput = await maxThroughput(settings, measured, has('ledger') ? switchyard : undefined);
    });
    ok = done && ok;
  }
  if (has('rate')) ok = (await runScenario('2. fixed rate', facts.notes, async () => void (results.rate = await fixedRate(settings, targets)))) && ok;
  if (has('streaming')) ok = (await runScenario('3. streaming', facts.notes, async () => void (results.streaming = await streamingLatency(settings, targets.map((target) => viaUpstream(target, streamMock)))))) && ok;
  if (has('ingress')) ok = (await runScenario('6. Responses ingress against chat ingress', facts.notes, async () => void (results.ingress = await ingressCost(settings, switchyard, options.smoke ? 1 : 3)))) && ok;
  if (has('capture')) ok = (await runScenario('7. capture at 100% against capture off', facts.notes, async () => void (results.capture = await captureCost(settings, switchyard, options.smoke ? 1 : 5)))) && ok;
  if (has('observability')) ok = (await runScenario('8. metrics and tracing on against both off', facts.notes, async () => void (results.observability = await observabilityCost(settings, mock, workDir, options.smoke ? 1 : observabilityRounds(settings.durationSeconds), options.smoke ? 1 : observabilityProcesses)))) && ok;
  const gatewayErrors = errorLines(switchyard.child.logFile);
  if (gatewayErrors > 0) facts.notes.push(`Switchyard logged ${gatewayErrors} error lines during the scenarios on the shared gateway.`);
  await stopAll();
  if (has('open-streams')) ok = (await runScenario('4. concurrent open streams', facts.notes, async () => void (results.openStreams = await concurrentStreams(settings, workDir)))) && ok;
  if (options.profile) {
    const done = await runScenario('profile', facts.notes, async () => {
      results.profiles = [];
      mkdirSync(join(repoRoot, 'bench', 'results'), { recursive: true });
      for (const workload of ['throughput', 'responses', 'open-streams'] as const) {
        const profile = await profileSwitchyard(settings, workDir, workload);
        const kept = join(repoRoot, 'bench', 'results', `${facts.startedAt.slice(0, 10)}-switchyard-${workload}.cpuprofile`);
        copyFileSync(profile.file, kept);
        results.profiles.push({ ...profile, file: `bench/results/${basename(kept)}` });
      }
    });
    ok = done && ok;
  }
  return { results, ok };
}

async function main(argv: string[]): Promise<number> {
  const options = readOptions(argv);
  if (options.help) {
    process.stdout.write(usage);
    return 0;
  }
  const settings = settingsOf(options);
  const workDir = mkdtempSync(join(tmpdir(), 'switchyard-bench-'));
  const facts: RunFacts = {
    startedAt: new Date().toISOString(),
    loadAverageAtStart: loadavg().map((value) => Number(value.toFixed(2))),
    commandLine: commandLine(argv),
    scenarioSet: options.smoke ? 'smoke' : scenarioSetName(options),
    smoke: options.smoke,
    settings: { durationSeconds: settings.durationSeconds, warmupSeconds: settings.warmupSeconds, connections: settings.connections, rate: settings.rate, streams: settings.streams, openStreams: settings.openStreams },
    versions: { switchyard: packageVersion(join(repoRoot, 'package.json')), autocannon: packageVersion(join(repoRoot, 'node_modules', 'autocannon', 'package.json')) },
    notes: [],
  };
  process.stdout.write(`Switchyard benchmark (${facts.scenarioSet}); work folder ${workDir}\n`);
  const machine = watchMachine();
  let outcome: { results: BenchResults; ok: boolean } = { results: {}, ok: false };
  try {
    outcome = await runAll(options, settings, workDir, facts);
  } catch (error) {
    facts.notes.push(`the run stopped early: ${error instanceof Error ? error.message : String(error)}`);
    process.stderr.write(`benchmark failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  } finally {
    await stopAll();
    if (options.keepWork) process.stdout.write(`kept ${workDir}\n`);
    else rmSync(workDir, { recursive: true, force: true });
  }
  // The work folder is gone after the run (unless --keep-work): name it, not its temporary path.
  facts.notes = facts.notes.map((note) => note.replaceAll(workDir, '<work folder>'));
  const other = machine.stop();
  if (other) {
    facts.otherCpu = other;
    const warnings = [
      ...(other.shareOfMachine > 0.05 ? [`Other processes on this machine used ${other.otherCpuSeconds} CPU-seconds during the run (${(other.shareOfMachine * 100).toFixed(1)}% of all cores); they competed with the benchmark, so treat the figures with care.`] : []),
      ...(other.stealShare > 0.05 ? [`The hypervisor stole ${other.stealCpuSeconds} CPU-seconds during the run (${(other.stealShare * 100).toFixed(1)}% of all cores); the benchmark waited for its cores meanwhile, so treat the figures with care.`] : []),
    ];
    for (const warning of warnings) {
      facts.notes.push(warning);
      process.stdout.write(`warning: ${warning}\n`);
    }
  }
  if (options.smoke) facts.notes.push('Smoke runs overwrite bench/results/smoke-latest.md and .json (ignored by git).');
  const baseName = options.smoke ? 'smoke-latest' : `${facts.startedAt.slice(0, 10)}-${facts.scenarioSet}`;
  const written = writeReport(outcome.results, facts, join(repoRoot, 'bench', 'results'), baseName);
  const caveat = options.smoke ? 'Smoke run: the runs are too short for these figures and verdicts to mean anything.\n' : '';
  process.stdout.write(`\n${caveat}${summaryLines(outcome.results).join('\n')}\n\nReport: ${written.markdown}\n        ${written.json}\n`);
  return outcome.ok ? 0 : 1;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  },
);
