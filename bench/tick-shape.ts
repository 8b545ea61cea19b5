import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { keepTickShape } from '../src/server/tick-shape.js';

/**
 * What `process.nextTick` costs before and after full collections that find no queue entry alive (what the memory
 * reducer does to an idle gateway), without and with src/server/tick-shape.ts holding one entry. Each mode runs in
 * a fresh process with `--expose-gc`; the figure is the best of five timings of 200,000 calls.
 *   node dist/bench/tick-shape.js
 */
type Mode = 'without' | 'with';

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

async function measure(mode: Mode): Promise<{ mode: Mode; before: number; after: number; later: number }> {
  if (mode === 'with') keepTickShape();
  const collect = (globalThis as { gc?: () => void }).gc;
  if (!collect) throw new Error('run the measuring process with --expose-gc');
  const before = await nanosecondsPerTick();
  for (let index = 0; index < 6; index += 1) {
    collect();
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  const after = await nanosecondsPerTick();
  for (let index = 0; index < 10; index += 1) await nanosecondsPerTick();
  return { mode, before, after, later: await nanosecondsPerTick() };
}

const child = process.argv[2] as Mode | undefined;
if (child) {
  process.stdout.write(JSON.stringify(await measure(child)));
} else {
  const self = fileURLToPath(import.meta.url);
  console.log(`nextTick, ns a call (Node ${process.version}): before full collections, right after, and after 10 million more calls`);
  console.log('| entry kept | before | after | later |\n| --- | --- | --- | --- |');
  for (const mode of ['without', 'with'] as const) {
    const result = JSON.parse(execFileSync(process.execPath, ['--expose-gc', self, mode], { encoding: 'utf8' })) as Awaited<ReturnType<typeof measure>>;
    console.log(`| ${mode === 'with' ? 'yes' : 'no'} | ${result.before.toFixed(1)} | ${result.after.toFixed(1)} | ${result.later.toFixed(1)} |`);
  }
}
