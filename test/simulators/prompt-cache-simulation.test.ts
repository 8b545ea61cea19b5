import assert from 'node:assert/strict';
import { test } from 'node:test';
import { SimulatedPromptCache, simulatedTokens, type PromptBlock } from './prompt-cache-simulation.js';

const long = { system: 'x'.repeat(400) };
const blocks = (...contents: Array<[unknown, boolean]>): PromptBlock[] => contents.map(([content, breakpoint]) => ({ content, breakpoint }));

test('a prefix shorter than the minimum is not cached; a long enough one is written once and read back after', () => {
  const cache = new SimulatedPromptCache({ minimumTokens: 50 });
  const short = blocks([{ system: 'hi' }, true]);
  assert.deepEqual(cache.use('m', short), { uncached: simulatedTokens({ system: 'hi' }), read: 0, written: 0 });
  assert.deepEqual(cache.use('m', short), { uncached: simulatedTokens({ system: 'hi' }), read: 0, written: 0 });
  const prefix = simulatedTokens(long);
  const turn = { user: 'question' };
  const first = cache.use('m', blocks([long, true], [turn, false]));
  assert.deepEqual(first, { uncached: simulatedTokens(turn), read: 0, written: prefix });
  const second = cache.use('m', blocks([long, true], [turn, false]));
  assert.deepEqual(second, { uncached: simulatedTokens(turn), read: prefix, written: 0 });
  assert.deepEqual(cache.use('other-model', blocks([long, true])), { uncached: 0, read: 0, written: prefix }, 'each model has its own cache');
});

test('a later breakpoint reads the longest earlier prefix within the lookback and writes the rest', () => {
  const cache = new SimulatedPromptCache({ minimumTokens: 50 });
  cache.use('m', blocks([long, true]));
  const turns = Array.from({ length: 5 }, (_, index): [unknown, boolean] => [{ user: `turn ${index}` }, index === 4]);
  const usage = cache.use('m', blocks([long, false], ...turns));
  const rest = turns.reduce((sum, [content]) => sum + simulatedTokens(content), 0);
  assert.deepEqual(usage, { uncached: 0, read: simulatedTokens(long), written: rest });
  const changed = cache.use('m', blocks([{ system: 'y'.repeat(400) }, true]));
  assert.equal(changed.read, 0, 'a changed prefix misses');
});
