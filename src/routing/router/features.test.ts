import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { defaultFeatureOptions, dimensionOf, featurize, structureFeatureNames, truncatePrompt, VectorBuilder } from './features.js';

const options = defaultFeatureOptions;
const base = 1 << options.bits;

function structure(prompt: string, context = {}): Record<string, number> {
  const vector = featurize(prompt, context, options);
  const values: Record<string, number> = {};
  for (let index = 0; index < vector.length; index += 1) {
    const feature = vector.indices[index] as number;
    if (feature >= base) values[structureFeatureNames[feature - base] as string] = vector.values[index] as number;
  }
  return values;
}

function weights(prompt: string): Map<number, number> {
  const vector = featurize(prompt, {}, { ...options, charNgrams: [], structure: false });
  const result = new Map<number, number>();
  for (let index = 0; index < vector.length; index += 1) result.set(vector.indices[index] as number, (result.get(vector.indices[index] as number) ?? 0) + (vector.values[index] as number));
  return result;
}

describe('router features', () => {
  test('the same prompt gives the same vector, every index inside the dimension', () => {
    const first = featurize('Prove that the integral of x^2 from 0 to 1 is 1/3.', {}, options);
    const second = featurize('Prove that the integral of x^2 from 0 to 1 is 1/3.', {}, options);
    assert.deepEqual(first, second);
    for (let index = 0; index < first.length; index += 1) assert.ok((first.indices[index] as number) < dimensionOf(options));
  });

  test('words are case-insensitive and bigrams depend on word order', () => {
    assert.deepEqual(weights('Dog bites man'), weights('dog BITES man'));
    assert.notDeepEqual(weights('dog bites man'), weights('man bites dog'));
    const unigramsOnly = (prompt: string) => featurize(prompt, {}, { ...options, wordNgrams: 1, charNgrams: [], structure: false });
    assert.deepEqual(new Set(unigramsOnly('dog bites man').indices), new Set(unigramsOnly('man bites dog').indices));
  });

  test('structure features see code, math, turns, tools, system prompts and scripts', () => {
    const code = structure('```python\ndef add(a, b):\n    return a + b\n```');
    assert.equal(code['code-fence'], 1);
    assert.ok((code['code-keywords'] ?? 0) > 0);
    assert.ok((structure('Solve 3x + 5 = 20 for x, then compute x^2 * 4.')['math-symbols'] ?? 0) > 0);
    assert.equal(structure('hello')['multi-turn'], undefined);
    const conversation = structure('and then?', { turns: 3, tools: 2, hasSystem: true });
    assert.equal(conversation['multi-turn'], 1);
    assert.equal(conversation['system-prompt'], 1);
    assert.equal(conversation.tools, 0.5);
    assert.ok((structure('Привет, как дела?').cyrillic ?? 0) > 0.5);
    assert.ok((structure('这是什么意思')['cjk'] ?? 0) > 0.9);
  });

  test('long prompts keep their head and tail within maxChars', () => {
    const long = `${'a'.repeat(6000)}QUESTION${'b'.repeat(6000)}THE END`;
    const cut = truncatePrompt(long, 8000);
    assert.ok(cut.length <= 8001);
    assert.ok(cut.startsWith('aaaa') && cut.endsWith('THE END'));
    assert.equal(truncatePrompt('short', 8000), 'short');
    assert.deepEqual(featurize(long, {}, options), featurize(cut, {}, options));
  });

  test('a reused builder gives the same features as a fresh vector', () => {
    const builder = new VectorBuilder(options.bits);
    featurize('something else entirely, and longer than the next one', {}, options, builder);
    const reused = featurize('short prompt', {}, options, builder);
    const fresh = featurize('short prompt', {}, options);
    assert.deepEqual(Array.from(reused.indices.subarray(0, reused.length)), Array.from(fresh.indices));
    assert.deepEqual(Array.from(reused.values.subarray(0, reused.length)), Array.from(fresh.values));
  });
});
