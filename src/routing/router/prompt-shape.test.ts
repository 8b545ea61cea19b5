import assert from 'node:assert/strict';
import { test } from 'node:test';
import { promptShape, shapeDimension, shapeFeatureNames } from './prompt-shape.js';
import { countWordRarity, decodeRarity, encodeRarity, forEachWordBucket, idfOf } from './word-rarity.js';

function shapeOf(text: string, rarity = countWordRarity([text])): Record<string, number> {
  const values = promptShape(text, {}, rarity, new Float64Array(shapeDimension));
  return Object.fromEntries(shapeFeatureNames.map((name, index) => [name, values[index] as number]));
}

test('lettered options are found with the question part before them', () => {
  const question = 'Which of these is not a prime number?';
  const shape = shapeOf(`${question}\nA. 2\nB. 3\n(C) 9\nD) 11\nAnswer:`);
  assert.equal(shape.options, 4);
  assert.equal(shape['log-question-chars'], Math.log1p(question.length + 1));
  assert.equal(shape['numeric-options'], 1);
  assert.equal(shape.negations, 1);
  assert.equal(shape['question-marks'], 1);
});

test('options that combine short values, and repeated option words, are told apart from free-text options', () => {
  const paired = shapeOf('Statement 1 | Every group is abelian. Statement 2 | Some ring is a field.\nA. True, True\nB. False, False\nC. True, False\nD. False, True');
  assert.equal(paired.pipes, 2);
  assert.equal(paired['paired-options'], 1);
  assert.equal(paired['option-vocabulary'], 2 / 8);
  const free = shapeOf('What did the treaty settle?\nA. the border dispute\nB. a trade tariff\nC. fishing rights\nD. nothing at all');
  assert.equal(free['paired-options'], 0);
  assert.equal(free['option-vocabulary'], 1);
  assert.equal(shapeOf('Tell me a joke.').options, 0);
});

test('rare words raise the IDF features; the table survives encoding', () => {
  const prompts = ['the cat sat', 'the dog sat', 'the cat ran', 'the eigenvalue of a tensor'];
  const rarity = countWordRarity(prompts);
  const buckets: number[] = [];
  forEachWordBucket('the eigenvalue', rarity.bits, (bucket) => buckets.push(bucket));
  assert.ok(idfOf(rarity, buckets[1] as number) > idfOf(rarity, buckets[0] as number));
  assert.ok(shapeOf('the eigenvalue tensor', rarity)['idf-mean'] > shapeOf('the cat sat', rarity)['idf-mean']);
  assert.deepEqual(decodeRarity(encodeRarity(rarity)).idf, rarity.idf);
  assert.throws(() => decodeRarity({ bits: 12, data: encodeRarity(rarity).data }), /word rarity holds 65536 values, expected 4096/);
});
