import assert from 'node:assert/strict';
import { test } from 'node:test';
import { LabelLimit } from './label-limit.js';

test('a label keeps its first values and counts the rest, and very long ones, as other', () => {
  const limit = new LabelLimit(2);
  assert.equal(limit.value('gpt-4o-mini'), 'gpt-4o-mini');
  assert.equal(limit.value('x'.repeat(500)), 'other');
  assert.equal(limit.value('claude-sonnet'), 'claude-sonnet');
  assert.equal(limit.value('made-up'), 'other');
  assert.equal(limit.value('gpt-4o-mini'), 'gpt-4o-mini');
  assert.equal(limit.value(null), '');
});
