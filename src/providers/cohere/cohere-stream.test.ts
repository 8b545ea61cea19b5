import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import type { StreamPart } from '../../core/canonical.js';
import { SseParser } from '../shared/sse-parser.js';
import { createCohereStreamDecoder } from './cohere-stream.js';

// Compiled to dist/src/providers/cohere/; fixtures stay in the source tree.
function payloads(name: string): string[] {
  const text = readFileSync(new URL(`../../../../src/providers/cohere/__fixtures__/${name}`, import.meta.url), 'utf8');
  return text.split('\n').filter((line) => line.trim() !== '');
}

/** Replays payloads as Cohere's SSE wire text (event name = type), in uneven chunks, through the shared parser. */
function replay(lines: string[]): StreamPart[] {
  const wire = lines.map((line) => `event: ${(JSON.parse(line) as { type: string }).type}\ndata: ${line}\n\n`).join('');
  const parser = new SseParser();
  const decoder = createCohereStreamDecoder('command-a-03-2025');
  const parts: StreamPart[] = [];
  for (let offset = 0; offset < wire.length; offset += 41) {
    for (const event of parser.push(wire.slice(offset, offset + 41))) parts.push(...decoder.decode(event));
  }
  for (const event of parser.flush()) parts.push(...decoder.decode(event));
  parts.push(...decoder.end());
  return parts;
}

function normalized(parts: StreamPart[]): unknown[] {
  return parts.map((part) => {
    if (part.type === 'stream-start') return { ...part, created: 0 };
    if (part.type === 'usage') return { type: 'usage', usage: { ...part.usage, raw: undefined } };
    if (part.type === 'error') return { type: 'error', code: part.error.code, message: part.error.message };
    return part;
  });
}

test('a text stream yields start, text deltas, the billed usage, then finish', () => {
  assert.deepEqual(normalized(replay(payloads('text.chunks.txt'))), [
    { type: 'stream-start', id: 'a9e4d3c2-0000-4f6d-c4a5-redacted00006', model: 'command-a-03-2025', created: 0 },
    { type: 'text-delta', text: 'Gulls' },
    { type: 'text-delta', text: ' circle' },
    { type: 'text-delta', text: ' the' },
    { type: 'text-delta', text: ' pier.' },
    { type: 'usage', usage: { inputTokens: 7, cacheReadTokens: 0, cacheWriteTokens: 0, outputTokens: 5, reasoningTokens: 0, raw: undefined } },
    { type: 'finish', finishReason: 'stop', rawFinishReason: 'COMPLETE' },
  ]);
});

test('the usage part keeps the raw Cohere usage, billed units included', () => {
  const usage = replay(payloads('text.chunks.txt')).find((part) => part.type === 'usage');
  assert.ok(usage && usage.type === 'usage');
  assert.deepEqual(usage.usage.raw, { billed_units: { input_tokens: 7, output_tokens: 5 }, tokens: { input_tokens: 530, output_tokens: 8 }, cached_tokens: 448 });
});

test('a tool plan and two parallel tool calls stream with indexes from zero; a call without arguments gets {}', () => {
  assert.deepEqual(normalized(replay(payloads('parallel-tool-calls.chunks.txt'))), [
    { type: 'stream-start', id: 'b7f5e4d3-0000-4a7e-d5b6-redacted00007', model: 'command-a-03-2025', created: 0 },
    { type: 'text-delta', text: 'I will check' },
    { type: 'text-delta', text: ' the tides and the time.' },
    { type: 'tool-call-start', index: 0, id: 'tideTable_h4j7k1m3n5pq', name: 'tideTable' },
    { type: 'tool-call-delta', index: 0, argumentsDelta: '{"port"' },
    { type: 'tool-call-delta', index: 0, argumentsDelta: ': "Porto"}' },
    { type: 'tool-call-start', index: 1, id: 'localTime_r8s2t6u0v4wx', name: 'localTime' },
    { type: 'tool-call-delta', index: 1, argumentsDelta: '{}' },
    { type: 'usage', usage: { inputTokens: 52, cacheReadTokens: 0, cacheWriteTokens: 0, outputTokens: 21, reasoningTokens: 0, raw: undefined } },
    { type: 'finish', finishReason: 'tool-calls', rawFinishReason: 'TOOL_CALL' },
  ]);
});

test('thinking content streams as reasoning before the text', () => {
  const parts = normalized(replay(payloads('thinking.chunks.txt')));
  assert.deepEqual(parts.slice(1, 4), [
    { type: 'reasoning-delta', text: 'Nine squared' },
    { type: 'reasoning-delta', text: ' is eighty-one.' },
    { type: 'text-delta', text: '81' },
  ]);
  assert.deepEqual(parts.at(-1), { type: 'finish', finishReason: 'stop', rawFinishReason: 'COMPLETE' });
});

test('a stream cut before message-end ends with an error, never a finish', () => {
  const parts = normalized(replay(payloads('truncated.chunks.txt')));
  assert.deepEqual(parts.slice(1, 2), [{ type: 'text-delta', text: 'The ferry leaves' }]);
  const last = parts.at(-1) as { type: string; code: string };
  assert.equal(last.type, 'error');
  assert.equal(last.code, 'upstream_error');
  assert.equal(parts.some((part) => (part as { type: string }).type === 'finish'), false);
});

test('message-end with finish_reason ERROR keeps usage and ends with an error part instead of a finish', () => {
  const lines = [
    '{"id":"e1","type":"message-start","delta":{"message":{"role":"assistant"}}}',
    '{"type":"content-delta","index":0,"delta":{"message":{"content":{"text":"Half"}}}}',
    '{"type":"message-end","delta":{"finish_reason":"ERROR","error":"internal generation failure","usage":{"tokens":{"input_tokens":20,"output_tokens":1}}}}',
  ];
  const parts = normalized(replay(lines));
  assert.deepEqual(parts.slice(1, 3), [
    { type: 'text-delta', text: 'Half' },
    { type: 'usage', usage: { inputTokens: 20, cacheReadTokens: 0, cacheWriteTokens: 0, outputTokens: 1, reasoningTokens: 0, raw: undefined } },
  ]);
  const last = parts.at(-1) as { type: string; code: string; message: string };
  assert.equal(last.type, 'error');
  assert.match(last.message, /internal generation failure/);
  assert.equal(parts.length, 4);
});

test('an event that is not JSON ends the stream with an error, and later events are ignored', () => {
  const decoder = createCohereStreamDecoder('m');
  const parts = decoder.decode({ event: 'content-delta', data: 'not json' });
  assert.equal(parts[0]?.type, 'error');
  assert.deepEqual(decoder.decode({ event: 'message-end', data: '{"type":"message-end","delta":{"finish_reason":"COMPLETE"}}' }), []);
  assert.deepEqual(decoder.end(), []);
});

test('citation events and content-end produce nothing', () => {
  const decoder = createCohereStreamDecoder('m');
  assert.deepEqual(decoder.decode({ event: 'citation-start', data: '{"type":"citation-start","index":0,"delta":{"message":{"citations":{"start":0,"end":3}}}}' }), []);
  assert.deepEqual(decoder.decode({ event: 'content-end', data: '{"type":"content-end","index":0}' }), []);
});
