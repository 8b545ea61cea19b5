import { seededRandom } from './linear-model.js';

/**
 * Small gradient-boosted regression trees (squared loss) over a few dense features. Each feature is cut into at
 * most `bins` quantile bins once, so finding a split is a histogram scan rather than a sort.
 */
export interface BoostedTrees {
  base: number;
  /** Per tree, nodes in heap order (children of i at 2i+1, 2i+2); a node with feature -1 is a leaf. */
  trees: Array<{ feature: number[]; threshold: number[]; value: number[] }>;
}

export interface TreeTrainOptions {
  trees: number;
  depth: number;
  learningRate: number;
  minLeaf: number;
  /** Share of rows each tree sees. */
  subsample: number;
  bins: number;
  seed: number;
}

export const defaultTreeOptions: TreeTrainOptions = { trees: 150, depth: 3, learningRate: 0.05, minLeaf: 40, subsample: 0.8, bins: 32, seed: 13 };

/** Rows of dense features, one Float64Array per row. */
export type DenseRows = Float64Array[];

function binEdges(rows: DenseRows, feature: number, bins: number): number[] {
  const values = Float64Array.from(rows, (row) => row[feature] as number).sort();
  const edges: number[] = [];
  for (let bin = 1; bin < bins; bin += 1) {
    // Rounded as the model file stores them, so a loaded model splits exactly where training did.
    const edge = Number((values[Math.floor((bin / bins) * (values.length - 1))] as number).toPrecision(7));
    if (edges.length === 0 || edge > (edges[edges.length - 1] as number)) edges.push(edge);
  }
  return edges;
}

function binOf(edges: number[], value: number): number {
  let low = 0;
  let high = edges.length;
  while (low < high) {
    const middle = (low + high) >> 1;
    if (value > (edges[middle] as number)) low = middle + 1;
    else high = middle;
  }
  return low;
}

interface Split {
  feature: number;
  bin: number;
  score: number;
}

interface Grower {
  binned: Uint8Array[];
  edges: number[][];
  residuals: Float64Array;
  options: TreeTrainOptions;
}

function bestSplit(rows: Int32Array, grower: Grower): Split | undefined {
  let best: Split | undefined;
  let total = 0;
  for (const row of rows) total += grower.residuals[row] as number;
  const baseline = (total * total) / rows.length;
  const sums = new Float64Array(grower.options.bins);
  const counts = new Int32Array(grower.options.bins);
  for (let feature = 0; feature < grower.binned.length; feature += 1) {
    const column = grower.binned[feature] as Uint8Array;
    const binCount = (grower.edges[feature] as number[]).length + 1;
    sums.fill(0, 0, binCount);
    counts.fill(0, 0, binCount);
    for (const row of rows) {
      const bin = column[row] as number;
      sums[bin] = (sums[bin] as number) + (grower.residuals[row] as number);
      counts[bin] = (counts[bin] as number) + 1;
    }
    let leftSum = 0;
    let leftCount = 0;
    for (let bin = 0; bin < binCount - 1; bin += 1) {
      leftSum += sums[bin] as number;
      leftCount += counts[bin] as number;
      const rightCount = rows.length - leftCount;
      if (leftCount < grower.options.minLeaf || rightCount < grower.options.minLeaf) continue;
      const rightSum = total - leftSum;
      const score = (leftSum * leftSum) / leftCount + (rightSum * rightSum) / rightCount - baseline;
      if (score > 1e-12 && (!best || score > best.score)) best = { feature, bin, score };
    }
  }
  return best;
}

function growTree(rows: Int32Array, grower: Grower): BoostedTrees['trees'][number] {
  const size = (1 << (grower.options.depth + 1)) - 1;
  const tree = { feature: new Array<number>(size).fill(-1), threshold: new Array<number>(size).fill(0), value: new Array<number>(size).fill(0) };
  const grow = (node: number, nodeRows: Int32Array, depth: number): void => {
    let sum = 0;
    for (const row of nodeRows) sum += grower.residuals[row] as number;
    tree.value[node] = Number(((grower.options.learningRate * sum) / Math.max(nodeRows.length, 1)).toPrecision(7));
    if (depth === grower.options.depth) return;
    const split = bestSplit(nodeRows, grower);
    if (!split) return;
    const column = grower.binned[split.feature] as Uint8Array;
    tree.feature[node] = split.feature;
    tree.threshold[node] = (grower.edges[split.feature] as number[])[split.bin] as number;
    grow(2 * node + 1, nodeRows.filter((row) => (column[row] as number) <= split.bin), depth + 1);
    grow(2 * node + 2, nodeRows.filter((row) => (column[row] as number) > split.bin), depth + 1);
  };
  grow(0, rows, 0);
  return tree;
}

export function predictTrees(model: BoostedTrees, features: ArrayLike<number>): number {
  let sum = model.base;
  for (const tree of model.trees) {
    let node = 0;
    while ((tree.feature[node] as number) >= 0) node = (features[tree.feature[node] as number] as number) <= (tree.threshold[node] as number) ? 2 * node + 1 : 2 * node + 2;
    sum += tree.value[node] as number;
  }
  return sum;
}

export function trainTrees(rows: DenseRows, labels: ArrayLike<number>, options: TreeTrainOptions = defaultTreeOptions): BoostedTrees {
  const featureCount = rows[0]?.length ?? 0;
  const edges = Array.from({ length: featureCount }, (_, feature) => binEdges(rows, feature, options.bins));
  const binned = edges.map((featureEdges, feature) => Uint8Array.from(rows, (row) => binOf(featureEdges, row[feature] as number)));
  let base = 0;
  for (let row = 0; row < rows.length; row += 1) base += labels[row] as number;
  base = Number((base / Math.max(rows.length, 1)).toPrecision(7));
  const predictions = new Float64Array(rows.length).fill(base);
  const residuals = new Float64Array(rows.length);
  const model: BoostedTrees = { base, trees: [] };
  const random = seededRandom(options.seed);
  for (let round = 0; round < options.trees; round += 1) {
    for (let row = 0; row < rows.length; row += 1) residuals[row] = (labels[row] as number) - (predictions[row] as number);
    const sample = Int32Array.from({ length: rows.length }, (_, row) => row).filter(() => random() < options.subsample);
    const tree = growTree(sample, { binned, edges, residuals, options });
    model.trees.push(tree);
    for (let row = 0; row < rows.length; row += 1) predictions[row] = (predictions[row] as number) + predictTrees({ base: 0, trees: [tree] }, rows[row] as Float64Array);
  }
  return model;
}
