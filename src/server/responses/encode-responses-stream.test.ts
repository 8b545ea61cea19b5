import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { StreamPart } from '../../core/canonical.js';
import { GatewayError } from '../../core/errors.js';
import { ResponsesStreamEncoder } from './encode-responses-stream.js';

function events(text: string): { type: string; sequence_number: number; [key: string]: unknown }[] {
  return text.split('\n\n').filter(Boolean).map((block) => JSON.parse(block.split('\n')[1]!.slice(6)));
}

function run(parts: StreamPart[]): ReturnType<typeof events> {
  const encoder = new ResponsesStreamEncoder('resp_abc', 'm', 1, { store: true });
  let out = encoder.open();
  for (const part of parts) out += encoder.encode(part);
  out += encoder.close({ inputTokens: 4, cacheReadTokens: 0, cacheWriteTokens: 0, outputTokens: 3, reasoningTokens: 1 });
  return events(out);
}

test('reasoning, text and a function call stream as the documented event sequence with sequence numbers', () => {
  const got = run([
    { type: 'stream-start', id: 'x', model: 'up-model', created: 1 },
    { type: 'reasoning-delta', text: 'th' },
    { type: 'reasoning-end', part: { text: 'th', format: 'anthropic', signature: 's' } },
    { type: 'text-delta', text: 'He' }, { type: 'text-delta', text: 'llo' },
    { type: 'tool-call-start', index: 0, id: 'call_1', name: 'f' },
    { type: 'tool-call-delta', index: 0, argumentsDelta: '{"a":' }, { type: 'tool-call-delta', index: 0, argumentsDelta: '1}' },
    { type: 'finish', finishReason: 'tool-calls', rawFinishReason: undefined },
  ]);
  assert.deepEqual(got.map((e) => e.type), [
    'response.created', 'response.in_progress',
    'response.output_item.added', 'response.reasoning_summary_part.added', 'response.reasoning_summary_text.delta',
    'response.reasoning_summary_text.done', 'response.reasoning_summary_part.done', 'response.output_item.done',
    'response.output_item.added', 'response.content_part.added', 'response.output_text.delta', 'response.output_text.delta',
    'response.output_text.done', 'response.content_part.done', 'response.output_item.done',
    'response.output_item.added', 'response.function_call_arguments.delta', 'response.function_call_arguments.delta',
    'response.function_call_arguments.done', 'response.output_item.done', 'response.completed',
  ]);
  assert.deepEqual(got.map((e) => e.sequence_number), got.map((_, i) => i));
  const completed = got[got.length - 1]!.response as { model: string; output: { type: string }[]; usage: { total_tokens: number } };
  assert.equal(completed.model, 'up-model');
  assert.deepEqual(completed.output.map((o) => o.type), ['reasoning', 'message', 'function_call']);
  assert.equal(completed.usage.total_tokens, 7);
  assert.equal(got[18]!.arguments, '{"a":1}');
});

test('a length finish ends with response.incomplete', () => {
  const got = run([{ type: 'text-delta', text: 'a' }, { type: 'finish', finishReason: 'length', rawFinishReason: undefined }]);
  const last = got[got.length - 1]!;
  assert.equal(last.type, 'response.incomplete');
  assert.deepEqual((last.response as { incomplete_details: unknown }).incomplete_details, { reason: 'max_output_tokens' });
});

test('an error after the start sends response.failed and nothing after it', () => {
  const got = run([{ type: 'text-delta', text: 'a' }, { type: 'error', error: new GatewayError('upstream_error', 'boom') }, { type: 'text-delta', text: 'b' }]);
  assert.equal(got[got.length - 1]!.type, 'response.failed');
  assert.equal(got.filter((e) => e.type === 'response.completed').length, 0);
});
