import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import type { StreamPart } from '../../core/canonical.js';
import { SseParser } from '../shared/sse-parser.js';
import { geminiAdapter, vertexAdapter } from './gemini-adapter.js';

const fixtures = new URL('../../../../src/providers/gemini/__fixtures__/', import.meta.url);

/** Replays a recorded stream through the shared SSE parser, as the gateway would receive it. */
function replay(name: string, adapter = geminiAdapter): StreamPart[] {
  const lines = readFileSync(new URL(name, fixtures), 'utf8').split('\n').filter((line) => line !== '');
  const parser = new SseParser();
  const decoder = adapter.createStreamDecoder('gemini-upstream');
  const parts: StreamPart[] = [];
  for (const line of lines) {
    for (const event of parser.push(`data: ${line}\r\n\r\n`)) parts.push(...decoder.decode(event));
  }
  for (const event of parser.flush()) parts.push(...decoder.decode(event));
  parts.push(...decoder.end());
  return parts;
}

function withoutRawUsage(parts: StreamPart[]): unknown[] {
  return parts.map((part) => (part.type === 'usage' ? { type: 'usage', usage: { ...part.usage, raw: '(raw)' } } : part));
}

test('a text stream starts, streams deltas, then emits usage before the finish', () => {
  const parts = replay('gemini-text.chunks.txt');
  assert.deepEqual(withoutRawUsage(parts), [
    { type: 'stream-start', id: '7oTTaPnXAv6D1dkP4qOO-Qk', model: 'gemini-2.0-flash', created: (parts[0] as { created: number }).created },
    { type: 'text-delta', text: 'Tides are caused' },
    { type: 'text-delta', text: " mainly by the Moon's gravity pulling" },
    { type: 'text-delta', text: ' on the oceans.\n' },
    { type: 'usage', usage: { inputTokens: 14, cacheReadTokens: 0, cacheWriteTokens: 0, outputTokens: 15, reasoningTokens: 0, raw: '(raw)' } },
    { type: 'finish', finishReason: 'stop', rawFinishReason: 'STOP' },
  ]);
});

test('parallel function calls each get a start and one delta with the whole arguments, the first with its thought signature', () => {
  const parts = replay('gemini-parallel-tools.chunks.txt').map((part) => (part.type === 'tool-call-start' ? { ...part, id: part.id.replace(/^call_[a-z0-9]+_/, 'call_') } : part));
  assert.deepEqual(parts.slice(1, 6), [
    { type: 'text-delta', text: "I'll look up both cities." },
    { type: 'tool-call-start', index: 0, id: 'call_0', name: 'get_forecast', providerMetadata: { gemini: { thoughtSignature: 'CqQBAdHtim8example0redacted0signatureQ==' } } },
    { type: 'tool-call-delta', index: 0, argumentsDelta: '{"city":"Oslo","unit":"celsius"}' },
    { type: 'tool-call-start', index: 1, id: 'call_1', name: 'get_local_time' },
    { type: 'tool-call-delta', index: 1, argumentsDelta: '{"city":"Tokyo"}' },
  ]);
  const usage = parts[6];
  assert.equal(usage?.type, 'usage');
  assert.equal(usage.type === 'usage' ? usage.usage.outputTokens : 0, 107);
  assert.deepEqual(parts[7], { type: 'finish', finishReason: 'tool-calls', rawFinishReason: 'STOP' });
  assert.equal(parts.length, 8);
});

test('thought parts stream as reasoning deltas and thinking tokens count as output', () => {
  const parts = replay('gemini-thinking.chunks.txt');
  assert.deepEqual(parts.map((part) => part.type), [
    'stream-start', 'reasoning-delta', 'reasoning-delta', 'text-delta', 'text-delta', 'usage', 'finish',
  ]);
  const usage = parts.find((part) => part.type === 'usage');
  assert.equal(usage?.type === 'usage' ? usage.usage.reasoningTokens : -1, 184);
  assert.equal(usage?.type === 'usage' ? usage.usage.outputTokens : -1, 204);
  const text = parts.map((part) => (part.type === 'text-delta' ? part.text : '')).join('');
  assert.equal(text, '3/4 is larger than 2/3 (9/12 against 8/12).');
});

test('a stream that ends without a finish reason ends with an error, not a fake finish', () => {
  const parts = replay('gemini-truncated.chunks.txt');
  assert.deepEqual(parts.slice(0, 3).map((part) => part.type), ['stream-start', 'text-delta', 'text-delta']);
  const last = parts.at(-1);
  assert.equal(parts.length, 4);
  assert.equal(last?.type, 'error');
  assert.equal(last?.type === 'error' ? last.error.code : '', 'upstream_error');
  assert.ok(!parts.some((part) => part.type === 'finish'));
});

test('a Vertex stream ignores usage without counts and keeps the last counted usage', () => {
  const parts = replay('vertex-text.chunks.txt', vertexAdapter);
  assert.deepEqual(parts.map((part) => part.type), ['stream-start', 'text-delta', 'text-delta', 'usage', 'finish']);
  const usage = parts[3];
  assert.equal(usage?.type === 'usage' ? usage.usage.outputTokens : -1, 34);
  assert.equal(parts[0]?.type === 'stream-start' ? parts[0].created : 0, Math.floor(Date.UTC(2025, 8, 24, 9, 2, 11) / 1000));
});

test('an error object in the stream becomes a classified error part', () => {
  const decoder = geminiAdapter.createStreamDecoder('gemini-2.5-flash');
  const parts = decoder.decode({ event: undefined, data: '{"error":{"code":503,"message":"The model is overloaded. Please try again later.","status":"UNAVAILABLE"}}' });
  assert.equal(parts.length, 1);
  assert.equal(parts[0]?.type === 'error' ? parts[0].error.code : '', 'upstream_unavailable');
  assert.deepEqual(decoder.end(), []);
});

test('a blocked prompt in a stream finishes with content-filter', () => {
  const decoder = geminiAdapter.createStreamDecoder('gemini-2.5-flash');
  const parts = decoder.decode({ event: undefined, data: '{"promptFeedback":{"blockReason":"SAFETY"},"usageMetadata":{"promptTokenCount":9,"totalTokenCount":9},"modelVersion":"gemini-2.5-flash","responseId":"r1"}' });
  assert.deepEqual(parts.map((part) => part.type), ['stream-start', 'usage', 'finish']);
  assert.deepEqual(parts[2], { type: 'finish', finishReason: 'content-filter', rawFinishReason: 'SAFETY' });
});

test('an event that is not JSON ends the stream with an error', () => {
  const decoder = geminiAdapter.createStreamDecoder('gemini-2.5-flash');
  const parts = decoder.decode({ event: undefined, data: '{"candidates":[' });
  assert.equal(parts[0]?.type, 'error');
  assert.deepEqual(decoder.decode({ event: undefined, data: '{}' }), []);
});
