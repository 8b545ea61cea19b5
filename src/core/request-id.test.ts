import assert from 'node:assert/strict';
import { test } from 'node:test';
import { newRequestId, requestIdTime } from './request-id.js';

const uuidV7 = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

test('request ids are RFC 9562 version 7 UUIDs carrying their millisecond', () => {
  const id = newRequestId(Date.UTC(2026, 10, 21, 12, 0, 0));
  assert.match(id, uuidV7);
  assert.equal(requestIdTime(id), Date.UTC(2026, 10, 21, 12, 0, 0));
});

test('ids made in one millisecond, or after the clock steps back, still sort in the order they were made', () => {
  const now = Date.UTC(2027, 0, 1);
  const ids = [newRequestId(now + 5)];
  for (let index = 0; index < 5_000; index += 1) ids.push(newRequestId(now + 5));
  ids.push(newRequestId(now + 1));
  ids.push(newRequestId(now + 10));
  for (let index = 1; index < ids.length; index += 1) assert.ok((ids[index - 1] as string) < (ids[index] as string), `${ids[index - 1]} < ${ids[index]}`);
  assert.equal(new Set(ids).size, ids.length);
  for (const id of ids) assert.match(id, uuidV7);
});

test('the random part differs between ids', () => {
  const tails = new Set(Array.from({ length: 1_000 }, () => newRequestId().slice(19)));
  assert.equal(tails.size, 1_000);
});
