import assert from 'node:assert/strict';
import { test } from 'node:test';
import { SseParser } from './sse-parser.js';

test('events split across chunks are reassembled', () => {
  const parser = new SseParser();
  assert.deepEqual(parser.push('event: message_start\nda'), []);
  assert.deepEqual(parser.push('ta: {"a":1}\r\n\r\ndata: [DONE]\n\n'), [
    { event: 'message_start', data: '{"a":1}' },
    { event: undefined, data: '[DONE]' },
  ]);
});

test('comments are ignored and multi-line data is joined', () => {
  const parser = new SseParser();
  assert.deepEqual(parser.push(': keep-alive\n\ndata: one\ndata: two\n\n'), [{ event: undefined, data: 'one\ntwo' }]);
});

test('a last event without a blank line is delivered by flush', () => {
  const parser = new SseParser();
  assert.deepEqual(parser.push('data: tail'), []);
  assert.deepEqual(parser.flush(), [{ event: undefined, data: 'tail' }]);
});
