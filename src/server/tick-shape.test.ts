import assert from 'node:assert/strict';
import { test } from 'node:test';
import { keepTickShape } from './tick-shape.js';

test('keepTickShape holds a real nextTick queue entry, the same one on every call', async () => {
  const entry = await keepTickShape();
  assert.ok(entry, 'a nextTick callback runs with its queue entry as its async resource');
  const symbols = Object.getOwnPropertySymbols(entry).map((symbol) => symbol.description);
  assert.deepEqual(symbols, ['async_id_symbol', 'trigger_async_id_symbol']);
  assert.deepEqual(Object.keys(entry), ['callback', 'args']);
  assert.equal(await keepTickShape(), entry);
});
