import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import type { StreamPart } from '../../core/canonical.js';
import { SseParser } from '../shared/sse-parser.js';
import { createAnthropicStreamDecoder } from './anthropic-stream.js';

// Compiled to dist/src/providers/anthropic/; fixtures stay in the source tree.
function payloads(name: string): string[] {
  const text = readFileSync(new URL(`../../../../src/providers/anthropic/__fixtures__/${name}`, import.meta.url), 'utf8');
  return text.split('\n').filter((line) => line.trim() !== '');
}

/** Replays payloads as Anthropic's SSE wire text and returns the canonical parts (native ones are checked apart). */
function replay(lines: string[]): StreamPart[] {
  return replayAll(lines).filter((part) => part.type !== 'native');
}

/** Replays payloads as Anthropic's SSE wire text, in small uneven chunks, through the shared parser and the decoder. */
function replayAll(lines: string[]): StreamPart[] {
  const wire = lines.map((line) => `event: ${(JSON.parse(line) as { type: string }).type}\ndata: ${line}\n\n`).join('');
  const parser = new SseParser();
  const decoder = createAnthropicStreamDecoder('fallback-model');
  const parts: StreamPart[] = [];
  for (let offset = 0; offset < wire.length; offset += 37) {
    for (const event of parser.push(wire.slice(offset, offset + 37))) parts.push(...decoder.decode(event));
  }
  for (const event of parser.flush()) parts.push(...decoder.decode(event));
  parts.push(...decoder.end());
  return parts;
}

function withoutCreated(parts: StreamPart[]): unknown[] {
  return parts.map((part) => (part.type === 'stream-start' ? { ...part, created: 0 } : part));
}

function stripRaw(parts: StreamPart[]): unknown[] {
  return withoutCreated(parts).map((part) => {
    const typed = part as StreamPart;
    return typed.type === 'usage' ? { type: 'usage', usage: { ...typed.usage, raw: undefined } } : typed;
  });
}

test('a text stream yields start, text deltas, usage with cache reads, then finish', () => {
  assert.deepEqual(stripRaw(replay(payloads('text.chunks.txt'))), [
    { type: 'stream-start', id: 'msg_01TwTextStreamRedacted', model: 'claude-sonnet-4-5-20250929', created: 0 },
    { type: 'text-delta', text: 'Tides' },
    { type: 'text-delta', text: ' follow the moon' },
    { type: 'text-delta', text: "'s pull." },
    { type: 'usage', usage: { inputTokens: 21, cacheReadTokens: 1536, cacheWriteTokens: 0, outputTokens: 9, reasoningTokens: 0, raw: undefined } },
    { type: 'finish', finishReason: 'stop', rawFinishReason: 'end_turn' },
  ]);
});

test('thinking, text and two parallel tool calls stream with tool indexes counted from zero', () => {
  assert.deepEqual(stripRaw(replay(payloads('parallel-tool-calls.chunks.txt'))), [
    { type: 'stream-start', id: 'msg_01GxParallelToolsRedacted', model: 'claude-sonnet-4-5-20250929', created: 0 },
    { type: 'reasoning-delta', text: 'Two cities,' },
    { type: 'reasoning-delta', text: ' so two lookups.' },
    { type: 'reasoning-end', part: { text: 'Two cities, so two lookups.', format: 'anthropic', signature: 'EqQBCkYIBRgCKkBredactedStreamSignature0000' } },
    { type: 'text-delta', text: "I'll check both cities." },
    { type: 'tool-call-start', index: 0, id: 'toolu_01WeatherOsloRedacted', name: 'get_weather' },
    { type: 'tool-call-delta', index: 0, argumentsDelta: '{"city": "Os' },
    { type: 'tool-call-delta', index: 0, argumentsDelta: 'lo", "unit": "celsius"}' },
    { type: 'tool-call-start', index: 1, id: 'toolu_01WeatherLimaRedacted', name: 'get_weather' },
    { type: 'tool-call-delta', index: 1, argumentsDelta: '{"city"' },
    { type: 'tool-call-delta', index: 1, argumentsDelta: ': "Lima", "unit": "celsius"}' },
    { type: 'usage', usage: { inputTokens: 412, cacheReadTokens: 0, cacheWriteTokens: 0, outputTokens: 118, reasoningTokens: 0, raw: undefined } },
    { type: 'finish', finishReason: 'tool-calls', rawFinishReason: 'tool_use' },
  ]);
});

test('a tool call without argument fragments gets {} as its arguments', () => {
  const deltas = replay(payloads('tool-no-arguments.chunks.txt')).filter((part) => part.type === 'tool-call-delta');
  assert.deepEqual(deltas, [{ type: 'tool-call-delta', index: 0, argumentsDelta: '{}' }]);
});

