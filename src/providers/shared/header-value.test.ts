import assert from 'node:assert/strict';
import { test } from 'node:test';
import { headerValue } from './header-value.js';

test('a header is found whatever its case, first value of several, and absent headers are undefined', () => {
  const headers = { 'Retry-After': '7', 'set-cookie': ['a=1', 'b=2'] };
  assert.equal(headerValue(headers, 'retry-after'), '7');
  assert.equal(headerValue(headers, 'SET-COOKIE'), 'a=1');
  assert.equal(headerValue(headers, 'x-missing'), undefined);
  assert.equal(headerValue(undefined, 'retry-after'), undefined);
});
