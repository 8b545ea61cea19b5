/**
 * How the router does with little data: for each fold of whole MMLU subjects, `trainRouter` (CLI defaults) learns
 * from a seeded sample of N rows of the other subjects and scores every row of this fold.
 * Usage: node dist/bench/router/mmlu-learning-curve.js DATA_DIR [--sizes 150,400,1000,3000] [--min-leaf N]
 */
import { routingFigures } from '../../src/routing/router/apgr.js';
import { seededRandom, shuffled } from '../../src/routing/router/linear-model.js';
import { RouterModel } from '../../src/routing/router/router-model.js';
import { trainRouter } from '../../src/routing/router/train-router.js';
import { figureLine, groupedSplit } from './grouped-split.js';
import { strongModel, weakModel } from './mmlu-data.js';

function flag(name: string): string | undefined {
  const index = process.argv.indexOf(`--${name}`);
  return index < 0 ? undefined : process.argv[index + 1];
}

function main(): void {
  const directory = process.argv[2];
  if (!directory) throw new Error('Usage: mmlu-learning-curve DATA_DIR [--sizes 150,400,1000,3000] [--min-leaf N]');
  const sizes = (flag('sizes') ?? '150,400,1000,3000').split(',').map(Number);
  const minLeaf = flag('min-leaf') === undefined ? undefined : Number(flag('min-leaf'));
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
