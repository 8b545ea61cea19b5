/**
 * The router's figures on RouteLLM's MMLU outcomes with whole subjects held out: for each of 5 folds of subjects,
 * `trainRouter` (the code `switchyard router train` runs) learns from the other folds and scores this one.
 * Usage: node dist/bench/router/mmlu-eval.js DATA_DIR [--epochs N] [--l2 X] [--family auto|linear|trees|stacked] [--out FILE.json]
 */
import { writeFileSync } from 'node:fs';
import { baselineFigures, routingFigures, type RoutingFigures } from '../../src/routing/router/apgr.js';
import { RouterModel } from '../../src/routing/router/router-model.js';
import type { RouterFamily } from '../../src/routing/router/train-families.js';
import { trainRouter } from '../../src/routing/router/train-router.js';
import { readMmlu, strongModel, subjectFolds, weakModel } from './mmlu-data.js';

const folds = 5;

function flag(name: string): string | undefined {
  const index = process.argv.indexOf(`--${name}`);
  return index < 0 ? undefined : process.argv[index + 1];
}

function line(name: string, figures: RoutingFigures | { apgr: number; cpt50: number; cpt80: number }): string {
  return `| ${name} | ${figures.apgr.toFixed(3)} | ${(figures.cpt50 * 100).toFixed(1)}% | ${(figures.cpt80 * 100).toFixed(1)}% |`;
}

function main(): void {
  const directory = process.argv[2];
  if (!directory) throw new Error('Usage: mmlu-eval DATA_DIR [--epochs N] [--out FILE.json]');
  const epochs = flag('epochs') === undefined ? undefined : Number(flag('epochs'));
  const l2 = flag('l2') === undefined ? undefined : Number(flag('l2'));
  const family = (flag('family') ?? 'auto') as RouterFamily | 'auto';
  const rows = readMmlu(directory);
  const foldOf = subjectFolds(rows, folds);
  const scores = new Float64Array(rows.length);
  const blends: number[] = [];
  const families: string[] = [];
  const started = Date.now();
  for (let fold = 0; fold < folds; fold += 1) {
    const train = rows.flatMap((row, index) => (foldOf[index] === fold ? [] : [{ prompt: row.prompt, scores: { [strongModel]: row.strong, [weakModel]: row.weak }, line: index + 1 }]));
    const trained = trainRouter(train, { source: `fold ${fold + 1}`, ...(epochs === undefined ? {} : { epochs }), ...(l2 === undefined ? {} : { l2 }), family, onProgress: (message) => process.stderr.write(`fold ${fold + 1}: ${message}\n`) });
    blends.push(trained.file.blend.lengthWeight * trained.file.blend.lengthSign);
    families.push(`${trained.file.family ?? 'linear'} (${JSON.stringify(trained.file.training.families)})`);
    const model = new RouterModel(trained.file);
    rows.forEach((row, index) => {
      if (foldOf[index] === fold) scores[index] = model.score(row.prompt);
    });
  }
  const outcomes = rows.map((row) => ({ strong: row.strong, weak: row.weak }));
  const router = routingFigures(scores, outcomes);
  const baselines = baselineFigures(rows.map((row) => row.prompt), outcomes);
  const routeLlm = { apgr: 0.603, cpt50: 0.354, cpt80: 0.716 };
  const table = ['| router | APGR | CPT(50%) | CPT(80%) |', '|---|---|---|---|', line('random', baselines.random), line('prompt length', baselines.length), line('RouteLLM best (published)', routeLlm), line('switchyard router', router)].join('\n');
  process.stdout.write(`${rows.length} rows, ${folds} folds of whole subjects, ${((Date.now() - started) / 1000).toFixed(0)} s; length weights per fold: ${blends.join(', ')}\nfamilies chosen per fold: ${families.join('; ')}\n${table}\n`);
  const out = flag('out');
  if (out) writeFileSync(out, `${JSON.stringify({ rows: rows.length, folds, epochs: epochs ?? 'default', family, lengthWeights: blends, families, router, random: baselines.random, length: baselines.length, routeLlm }, null, 2)}\n`);
}

main();
