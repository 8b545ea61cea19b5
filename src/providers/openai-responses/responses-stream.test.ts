import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import type { StreamPart } from '../../core/canonical.js';
import { SseParser } from '../shared/sse-parser.js';
import { ResponsesStreamDecoder } from './responses-stream.js';

// Compiled to dist/src/providers/openai-responses/; fixtures stay in the source tree.
function payloads(name: string): string[] {
  const text = readFileSync(new URL(`../../../../src/providers/openai-responses/__fixtures__/${name}`, import.meta.url), 'utf8');
  return text.split('\n').filter((line) => line.trim() !== '');
}

/** Replays payloads as Responses SSE wire text in uneven chunks through the shared parser and the decoder. */
function replay(lines: string[], closeEarly = false): StreamPart[] {
  const wire = lines.map((line) => `event: ${(JSON.parse(line) as { type: string }).type}\ndata: ${line}\n\n`).join('');
  const parser = new SseParser();
  const decoder = new ResponsesStreamDecoder('fallback-model', 'openai');
  const parts: StreamPart[] = [];
  for (let offset = 0; offset < wire.length; offset += 41) {
    for (const event of parser.push(wire.slice(offset, offset + 41))) parts.push(...decoder.decode(event));
  }
  for (const event of parser.flush()) parts.push(...decoder.decode(event));
  if (!closeEarly) parts.push(...decoder.end());
  return parts;
}

function canonical(parts: StreamPart[]): unknown[] {
  return parts.filter((part) => part.type !== 'native').map((part) => (part.type === 'usage' ? { type: 'usage', usage: { ...part.usage, raw: undefined } } : part));
}

test('reasoning summary and text stream as deltas; the reasoning item closes with its final encrypted content', () => {
  const parts = replay(payloads('reasoning-text.chunks.txt'));
  assert.deepEqual(canonical(parts), [
    { type: 'stream-start', id: 'resp_redacted_03', model: 'gpt-5-mini-2025-08-07', created: 1765547809 },
    { type: 'reasoning-delta', text: 'Short answer' },
    { type: 'reasoning-delta', text: ' wanted.' },
    { type: 'reasoning-end', part: { text: 'Short answer wanted.', format: 'openai-responses', id: 'rs_redacted_03', encrypted: 'gAAAAABredactedFinal', summary: ['Short answer wanted.'] } },
    { type: 'text-delta', text: 'Tides' },
    { type: 'text-delta', text: ' follow the moon.' },
    { type: 'usage', usage: { inputTokens: 12, cacheReadTokens: 8, cacheWriteTokens: 0, outputTokens: 30, reasoningTokens: 22, raw: undefined } },
    { type: 'finish', finishReason: 'stop', rawFinishReason: 'completed' },
  ]);
});

test('every upstream event is passed on once as a native part, verbatim and in order', () => {
  const lines = payloads('reasoning-text.chunks.txt');
  const natives = replay(lines).filter((part) => part.type === 'native');
  assert.equal(natives.length, lines.length);
  assert.deepEqual(natives.map((part) => part.type === 'native' && part.data), lines);
  assert.deepEqual(natives[0], { type: 'native', format: 'openai-responses', event: 'response.created', data: lines[0] });
});

test('a function call streams as a tool call start and argument deltas, and a completed response with calls finishes as tool-calls', () => {
  assert.deepEqual(canonical(replay(payloads('function-call.chunks.txt'))), [
    { type: 'stream-start', id: 'resp_redacted_04', model: 'gpt-5-mini-2025-08-07', created: 1765547900 },
    { type: 'tool-call-start', index: 0, id: 'call_redacted_04', name: 'get_weather' },
    { type: 'tool-call-delta', index: 0, argumentsDelta: '{"city":' },
    { type: 'tool-call-delta', index: 0, argumentsDelta: '"Paris"}' },
    { type: 'usage', usage: { inputTokens: 40, cacheReadTokens: 0, cacheWriteTokens: 0, outputTokens: 18, reasoningTokens: 0, raw: undefined } },
    { type: 'finish', finishReason: 'tool-calls', rawFinishReason: 'completed' },
  ]);
});

test('an error event ends the stream with an error, never a finish', () => {
  const parts = canonical(replay(payloads('failed.chunks.txt')));
  const last = parts.at(-1) as { type: string; error?: { code: string; message: string } };
  assert.equal(last.type, 'error');
  assert.equal(last.error?.code, 'upstream_error');
  assert.match(last.error?.message ?? '', /server had an error/);
  assert.equal(parts.filter((part) => (part as { type: string }).type === 'finish').length, 0);
});

test('a stream cut before response.completed ends with an error', () => {
  const lines = payloads('function-call.chunks.txt').slice(0, 3);
  const parts = replay(lines);
  assert.equal(parts.at(-1)?.type, 'error');
});

test('an error event with its fields inside an error object, as OpenAI also sends it, keeps its code and message', () => {
  const created = JSON.stringify({ type: 'response.created', sequence_number: 0, response: { id: 'resp_e', object: 'response', model: 'gpt-x', status: 'in_progress', output: [] } });
  const failure = JSON.stringify({ type: 'error', sequence_number: 1, error: { type: 'tokens', code: 'rate_limit_exceeded', message: 'Rate limit reached for gpt-x.', param: null } });
  const errors = replay([created, failure]).filter((part) => part.type === 'error');
  assert.equal(errors.length, 1);
  const error = (errors[0] as Extract<StreamPart, { type: 'error' }>).error;
  assert.equal(error.code, 'rate_limited');
  assert.match(error.message, /Rate limit reached for gpt-x\./);
});
