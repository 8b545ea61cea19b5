import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { syntheticRows } from '../../../test/support/synthetic-router-data.js';
import { routingFigures } from './apgr.js';
import { RouterModel } from './router-model.js';
import { trainRouter } from './train-router.js';

const now = () => new Date('2026-01-01T00:00:00Z');
const rows = syntheticRows(400, 5).map((row, index) => ({ prompt: row.prompt, scores: row.scores, line: index + 1 }));
const unseen = syntheticRows(300, 6);
const outcomes = unseen.map((row) => ({ strong: row.scores.big as number, weak: row.scores.small as number }));

describe('router model files', () => {
  for (const family of ['linear', 'trees', 'stacked'] as const) {
    test(`a ${family} model scores the same after a round trip through its file, and ranks unseen prompts`, () => {
      const { file } = trainRouter(rows, { source: 'data.jsonl', family, now });
      assert.equal(file.family, family);
      assert.deepEqual(Object.keys(file.training.families ?? {}), [family]);
      const inMemory = new RouterModel(file);
      const loaded = RouterModel.parse(JSON.stringify(file));
      const scores = unseen.map((row) => loaded.score(row.prompt));
      unseen.slice(0, 50).forEach((row, index) => assert.equal(inMemory.score(row.prompt), scores[index]));
      assert.ok(routingFigures(scores, outcomes).apgr > 0.6, `${family}: unseen APGR ${routingFigures(scores, outcomes).apgr}`);
    });
  }

  test('auto picks the family with the best held-out APGR and records what each gave', () => {
    const { file, heldOut } = trainRouter(rows, { source: 'data.jsonl', now });
    const families = file.training.families ?? {};
    assert.deepEqual(Object.keys(families).sort(), ['linear', 'stacked', 'trees']);
    const best = Math.max(...Object.values(families));
    assert.ok((families[file.family ?? 'linear'] as number) >= best - 0.002, `chose ${file.family} from ${JSON.stringify(families)}`);
    assert.equal(Number(heldOut.router.apgr.toFixed(4)), families[file.family ?? 'linear']);
  });

  test('on a small data set the trees still split: leaves shrink with the row count', () => {
    const { file } = trainRouter(rows.slice(0, 150), { source: 'small.jsonl', family: 'trees', now });
    const splits = (file.trees?.trees ?? []).flatMap((tree) => tree.feature.filter((feature) => feature >= 0));
    // Leaves of 40 rows would allow about one split a tree here (186 in all); 150 rows give leaves of 5.
    assert.ok(splits.length > 4 * (file.trees?.trees.length ?? 0), `${splits.length} splits in ${file.trees?.trees.length} trees`);
  });

  test('a version 1 file (linear, no family) still loads and scores as before', () => {
    const { file } = trainRouter(rows, { source: 'data.jsonl', family: 'linear', now });
    const { family, trees, rarity, ...rest } = file;
    assert.equal(trees, undefined);
    assert.equal(rarity, undefined);
    const versionOne = { ...rest, version: 1, training: { ...rest.training, families: undefined } };
    const loaded = RouterModel.parse(JSON.stringify(versionOne));
    assert.equal(loaded.family, 'linear');
    assert.equal(loaded.score(unseen[0]?.prompt as string), new RouterModel(file).score(unseen[0]?.prompt as string));
    assert.equal(family, 'linear');
  });

  test('an unknown version, or a tree family without its trees, is a clear error', () => {
    const { file } = trainRouter(rows, { source: 'data.jsonl', family: 'trees', now });
    assert.throws(() => RouterModel.parse(JSON.stringify({ ...file, version: 3 })), /model file version 3 is not one this switchyard reads \(versions 1, 2\)/);
    assert.throws(() => RouterModel.parse(JSON.stringify({ ...file, trees: undefined })), /family trees needs "trees" and "rarity"/);
    const tooWide = { ...file, trees: { base: 0, trees: [{ feature: [99, -1, -1], threshold: [0, 0, 0], value: [0, 0, 0] }] } };
    assert.throws(() => RouterModel.parse(JSON.stringify(tooWide)), /trees\.trees\.0: node 0 reads feature 99; the family has 31/);
    const cut = { ...file, trees: { base: 0, trees: [{ feature: [3], threshold: [0], value: [0] }] } };
    assert.throws(() => RouterModel.parse(JSON.stringify(cut)), /trees\.trees\.0: node 0 splits but its children are missing/);
  });
});
