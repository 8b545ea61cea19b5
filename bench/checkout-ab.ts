import { existsSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { runAutocannon } from './load.js';
import { addRun, emptyLoadRow, rowThroughput, type LoadRow } from './load-rows.js';
import { sampleProcess, stopAll, watchMachine } from './processes.js';
import { machineFacts } from './report.js';
import { chatBody, fastModel } from './scenarios.js';
import { repoRoot, startMock, startSwitchyard, type SwitchyardTarget } from './targets.js';

/**
 * This build against another built checkout (for example the previous commit, in a worktree): plain gateways of
 * each on one mock, identical configs, measured in turn for closed-loop runs of a few seconds, so both see the
 * machine alike. Each build has several processes, as identical processes differ; every process sits idle while the
 * others run, as gateways between bursts do, and all sit idle for `idle` seconds after the warm-up.
 *   node dist/bench/checkout-ab.js <other checkout> [processes=3] [rounds=24] [seconds=2] [idle=20]
 * Writes bench/results/<date>-checkout-ab.md.
 */
const [otherArgument, processesArgument, roundsArgument, secondsArgument, idleArgument] = process.argv.slice(2);
if (!otherArgument) {
  console.error('usage: node dist/bench/checkout-ab.js <other checkout, built> [processes] [rounds] [seconds] [idle seconds]');
  process.exit(2);
}
const other = resolve(otherArgument);
if (!existsSync(join(other, 'dist', 'src'))) {
  console.error(`${other} has no dist/src: build it first (npm install && npx tsc -p tsconfig.json there)`);
  process.exit(2);
}
const processes = Number(processesArgument ?? 3);
const rounds = Number(roundsArgument ?? 24);
const seconds = Number(secondsArgument ?? 2);
const idleSeconds = Number(idleArgument ?? 20);
const connections = 50;
const work = mkdtempSync(join(tmpdir(), 'switchyard-checkout-ab-'));

type Build = 'other' | 'this';
interface ProcessRow extends LoadRow {
  build: Build;
  process: number;
}

const cpuMicros = (row: LoadRow) => (row.cpuSeconds === undefined || row.requests === 0 ? Number.NaN : (row.cpuSeconds * 1e6) / row.requests);

async function main(): Promise<void> {
  const machine = watchMachine();
  const mock = await startMock({ name: 'mock', logDir: work });
  const builds: Record<Build, string> = { other, this: repoRoot };
  const targets: Array<{ build: Build; target: SwitchyardTarget; row: ProcessRow }> = [];
  for (let index = 0; index < processes; index += 1) {
    for (const build of ['other', 'this'] as const) {
      const target = await startSwitchyard({ name: `${build}-${index + 1}`, root: builds[build], models: [{ model: fastModel, mock }], workDir: work, env: { OTEL_SDK_DISABLED: 'true' } });
      targets.push({ build, target, row: { build, process: index + 1, ...emptyLoadRow() } });
    }
  }
  const load = (target: SwitchyardTarget, durationSeconds: number) => runAutocannon({ url: target.url, headers: target.headers, body: chatBody(fastModel), connections, durationSeconds });
  for (const each of targets) await load(each.target, 3);
  await new Promise((done) => setTimeout(done, idleSeconds * 1_000));
  const totals: Record<Build, LoadRow> = { other: emptyLoadRow(), this: emptyLoadRow() };
  for (let round = 0; round < rounds; round += 1) {
    // Each pair of processes runs in both orders alike.
    const index = round % processes;
    const pair = targets.filter((each) => each.row.process === index + 1);
    const order = Math.floor(round / processes) % 2 === 0 ? pair : [...pair].reverse();
    for (const each of order) {
      const before = sampleProcess(each.target.child.pid)?.cpuSeconds;
      const result = await load(each.target, seconds);
      const cpu = { before, after: sampleProcess(each.target.child.pid)?.cpuSeconds };
      addRun(each.row, result, cpu);
      addRun(totals[each.build], result, cpu);
    }
  }
  const use = machine.stop();
  await stopAll();
  const facts = machineFacts();
  const rate = (build: Build) => rowThroughput(totals[build]);
  const difference = (rate('this') / rate('other') - 1) * 100;
  const lines = [
    `# This build against another checkout, plain gateways (${new Date().toISOString()})`,
    '',
    `Command: \`node dist/bench/checkout-ab.js <other checkout> ${processes} ${rounds} ${seconds} ${idleSeconds}\` (${processes} processes a build, ${rounds} rounds of ${seconds} s at ${connections} connections for each build, ${idleSeconds} s idle after the warm-up)`,
    '',
    `Machine: ${facts.cpuModel} × ${facts.cpuCount}, Node ${facts.node}. ${use ? `Other processes used ${(use.shareOfMachine * 100).toFixed(1)}% of the machine and the hypervisor stole ${(use.stealShare * 100).toFixed(1)}%.` : ''}`,
    '',
    '| build | answered | req/s | gateway CPU µs per request |',
    '| --- | --- | --- | --- |',
    ...(['other', 'this'] as const).map((build) => `| ${build} | ${totals[build].requests} | ${rate(build).toFixed(0)} | ${cpuMicros(totals[build]).toFixed(1)} |`),
    '',
    `This build: ${difference >= 0 ? '+' : ''}${difference.toFixed(1)}% requests per second.`,
    '',
    '| build | process | answered | req/s | gateway CPU µs per request |',
    '| --- | --- | --- | --- | --- |',
    ...targets.map(({ build, row }) => `| ${build} | ${row.process} | ${row.requests} | ${rowThroughput(row).toFixed(0)} | ${cpuMicros(row).toFixed(1)} |`),
    '',
  ];
  const directory = join(repoRoot, 'bench', 'results');
  mkdirSync(directory, { recursive: true });
  const file = join(directory, `${new Date().toISOString().slice(0, 10)}-checkout-ab.md`);
  writeFileSync(file, lines.join('\n'));
  console.log(lines.join('\n'));
  console.log(`Report: ${file}`);
}

await main();
