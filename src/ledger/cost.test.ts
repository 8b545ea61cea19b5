import assert from 'node:assert/strict';
import { test } from 'node:test';
import { computeCost } from './cost.js';
import { bundledPriceCatalog } from './price-catalog.js';

test('cost is tokens times price per million, cache and reasoning tokens at their own rates', () => {
  const usage = { inputTokens: 1_000, cacheReadTokens: 2_000, cacheWriteTokens: 500, outputTokens: 300, reasoningTokens: 100 };
  const price = { input: 3, output: 15, cachedInput: 0.3, cacheWrite: 3.75, reasoning: 20 };
  // 1,000 × 3 + 2,000 × 0.3 + 500 × 3.75 + 200 visible output × 15 + 100 reasoning × 20, per million.
  assert.equal(computeCost(usage, price), (3_000 + 600 + 1_875 + 3_000 + 2_000) / 1e6);
});

test('cache and reasoning fall back to the input and output prices; per-request and per-image prices add up', () => {
  const usage = { inputTokens: 10, cacheReadTokens: 10, cacheWriteTokens: 10, outputTokens: 10, reasoningTokens: 5 };
  assert.equal(computeCost(usage, { input: 1, output: 2, perRequest: 0.01, perImage: 0.04 }, 2), (30 + 20) / 1e6 + 0.01 + 0.08);
});

test('the bundled catalog is versioned, names its sources and matches dated snapshots to their base entry', () => {
  const catalog = bundledPriceCatalog();
  assert.match(catalog.version, /^\d{4}-\d{2}-\d{2}$/);
  assert.equal(catalog.lookup('openai', 'gpt-4o-mini-2024-07-18')?.input, 0.15);
  assert.equal(catalog.lookup('anthropic', 'claude-sonnet-4-5-20250929')?.cacheWrite, 3.75);
  assert.equal(catalog.lookup('openai', 'no-such-model'), undefined);
  assert.ok(catalog.entries().every((entry) => catalog.source(entry.provider)?.startsWith('https://')));
});
