/**
 * Grouped-by-subject cross-validation of router variants on RouteLLM's MMLU outcomes.
 * Usage: node dist/bench/router/mmlu-experiments.js DATA_DIR [variant ...]
 */
import { routingFigures } from '../../src/routing/router/apgr.js';
import { defaultFeatureOptions, dimensionOf, featurize, type FeatureOptions, type SparseVector } from '../../src/routing/router/features.js';
import { defaultLinearOptions, dot, sigmoid, trainLogistic } from '../../src/routing/router/linear-model.js';
import { groupedSplit, figureLine, ranks } from './grouped-split.js';
import type { MmluRow } from './mmlu-data.js';

type Target = 'gain' | 'gain-binary' | 'weak-fail' | 'two-heads';

interface Variant {
  name: string;
  features: FeatureOptions;
  target: Target;
  epochs?: number;
  l2?: number;
  learningRate?: number;
}

const base = defaultFeatureOptions;
const fast: FeatureOptions = { ...base, charNgrams: [4] };
export const variants: Variant[] = [
  { name: 'fast', features: fast, target: 'gain' },
  { name: 'fast-binary', features: fast, target: 'gain-binary' },
  { name: 'fast-l2-1e-3', features: fast, target: 'gain', l2: 1e-3 },
  { name: 'fast-epochs-2', features: fast, target: 'gain', epochs: 2 },
  { name: 'fast-lr-0.05', features: fast, target: 'gain', learningRate: 0.05 },
  { name: 'words-1', features: { ...base, wordNgrams: 1, charNgrams: [], structure: false }, target: 'gain' },
  { name: 'words-1-2', features: { ...base, charNgrams: [], structure: false }, target: 'gain' },
  { name: 'words+chars', features: { ...base, structure: false }, target: 'gain' },
  { name: 'all', features: base, target: 'gain' },
  { name: 'all-weak-fail', features: base, target: 'weak-fail' },
  { name: 'all-two-heads', features: base, target: 'two-heads' },
  { name: 'all-l2-1e-4', features: base, target: 'gain', l2: 1e-4 },
  { name: 'all-l2-1e-3', features: base, target: 'gain', l2: 1e-3 },
  { name: 'all-epochs-1', features: base, target: 'gain', epochs: 1 },
  { name: 'all-gain-binary', features: base, target: 'gain-binary' },
  { name: 'all-l2-1e-6', features: base, target: 'gain', l2: 1e-6 },
  { name: 'all-epochs-2', features: base, target: 'gain', epochs: 2 },
  { name: 'all-epochs-12', features: base, target: 'gain', epochs: 12 },
  { name: 'all-lr-0.05', features: base, target: 'gain', learningRate: 0.05 },
  { name: 'all-bits-16', features: { ...base, bits: 16 }, target: 'gain' },
  { name: 'chars-2-4', features: { ...base, charNgrams: [2, 3, 4] }, target: 'gain' },
  { name: 'structure-only', features: { ...base, wordNgrams: 0, charNgrams: [] }, target: 'gain' },
];

function labelsFor(rows: MmluRow[], target: Target): Array<{ labels: number[]; sign: number }> {
  if (target === 'gain') return [{ labels: rows.map((row) => (row.strong - row.weak + 1) / 2), sign: 1 }];
  if (target === 'gain-binary') return [{ labels: rows.map((row) => (row.strong > row.weak ? 1 : 0)), sign: 1 }];
  if (target === 'weak-fail') return [{ labels: rows.map((row) => 1 - row.weak), sign: 1 }];
  return [{ labels: rows.map((row) => row.strong), sign: 1 }, { labels: rows.map((row) => row.weak), sign: -1 }];
}

const vectorCache = new Map<string, SparseVector[]>();

function vectorsOf(rows: MmluRow[], features: FeatureOptions): SparseVector[] {
  const key = JSON.stringify(features);
  const cached = vectorCache.get(key);
  if (cached) return cached;
  const vectors = rows.map((row) => featurize(row.prompt, {}, features));
  vectorCache.set(key, vectors);
  return vectors;
}

function crossValidate(rows: MmluRow[], folds: number[], variant: Variant): Float64Array {
  const vectors = vectorsOf(rows, variant.features);
  const scores = new Float64Array(rows.length);
  const foldCount = Math.max(...folds) + 1;
  for (let fold = 0; fold < foldCount; fold += 1) {
    const train = rows.flatMap((row, index) => (folds[index] === fold ? [] : [index]));
    const test = rows.flatMap((row, index) => (folds[index] === fold ? [index] : []));
    for (const head of labelsFor(train.map((index) => rows[index] as MmluRow), variant.target)) {
      const model = trainLogistic(train.map((index) => vectors[index] as SparseVector), head.labels, {
        dimension: dimensionOf(variant.features),
        epochs: variant.epochs ?? defaultLinearOptions.epochs,
        learningRate: variant.learningRate ?? defaultLinearOptions.learningRate,
        l2: variant.l2 ?? defaultLinearOptions.l2,
        seed: defaultLinearOptions.seed,
      });
      for (const index of test) scores[index] = (scores[index] as number) + head.sign * sigmoid(dot(model, vectors[index] as SparseVector));
    }
  }
  return scores;
}



function main(): void {
  const [directory, ...chosen] = process.argv.slice(2);
  if (!directory) throw new Error('Usage: mmlu-experiments DATA_DIR [variant ...]');
  const { rows, folds, outcomes, baselines } = groupedSplit(directory);
  process.stdout.write(`${rows.length} rows, strong ${baselines.random.strongMean.toFixed(4)}, weak ${baselines.random.weakMean.toFixed(4)}\n`);
  process.stdout.write('| router | APGR | CPT(50%) | CPT(80%) |\n|---|---|---|---|\n');
  process.stdout.write(`${figureLine('random', baselines.random)}\n${figureLine('prompt length', baselines.length)}\n`);
  for (const variant of variants.filter((entry) => chosen.length === 0 || chosen.includes(entry.name))) {
    const started = Date.now();
    const scores = crossValidate(rows, folds, variant);
    process.stdout.write(`${figureLine(variant.name, routingFigures(scores, outcomes))} (${((Date.now() - started) / 1000).toFixed(1)} s)\n`);
    const lengthRank = ranks(rows.map((row) => row.prompt.length));
    const modelRank = ranks(Array.from(scores));
    process.stdout.write(`${figureLine(`${variant.name} + length rank`, routingFigures(modelRank.map((rank, index) => rank + (lengthRank[index] as number)), outcomes))}\n`);
  }
}

main();