test('an error event ends the stream with a classified, retryable error and no finish', () => {
  const parts = replay(payloads('overloaded-error.chunks.txt'));
  assert.deepEqual(parts.map((part) => part.type), ['stream-start', 'text-delta', 'error']);
  const last = parts.at(-1);
  assert.ok(last?.type === 'error');
  assert.equal(last.error.code, 'upstream_overloaded');
  assert.equal(last.error.retryable, true);
  assert.match(last.error.message, /Anthropic/);
  assert.match(last.error.message, /Overloaded/);
});

test('an api_error event is an upstream error', () => {
  const lines = [...payloads('truncated.chunks.txt'), '{"type":"error","error":{"type":"api_error","message":"Internal server error"}}'];
  const last = replay(lines).at(-1);
  assert.ok(last?.type === 'error');
  assert.equal(last.error.code, 'upstream_error');
});

test('a stream that ends without message_stop ends with an error, never a finish', () => {
  const parts = replay(payloads('truncated.chunks.txt'));
  assert.deepEqual(parts.map((part) => part.type), ['stream-start', 'text-delta', 'text-delta', 'error']);
  const last = parts.at(-1);
  assert.ok(last?.type === 'error');
  assert.equal(last.error.code, 'upstream_error');
  assert.match(last.error.message, /stream ended before message_stop/);
});

test('usage takes the larger of the message_start and message_delta counts', () => {
  const parts = replay([
    '{"type":"message_start","message":{"id":"msg_u","type":"message","role":"assistant","model":"claude-opus-4-1","content":[],"stop_reason":null,"stop_sequence":null,"usage":{"input_tokens":40,"cache_read_input_tokens":0,"output_tokens":1}}}',
    '{"type":"message_delta","delta":{"stop_reason":"max_tokens","stop_sequence":null},"usage":{"input_tokens":58,"cache_read_input_tokens":12,"output_tokens":256}}',
    '{"type":"message_stop"}',
  ]);
  const usage = parts.find((part) => part.type === 'usage');
  assert.ok(usage?.type === 'usage');
  assert.deepEqual(usage.usage, {
    inputTokens: 58, cacheReadTokens: 12, cacheWriteTokens: 0, outputTokens: 256, reasoningTokens: 0,
    raw: { input_tokens: 58, cache_read_input_tokens: 12, output_tokens: 256 },
  });
  assert.deepEqual(parts.at(-1), { type: 'finish', finishReason: 'length', rawFinishReason: 'max_tokens' });
});

test('a repeated message_start is ignored before content and is an error after it', () => {
  const start = payloads('truncated.chunks.txt')[0] as string;
  const [first, second] = [replay([start, start, '{"type":"message_stop"}']), replay([...payloads('truncated.chunks.txt'), start])];
  assert.deepEqual(first.map((part) => part.type), ['stream-start', 'usage', 'finish']);
  assert.deepEqual(second.map((part) => part.type), ['stream-start', 'text-delta', 'text-delta', 'error']);
});

test('every upstream event comes out once as a native part, in order, with its data unchanged', () => {
  const lines = payloads('parallel-tool-calls.chunks.txt');
  const native = replayAll(lines).filter((part) => part.type === 'native');
  assert.deepEqual(native.map((part) => part.type === 'native' && JSON.parse(part.data)), lines.map((line) => JSON.parse(line)));
  assert.ok(native.every((part) => part.type === 'native' && part.format === 'anthropic' && part.event === JSON.parse(part.data).type));
});

test('a thinking block ends with a reasoning-end carrying the signature assembled from signature_delta', () => {
  const lines = [
    { type: 'message_start', message: { id: 'msg_1', model: 'claude-x', usage: { input_tokens: 5, output_tokens: 1 } } },
    { type: 'content_block_start', index: 0, content_block: { type: 'thinking', thinking: '', signature: '' } },
    { type: 'content_block_delta', index: 0, delta: { type: 'thinking_delta', thinking: 'Let me ' } },
    { type: 'content_block_delta', index: 0, delta: { type: 'thinking_delta', thinking: 'think.' } },
    { type: 'content_block_delta', index: 0, delta: { type: 'signature_delta', signature: 'EqQBCkYIBxgC' } },
    { type: 'content_block_stop', index: 0 },
    { type: 'content_block_start', index: 1, content_block: { type: 'redacted_thinking', data: 'EmwKAhgBEgy3' } },
    { type: 'content_block_stop', index: 1 },
    { type: 'message_delta', delta: { stop_reason: 'end_turn' }, usage: { output_tokens: 9 } },
    { type: 'message_stop' },
  ].map((event) => JSON.stringify(event));
  const ends = replay(lines).filter((part) => part.type === 'reasoning-end');
  assert.deepEqual(ends, [
    { type: 'reasoning-end', part: { text: 'Let me think.', format: 'anthropic', signature: 'EqQBCkYIBxgC' } },
    { type: 'reasoning-end', part: { text: '', format: 'anthropic', encrypted: 'EmwKAhgBEgy3' } },
  ]);
});
