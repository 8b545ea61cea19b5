import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { syntheticRows } from '../../../test/support/synthetic-router-data.js';
import { routingFigures } from './apgr.js';
import { parseRouterData, type RouterRow } from './router-data.js';
import { RouterModel } from './router-model.js';
import { trainRouter } from './train-router.js';

const now = () => new Date('2026-01-01T00:00:00Z');
const rows: RouterRow[] = syntheticRows(500, 1).map((row, index) => ({ prompt: row.prompt, scores: row.scores, line: index + 1 }));

describe('router training', () => {
  let trainedOnce: ReturnType<typeof trainRouter> | undefined;
  const trained = () => (trainedOnce ??= trainRouter(rows, { source: 'data.jsonl', now }));

  test('the same data trains the same model file, byte for byte', () => {
    const first = JSON.stringify(trained().file);
    const second = JSON.stringify(trainRouter(rows, { source: 'data.jsonl', now }).file);
    assert.equal(first, second);
  });

  test('infers strong and weak from mean scores, and learns which prompts need the strong model', () => {
    const { file, heldOut } = trained();
    assert.equal(file.strong, 'big');
    assert.equal(file.weak, 'small');
    assert.ok(heldOut.router.apgr > heldOut.length.apgr + 0.1, `held-out ${heldOut.router.apgr} vs length ${heldOut.length.apgr}`);
    const model = RouterModel.parse(JSON.stringify(file));
    const unseen = syntheticRows(400, 99);
    const figures = routingFigures(unseen.map((row) => model.score(row.prompt)), unseen.map((row) => ({ strong: row.scores.big as number, weak: row.scores.small as number })));
    assert.ok(figures.apgr > 0.65, `unseen APGR ${figures.apgr}`);
    const hard = unseen.filter((row) => row.hard).map((row) => model.score(row.prompt));
    const easy = unseen.filter((row) => !row.hard).map((row) => model.score(row.prompt));
    const mean = (values: number[]) => values.reduce((sum, value) => sum + value, 0) / values.length;
    assert.ok(mean(hard) > mean(easy) + 0.1, `hard ${mean(hard)}, easy ${mean(easy)}`);
  });

  test('the calibrated threshold sends about the asked share of new prompts to the strong model', () => {
    const model = RouterModel.parse(JSON.stringify(trained().file));
    const unseen = syntheticRows(1000, 7).map((row) => model.score(row.prompt));
    for (const share of [0.1, 0.3, 0.5]) {
      const threshold = model.thresholdFor(share);
      const sent = unseen.filter((score) => score > threshold).length / unseen.length;
      assert.ok(Math.abs(sent - share) < 0.06, `asked ${share}, sent ${sent}`);
    }
    assert.equal(unseen.filter((score) => score > model.thresholdFor(0)).length, 0);
    assert.equal(unseen.filter((score) => score > model.thresholdFor(1)).length, unseen.length);
  });

  test('judge scores on any scale train like correctness', () => {
    const judged = rows.map((row) => ({ ...row, scores: { big: 2 + 8 * (row.scores.big as number), small: 1 + 8 * (row.scores.small as number) } }));
    const trained = trainRouter(judged, { source: 'judged.jsonl', now });
    assert.deepEqual(trained.file.training.scoreRange, [1, 10]);
    assert.ok(trained.heldOut.router.apgr > 0.6);
  });

  test('bad data gets errors naming the line or the field', () => {
    assert.throws(() => parseRouterData('{"prompt":"a","scores":{"x":1,"y":0}}\n{"prompt":"b"}\n', 'd.jsonl'), /d\.jsonl line 2: no "scores"/);
    assert.throws(() => parseRouterData('{"prompt":"a","scores":{}}\n', 'd.jsonl'), /line 1: "scores" is empty/);
    assert.throws(() => parseRouterData('{"prompt":"a","scores":{"x":"high"}}\n', 'd.jsonl'), /line 1: score of "x" must be a finite number/);
    assert.throws(() => parseRouterData('\n{"prompt":"a",\n', 'd.jsonl'), /line 2: not valid JSON/);
    assert.throws(() => parseRouterData('{"prompt":7,"scores":{"x":1}}\n', 'd.jsonl'), /line 1: "prompt" must be a string/);
    const oneModel = rows.map((row) => ({ ...row, scores: { big: row.scores.big as number } }));
    assert.throws(() => trainRouter(oneModel, { source: 'd.jsonl' }), /only one model \(big\)/);
    assert.throws(() => trainRouter(rows, { source: 'd.jsonl', strong: 'huge' }), /--strong huge: no row scores that model/);
    const three = rows.map((row) => ({ ...row, scores: { ...row.scores, mid: 1 } }));
    assert.throws(() => trainRouter(three, { source: 'd.jsonl' }), /choose two with --strong NAME --weak NAME/);
    assert.equal(trainRouter(three, { source: 'd.jsonl', strong: 'big', weak: 'small', now }).file.weak, 'small');
  });
});
