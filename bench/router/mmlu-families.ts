/**
 * Grouped-by-subject cross-validation of model families on RouteLLM's MMLU outcomes: the linear model, boosted trees
 * over prompt-shape features, trees stacked on the linear score, a kNN, and rank averages.
 * Usage: node dist/bench/router/mmlu-families.js DATA_DIR [family ...] (without names: all, the kNN ones alone take
 * about a quarter of an hour on 2 cores)
 */
import { routingFigures } from '../../src/routing/router/apgr.js';
import { defaultTreeOptions, predictTrees, trainTrees, type TreeTrainOptions } from '../../src/routing/router/boosted-trees.js';
import { defaultFeatureOptions, dimensionOf, featurize, truncatePrompt, type SparseVector } from '../../src/routing/router/features.js';
import { defaultLinearOptions, dot, seededRandom, shuffled, sigmoid, trainLogistic } from '../../src/routing/router/linear-model.js';
import { promptShape, shapeDimension } from '../../src/routing/router/prompt-shape.js';
import { countWordRarity } from '../../src/routing/router/word-rarity.js';
import { groupedSplit, figureLine, ranks } from './grouped-split.js';
import type { MmluRow } from './mmlu-data.js';

const features = defaultFeatureOptions;

function linearScores(vectors: SparseVector[], labels: Float64Array, train: number[], test: number[]): Float64Array {
  const head = trainLogistic(train.map((row) => vectors[row] as SparseVector), train.map((row) => labels[row] as number), { ...defaultLinearOptions, dimension: dimensionOf(features) });
  return Float64Array.from(test, (row) => sigmoid(dot(head, vectors[row] as SparseVector)));
}

/** Out-of-fold linear scores of the training rows, from random inner folds. */
function innerLinear(vectors: SparseVector[], labels: Float64Array, train: number[], folds: number): Float64Array {
  const scores = new Float64Array(vectors.length);
  const order = shuffled(train.length, seededRandom(5));
  for (let fold = 0; fold < folds; fold += 1) {
    const inner = train.filter((_, position) => (order[position] as number) % folds !== fold);
    const held = train.filter((_, position) => (order[position] as number) % folds === fold);
    linearScores(vectors, labels, inner, held).forEach((score, index) => {
      scores[held[index] as number] = score;
    });
  }
  return scores;
}



interface Context {
  rows: MmluRow[];
  folds: number[];
  vectors: SparseVector[];
  labels: Float64Array;
}

function shapesFor(context: Context, train: number[]): Float64Array[] {
  const rarity = countWordRarity(train.map((row) => truncatePrompt((context.rows[row] as MmluRow).prompt, features.maxChars)));
  return context.rows.map((row) => promptShape(truncatePrompt(row.prompt, features.maxChars), {}, rarity, new Float64Array(shapeDimension)));
}

type Family = (context: Context, train: number[], test: number[]) => Float64Array;

function treesFamily(options: Partial<TreeTrainOptions>, stacked: boolean): Family {
  return (context, train, test) => {
    const shapes = shapesFor(context, train);
    let inputs = shapes;
    if (stacked) {
      const inner = innerLinear(context.vectors, context.labels, train, 4);
      const outer = linearScores(context.vectors, context.labels, train, test);
      test.forEach((row, index) => {
        inner[row] = outer[index] as number;
      });
      inputs = shapes.map((shape, row) => Float64Array.from([...shape, inner[row] as number]));
    }
    const model = trainTrees(train.map((row) => inputs[row] as Float64Array), train.map((row) => context.labels[row] as number), { ...defaultTreeOptions, ...options });
    return Float64Array.from(test, (row) => predictTrees(model, inputs[row] as Float64Array));
  };
}

const projectionDimension = 128;

/** A dense, unit-length random projection of a hashed vector: cosine similarity survives it approximately. */
function project(vector: SparseVector): Float64Array {
  const out = new Float64Array(projectionDimension);
  for (let index = 0; index < vector.length; index += 1) {
    let hash = Math.imul((vector.indices[index] as number) ^ 0x9e3779b9, 0x85ebca6b);
    const value = vector.values[index] as number;
    for (let dimension = 0; dimension < projectionDimension; dimension += 32) {
      hash = Math.imul(hash ^ (hash >>> 13), 0xc2b2ae35);
      for (let bit = 0; bit < 32; bit += 1) out[dimension + bit] = (out[dimension + bit] as number) + ((hash >>> bit) & 1 ? value : -value);
    }
  }
  let norm = 0;
  for (const value of out) norm += value * value;
  norm = Math.sqrt(norm) || 1;
  for (let dimension = 0; dimension < projectionDimension; dimension += 1) out[dimension] = (out[dimension] as number) / norm;
  return out;
}

let projections: Float64Array[] | undefined;
const nearestLimit = 200;
/** Per held-out row, the gain labels of its nearest training prompts, nearest first (the folds never change). */
const nearestLabels = new Map<number, Float64Array>();

