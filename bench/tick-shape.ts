import { createHook } from 'node:async_hooks';
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { keepTickShape } from '../src/server/tick-shape.js';

/**
 * What `process.nextTick` costs before and after full collections that find no queue entry alive (what the memory
 * reducer does to an idle gateway), without and with src/server/tick-shape.ts holding one entry. Each mode runs in
 * a fresh process with `--expose-gc`; the figure is the best of five timings of 200,000 calls.
 *   node dist/bench/tick-shape.js
 */
type Mode = 'without' | 'with' | 'hook';

/** The other way to hold an entry: from an async hook's `init` event, the hook enabled for one call. */
function keepThroughHook(): object | undefined {
  let entry: object | undefined;
  const hook = createHook({ init: (_id, type, _trigger, resource) => { if (type === 'TickObject') entry ??= resource as object; } });
  hook.enable();
  process.nextTick(() => undefined);
  hook.disable();
  return entry;
}

async function leaf(value: number): Promise<number> {
  return value;
}

/** One `await` of an async function's promise, in ns. */
async function nanosecondsPerAwait(): Promise<number> {
  let best = Number.POSITIVE_INFINITY;
  for (let timing = 0; timing < 5; timing += 1) {
    const started = process.hrtime.bigint();
    let sum = 0;
    for (let index = 0; index < 200_000; index += 1) sum += await leaf(index);
    if (sum < 0) throw new Error('unreachable');
    best = Math.min(best, Number(process.hrtime.bigint() - started) / 200_000);
  }
  return best;
}

function batch(calls: number): Promise<void> {
  return new Promise((resolve) => {
    let left = calls;
    const done = () => {
      left -= 1;
      if (left === 0) resolve();
    };
    for (let index = 0; index < calls; index += 1) process.nextTick(done);
  });
}

async function nanosecondsPerTick(): Promise<number> {
  let best = Number.POSITIVE_INFINITY;
  for (let timing = 0; timing < 5; timing += 1) {
    const started = process.hrtime.bigint();
    for (let round = 0; round < 20; round += 1) await batch(10_000);
    best = Math.min(best, Number(process.hrtime.bigint() - started) / 200_000);
  }
  return best;
}

interface Result {
  mode: Mode;
  before: number;
  after: number;
  later: number;
  awaitBefore: number;
  awaitLater: number;
}

async function measure(mode: Mode): Promise<Result> {
  let kept: object | undefined;
  if (mode === 'with') kept = await keepTickShape();
  if (mode === 'hook') kept = keepThroughHook();
  if (mode !== 'without' && !kept) throw new Error('no nextTick entry was kept');
  const collect = (globalThis as { gc?: () => void }).gc;
  if (!collect) throw new Error('run the measuring process with --expose-gc');
  const before = await nanosecondsPerTick();
  const awaitBefore = await nanosecondsPerAwait();
  for (let index = 0; index < 6; index += 1) {
    collect();
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  const after = await nanosecondsPerTick();
  for (let index = 0; index < 10; index += 1) await nanosecondsPerTick();
  return { mode, before, after, later: await nanosecondsPerTick(), awaitBefore, awaitLater: await nanosecondsPerAwait() };
}

const child = process.argv[2] as Mode | undefined;
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] as number;
if (child) {
  process.stdout.write(JSON.stringify(await measure(child)));
} else {
  const self = fileURLToPath(import.meta.url);
  const repeats = Number(process.env.REPEATS ?? 5);
  const modes = ['without', 'with', 'hook'] as const;
  const results = new Map<Mode, Result[]>(modes.map((mode) => [mode, []]));
  // Fresh processes, the modes in turn, so drift in the machine's speed reaches all of them alike.
  for (let repeat = 0; repeat < repeats; repeat += 1) {
    for (const mode of modes) results.get(mode)?.push(JSON.parse(execFileSync(process.execPath, ['--expose-gc', self, mode], { encoding: 'utf8' })) as Result);
  }
  const cell = (mode: Mode, key: keyof Omit<Result, 'mode'>) => median((results.get(mode) ?? []).map((result) => result[key])).toFixed(1);
  console.log(`Node ${process.version}, medians of ${repeats} fresh processes a mode (each figure the best of five timings of 200,000 calls); command: node dist/bench/tick-shape.js`);
  console.log('nextTick ns a call before full collections with no entry alive, right after, and after 10 million more calls; an await of an async function, ns, at the start and at the end\n');
  console.log('| nextTick entry kept | nextTick before | after | later | await before | await later |\n| --- | --- | --- | --- | --- | --- |');
  const names: Record<Mode, string> = { without: 'no', with: 'yes (keepTickShape)', hook: 'yes, from an async hook' };
  for (const mode of modes) console.log(`| ${names[mode]} | ${cell(mode, 'before')} | ${cell(mode, 'after')} | ${cell(mode, 'later')} | ${cell(mode, 'awaitBefore')} | ${cell(mode, 'awaitLater')} |`);
}
