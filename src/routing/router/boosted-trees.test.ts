import assert from 'node:assert/strict';
import { test } from 'node:test';
import { defaultTreeOptions, predictTrees, trainTrees } from './boosted-trees.js';
import { seededRandom } from './linear-model.js';

function sample(count: number, seed: number): { rows: Float64Array[]; labels: number[] } {
  const random = seededRandom(seed);
  const rows: Float64Array[] = [];
  const labels: number[] = [];
  for (let index = 0; index < count; index += 1) {
    const row = Float64Array.from([random(), random(), random()]);
    rows.push(row);
    // An interaction a linear model cannot express: high only when both of the first two features are high.
    labels.push((row[0] as number) > 0.5 && (row[1] as number) > 0.5 ? 0.9 : 0.1);
  }
  return { rows, labels };
}

test('boosted trees learn an interaction and ignore a noise feature', () => {
  const train = sample(2000, 1);
  const model = trainTrees(train.rows, train.labels, defaultTreeOptions);
  const test = sample(500, 2);
  let error = 0;
  for (let index = 0; index < test.rows.length; index += 1) error += Math.abs(predictTrees(model, test.rows[index] as Float64Array) - (test.labels[index] as number));
  assert.ok(error / test.rows.length < 0.1, `mean absolute error ${error / test.rows.length}`);
  const used = new Set(model.trees.flatMap((tree) => tree.feature.filter((feature) => feature >= 0)));
  assert.ok(used.has(0) && used.has(1), `features used: ${[...used].join(', ')}`);
  assert.ok(predictTrees(model, [0.9, 0.9, 0.5]) > 0.7);
  assert.ok(predictTrees(model, [0.9, 0.1, 0.5]) < 0.3);
});

test('the same data grows the same trees, and a JSON round trip predicts the same', () => {
  const train = sample(500, 3);
  const first = trainTrees(train.rows, train.labels, { ...defaultTreeOptions, trees: 20 });
  const second = trainTrees(train.rows, train.labels, { ...defaultTreeOptions, trees: 20 });
  assert.equal(JSON.stringify(first), JSON.stringify(second));
  const loaded = JSON.parse(JSON.stringify(first)) as typeof first;
  for (const row of train.rows.slice(0, 50)) assert.equal(predictTrees(loaded, row), predictTrees(first, row));
});