function neighboursOf(context: Context, train: number[], row: number): Float64Array {
  const cached = nearestLabels.get(row);
  if (cached) return cached;
  projections ??= context.vectors.map(project);
  const query = projections[row] as Float64Array;
  const similarities = Float64Array.from(train, (other) => {
    const candidate = (projections as Float64Array[])[other] as Float64Array;
    let sum = 0;
    for (let dimension = 0; dimension < projectionDimension; dimension += 1) sum += (query[dimension] as number) * (candidate[dimension] as number);
    return sum;
  });
  const cut = Float64Array.from(similarities).sort()[train.length - nearestLimit] as number;
  const nearest = train.flatMap((other, position) => ((similarities[position] as number) >= cut ? [{ other, similarity: similarities[position] as number }] : []));
  nearest.sort((left, right) => right.similarity - left.similarity);
  const labels = Float64Array.from(nearest.slice(0, nearestLimit), (entry) => context.labels[entry.other] as number);
  nearestLabels.set(row, labels);
  return labels;
}

/** Mean gain label of the k most cosine-similar training prompts. */
function knnFamily(k: number): Family {
  return (context, train, test) =>
    Float64Array.from(test, (row) => {
      const labels = neighboursOf(context, train, row);
      let sum = 0;
      for (let index = 0; index < k; index += 1) sum += labels[index] as number;
      return sum / k;
    });
}

const families: Record<string, Family> = {
  'knn-10': knnFamily(10),
  'knn-50': knnFamily(50),
  'knn-200': knnFamily(200),
  linear: (context, train, test) => linearScores(context.vectors, context.labels, train, test),
  'trees-shape': treesFamily({}, false),
  'trees-shape-300-d4': treesFamily({ trees: 300, depth: 4 }, false),
  'trees-stacked': treesFamily({}, true),
};

/** `trees:depth=2,trees=100` (shape features) or `stacked:...` (plus the linear score), with tree options. */
function parsedFamily(name: string): Family | undefined {
  const match = /^(trees|stacked):(.*)$/.exec(name);
  if (!match) return undefined;
  const options = Object.fromEntries((match[2] as string).split(',').filter(Boolean).map((pair) => {
    const [key, value] = pair.split('=');
    return [key as string, Number(value)];
  }));
  return treesFamily(options, match[1] === 'stacked');
}

function main(): void {
  const [directory, ...chosen] = process.argv.slice(2);
  if (!directory) throw new Error('Usage: mmlu-families DATA_DIR [family ...]');
  const { rows, folds, outcomes, baselines } = groupedSplit(directory);
  const context: Context = { rows, folds, vectors: rows.map((row) => featurize(row.prompt, {}, features)), labels: Float64Array.from(rows, (row) => (row.strong - row.weak + 1) / 2) };
  const lengthRank = ranks(rows.map((row) => row.prompt.length));
  process.stdout.write(`| family | APGR | CPT(50%) | CPT(80%) |\n|---|---|---|---|\n${figureLine('random', baselines.random)}\n${figureLine('prompt length', baselines.length)}\n`);
  const all: Record<string, Float64Array> = {};
  const selected = chosen.length === 0 ? Object.entries(families) : chosen.map((name) => [name, families[name] ?? parsedFamily(name)] as const);
  for (const [name, family] of selected) {
    if (!family) throw new Error(`unknown family ${name}`);
    const started = Date.now();
    const scores = new Float64Array(rows.length);
    for (let fold = 0; fold < 5; fold += 1) {
      const train = rows.flatMap((_, index) => (folds[index] === fold ? [] : [index]));
      const test = rows.flatMap((_, index) => (folds[index] === fold ? [index] : []));
      const foldScores = ranks(family(context, train, test));
      test.forEach((row, index) => {
        scores[row] = foldScores[index] as number;
      });
    }
    all[name] = scores;
    process.stdout.write(`${figureLine(name, routingFigures(scores, outcomes))} (${((Date.now() - started) / 1000).toFixed(1)} s)\n`);
    for (const weight of [0.2, 0.35, 0.5]) process.stdout.write(`${figureLine(`${name} + length rank ${weight}`, routingFigures(scores.map((score, row) => (1 - weight) * score + weight * (lengthRank[row] as number)), outcomes))}\n`);
  }
  const names = Object.keys(all);
  for (let left = 0; left < names.length; left += 1) {
    for (let right = left + 1; right < names.length; right += 1) {
      const a = all[names[left] as string] as Float64Array;
      const b = all[names[right] as string] as Float64Array;
      process.stdout.write(`${figureLine(`rank mean ${names[left]} + ${names[right]}`, routingFigures(a.map((score, row) => score + (b[row] as number)), outcomes))}\n`);
    }
  }
}

main();
