import { defaultTreeOptions, predictTrees, trainTrees, type DenseRows, type TreeTrainOptions } from './boosted-trees.js';
import type { SparseVector } from './features.js';
import { dot, sigmoid, trainLogistic, type LinearTrainOptions } from './linear-model.js';
import { promptShape, shapeDimension } from './prompt-shape.js';
import type { WordRarity } from './word-rarity.js';

/**
 * The model families a router can use, chosen per data set on held-out scores:
 * - `linear`: logistic regression over hashed n-grams and structure;
 * - `trees`: boosted trees over the prompt-shape features (no n-grams: nothing tied to a topic's words);
 * - `stacked`: boosted trees over the shape features plus the linear model's score.
 */
export const routerFamilies = ['linear', 'trees', 'stacked'] as const;
export type RouterFamily = (typeof routerFamilies)[number];

export interface Folds {
  foldOf: Int32Array;
  count: number;
}

function rowsOfFold(folds: Folds, fold: number, inside: boolean): number[] {
  const rows: number[] = [];
  for (let row = 0; row < folds.foldOf.length; row += 1) if ((folds.foldOf[row] === fold) === inside) rows.push(row);
  return rows;
}

/** Each row's linear score from the model trained without its fold. */
export function outOfFoldLinear(vectors: SparseVector[], labels: ArrayLike<number>, folds: Folds, options: LinearTrainOptions & { progress: (message: string) => void }): Float64Array {
  const scores = new Float64Array(vectors.length);
  for (let fold = 0; fold < folds.count; fold += 1) {
    const train = rowsOfFold(folds, fold, false);
    const head = trainLogistic(train.map((row) => vectors[row] as SparseVector), train.map((row) => labels[row] as number), options);
    for (const row of rowsOfFold(folds, fold, true)) scores[row] = sigmoid(dot(head, vectors[row] as SparseVector));
    options.progress(`linear: held-out fold ${fold + 1}/${folds.count} trained`);
  }
  return scores;
}

/** Each row's tree score from the trees grown without its fold. */
export function outOfFoldTrees(inputs: DenseRows, labels: ArrayLike<number>, folds: Folds, settings: { options: TreeTrainOptions; progress: (message: string) => void }): Float64Array {
  const scores = new Float64Array(inputs.length);
  for (let fold = 0; fold < folds.count; fold += 1) {
    const train = rowsOfFold(folds, fold, false);
    const trees = trainTrees(train.map((row) => inputs[row] as Float64Array), train.map((row) => labels[row] as number), settings.options);
    for (const row of rowsOfFold(folds, fold, true)) scores[row] = predictTrees(trees, inputs[row] as Float64Array);
    settings.progress(`trees: held-out fold ${fold + 1}/${folds.count} trained`);
  }
  return scores;
}

/** Leaves of at least 40 rows, fewer on small data sets so that a few hundred rows still grow splits. */
export function treeOptionsFor(rows: number): TreeTrainOptions {
  return { ...defaultTreeOptions, minLeaf: Math.max(5, Math.min(defaultTreeOptions.minLeaf, Math.round(rows / 100))) };
}

/** The shape features of (truncated) prompts; with `linearScores`, each row also carries its linear score. */
export function shapeRows(prompts: string[], rarity: WordRarity, linearScores?: ArrayLike<number>): DenseRows {
  return prompts.map((prompt, row) => {
    const out = new Float64Array(shapeDimension + (linearScores ? 1 : 0));
    promptShape(prompt, {}, rarity, out);
    if (linearScores) out[shapeDimension] = linearScores[row] as number;
    return out;
  });
}
