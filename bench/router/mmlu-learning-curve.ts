/**
 * How the router does with little data: for each fold of whole MMLU subjects, `trainRouter` (CLI defaults) learns
 * from a seeded sample of N rows of the other subjects and scores every row of this fold.
 * With `--split random`, the data set is instead sampled at random (3 seeds): N rows train, 3,000 others score, as
 * when a team trains on part of one benchmark and routes the rest; each family is trained as well as `auto`.
 * Usage: node dist/bench/router/mmlu-learning-curve.js DATA_DIR [--sizes 150,400,1000,3000] [--min-leaf N] [--split random]
 */
import { routingFigures, type Outcome } from '../../src/routing/router/apgr.js';
import { seededRandom, shuffled } from '../../src/routing/router/linear-model.js';
import { RouterModel } from '../../src/routing/router/router-model.js';
import { routerFamilies } from '../../src/routing/router/train-families.js';
import { trainRouter } from '../../src/routing/router/train-router.js';
import { figureLine, groupedSplit } from './grouped-split.js';
import { strongModel, weakModel } from './mmlu-data.js';

function flag(name: string): string | undefined {
  const index = process.argv.indexOf(`--${name}`);
  return index < 0 ? undefined : process.argv[index + 1];
}

const families = ['auto', ...routerFamilies] as const;

function randomSplit(directory: string, sizes: number[]): void {
  const { rows, outcomes } = groupedSplit(directory);
  process.stdout.write(`| training rows | ${families.join(' | ')} | prompt length | auto chose |\n|---|${families.map(() => '---|').join('')}---|---|\n`);
  for (const size of sizes) {
    const figures = new Map<string, number[]>([...families, 'length'].map((name) => [name, []]));
    const chosen: string[] = [];
    for (let seed = 1; seed <= 3; seed += 1) {
      const order = Array.from(shuffled(rows.length, seededRandom(100 * size + seed)));
      const train = order.slice(0, size).map((index) => ({ prompt: rows[index]?.prompt as string, scores: { [strongModel]: rows[index]?.strong as number, [weakModel]: rows[index]?.weak as number }, line: index + 1 }));
      const test = order.slice(size, size + 3_000);
      const testOutcomes = test.map((index) => outcomes[index] as Outcome);
      figures.get('length')?.push(routingFigures(test.map((index) => rows[index]?.prompt.length as number), testOutcomes).apgr);
      for (const family of families) {
        const trained = trainRouter(train, { source: `seed ${seed}`, family });
        if (family === 'auto') chosen.push(trained.file.family ?? 'linear');
        const model = new RouterModel(trained.file);
        figures.get(family)?.push(routingFigures(test.map((index) => model.score(rows[index]?.prompt as string)), testOutcomes).apgr);
      }
    }
    const cell = (values: number[]) => `${(values.reduce((sum, value) => sum + value, 0) / values.length).toFixed(3)} (${values.map((value) => value.toFixed(3)).join(', ')})`;
    process.stdout.write(`| ${size} | ${[...families, 'length'].map((name) => cell(figures.get(name) ?? [])).join(' | ')} | ${chosen.join(', ')} |\n`);
  }
}

function main(): void {
  const directory = process.argv[2];
  if (!directory) throw new Error('Usage: mmlu-learning-curve DATA_DIR [--sizes 150,400,1000,3000] [--min-leaf N]');
  const sizes = (flag('sizes') ?? '150,400,1000,3000').split(',').map(Number);
  const minLeaf = flag('min-leaf') === undefined ? undefined : Number(flag('min-leaf'));
  if (flag('split') === 'random') return randomSplit(directory, sizes);
  const { rows, folds, outcomes, baselines } = groupedSplit(directory);
  process.stdout.write(`| training rows per fold | APGR | CPT(50%) | CPT(80%) |\n|---|---|---|---|\n${figureLine('prompt length (all rows)', baselines.length)}\n`);
  for (const size of sizes) {
    const scores = new Float64Array(rows.length);
    const chosen: string[] = [];
    for (let fold = 0; fold < 5; fold += 1) {
      const pool = rows.flatMap((_, index) => (folds[index] === fold ? [] : [index]));
      const sample = Array.from(shuffled(pool.length, seededRandom(size + fold)).slice(0, size), (position) => pool[position] as number);
      const train = sample.map((index) => ({ prompt: rows[index]?.prompt as string, scores: { [strongModel]: rows[index]?.strong as number, [weakModel]: rows[index]?.weak as number }, line: index + 1 }));
      const trained = trainRouter(train, { source: `fold ${fold + 1}`, ...(minLeaf === undefined ? {} : { trees: { minLeaf } }) });
      chosen.push(trained.file.family ?? 'linear');
      const model = new RouterModel(trained.file);
      rows.forEach((row, index) => {
        if (folds[index] === fold) scores[index] = model.score(row.prompt);
      });
    }
    process.stdout.write(`${figureLine(`${size} (chosen: ${chosen.join(', ')})`, routingFigures(scores, outcomes))}\n`);
  }
}

main();
