import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { StreamPart } from '../../core/canonical.js';
import { GatewayError } from '../../core/errors.js';
import { ResponsesStreamEncoder } from './encode-responses-stream.js';
import { responsesEcho } from './responses-codec.js';

function events(text: string): { type: string; sequence_number: number; [key: string]: unknown }[] {
  return text.split('\n\n').filter(Boolean).map((block) => JSON.parse(block.split('\n')[1]!.slice(6)));
}

function run(parts: StreamPart[]): ReturnType<typeof events> {
  const encoder = new ResponsesStreamEncoder('resp_abc', 'm', 1, responsesEcho({ store: true }));
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
  assert.equal(completed.model, 'm', 'the model is the one the client asked for, not the upstream one');
  assert.deepEqual(completed.output.map((o) => o.type), ['reasoning', 'message', 'function_call']);
  assert.equal(completed.usage.total_tokens, 7);
  assert.equal(got[18]!.arguments, '{"a":1}');
  assert.equal(got[18]!.name, 'f', 'function_call_arguments.done names the function');
  assert.ok(got.filter((e) => e.type.startsWith('response.output_text.')).every((e) => Array.isArray(e.logprobs)), 'text events carry logprobs');
});

test('a length finish ends with response.incomplete', () => {
  const got = run([{ type: 'text-delta', text: 'a' }, { type: 'finish', finishReason: 'length', rawFinishReason: undefined }]);
  const last = got[got.length - 1]!;
  assert.equal(last.type, 'response.incomplete');
  assert.deepEqual((last.response as { incomplete_details: unknown }).incomplete_details, { reason: 'max_output_tokens' });
});

test('an error after the start sends response.failed with a documented error code and nothing after it', () => {
  const got = run([{ type: 'text-delta', text: 'a' }, { type: 'error', error: new GatewayError('rate_limited', 'slow down') }, { type: 'text-delta', text: 'b' }]);
  const last = got[got.length - 1]!;
  assert.equal(last.type, 'response.failed');
  assert.deepEqual((last.response as { error: unknown }).error, { code: 'rate_limit_exceeded', message: 'slow down' });
  assert.equal(got.filter((e) => e.type === 'response.completed').length, 0);
});

function native(event: Record<string, unknown>): StreamPart {
  return { type: 'native', format: 'openai-responses', event: String(event.type), data: JSON.stringify(event) };
}

test('events of a Responses-API provider are relayed as sent, with the gateway id and the client model', () => {
  const upstream = { id: 'resp_up', object: 'response', model: 'gpt-up', status: 'in_progress', output: [], store: false };
  const search = { id: 'ws_1', type: 'web_search_call', status: 'completed', action: { type: 'search', query: 'x' } };
  const got = run([
    native({ type: 'response.created', sequence_number: 0, response: upstream }),
    { type: 'stream-start', id: 'resp_up', model: 'gpt-up', created: 1 },
    native({ type: 'response.output_item.added', sequence_number: 1, output_index: 0, item: { ...search, status: 'in_progress' } }),
    native({ type: 'response.web_search_call.completed', sequence_number: 2, output_index: 0, item_id: 'ws_1' }),
    native({ type: 'response.output_item.done', sequence_number: 3, output_index: 0, item: search }),
    native({ type: 'response.completed', sequence_number: 4, response: { ...upstream, status: 'completed', output: [search] } }),
    { type: 'finish', finishReason: 'stop', rawFinishReason: 'completed' },
  ]);
  assert.deepEqual(got.map((e) => e.type), ['response.created', 'response.output_item.added', 'response.web_search_call.completed', 'response.output_item.done', 'response.completed']);
  assert.deepEqual(got.map((e) => e.sequence_number), [0, 1, 2, 3, 4]);
  assert.deepEqual(got[3]!.item, search);
  assert.deepEqual(got[4]!.response, { ...upstream, id: 'resp_abc', model: 'm', status: 'completed', output: [search], store: true, previous_response_id: null });
});

test('a relayed stream cut before its end closes with the gateway response.failed, numbered after the last event', () => {
  const item = { id: 'ws_1', type: 'web_search_call', status: 'completed' };
  const got = run([
    native({ type: 'response.created', sequence_number: 0, response: { id: 'resp_up', model: 'gpt-up', status: 'in_progress', output: [] } }),
    native({ type: 'response.output_item.done', sequence_number: 1, output_index: 0, item }),
    { type: 'error', error: new GatewayError('upstream_error', 'cut') },
  ]);
  const last = got[got.length - 1]!;
  assert.equal(last.type, 'response.failed');
  assert.equal(last.sequence_number, 2);
  assert.deepEqual((last.response as { output: unknown; error: unknown; id: string }).output, [item]);
  assert.deepEqual((last.response as { error: unknown }).error, { code: 'server_error', message: 'cut' });
});

test('parallel tool calls streamed interleaved become one function_call item after the other, each with its own arguments', () => {
  const got = run([
    { type: 'tool-call-start', index: 0, id: 'call_a', name: 'weather' },
    { type: 'tool-call-start', index: 1, id: 'call_b', name: 'time' },
    { type: 'tool-call-delta', index: 0, argumentsDelta: '{"city":' },
    { type: 'tool-call-delta', index: 1, argumentsDelta: '{"zone":"CET"}' },
    { type: 'tool-call-delta', index: 0, argumentsDelta: '"Paris"}' },
    { type: 'finish', finishReason: 'tool-calls', rawFinishReason: undefined },
  ]);
  const done = got.filter((e) => e.type === 'response.output_item.done').map((e) => e.item as { call_id: string; arguments: string; id: string });
  assert.deepEqual(done.map((item) => [item.call_id, item.arguments]), [['call_a', '{"city":"Paris"}'], ['call_b', '{"zone":"CET"}']]);
  const types = got.map((e) => e.type);
  assert.ok(types.indexOf('response.output_item.done') < types.lastIndexOf('response.output_item.added'), 'the second item is added after the first is done');
  const completed = got[got.length - 1]!.response as { output: { arguments: string }[] };
  assert.deepEqual(completed.output.map((item) => item.arguments), ['{"city":"Paris"}', '{"zone":"CET"}']);
});

test('the completed response lists the items in the order they streamed, reasoning after a tool call included', () => {
  const got = run([
    { type: 'reasoning-delta', text: 'first' },
    { type: 'tool-call-start', index: 0, id: 'call_a', name: 'search' },
    { type: 'tool-call-delta', index: 0, argumentsDelta: '{}' },
    { type: 'reasoning-delta', text: 'second' },
    { type: 'text-delta', text: 'Done.' },
    { type: 'finish', finishReason: 'stop', rawFinishReason: undefined },
  ]);
  const streamed = got.filter((e) => e.type === 'response.output_item.done').map((e) => e.item);
  const completed = got[got.length - 1]!.response as { output: { type: string }[] };
  assert.deepEqual(completed.output, streamed);
  assert.deepEqual(completed.output.map((item) => item.type), ['reasoning', 'function_call', 'reasoning', 'message']);
});

test('the final response is kept as the client received it, encoded or relayed', () => {
  const encoder = new ResponsesStreamEncoder('resp_abc', 'm', 1, responsesEcho({}));
  encoder.encode({ type: 'text-delta', text: 'Hi' });
  assert.equal(encoder.finalResponse(), undefined, 'nothing before the end');
  const text = encoder.encode({ type: 'finish', finishReason: 'stop', rawFinishReason: undefined }) + encoder.close(undefined);
  assert.deepEqual(encoder.finalResponse(), events(text).at(-1)!.response);
  const relayed = new ResponsesStreamEncoder('resp_abc', 'm', 1, responsesEcho({}));
  const completed = { type: 'response.completed', sequence_number: 0, response: { id: 'resp_up', model: 'up', status: 'completed', output: [{ id: 'ws_1', type: 'web_search_call', status: 'completed' }] } };
  relayed.encode(native(completed));
  assert.deepEqual(relayed.finalResponse(), { ...completed.response, id: 'resp_abc', model: 'm', store: true, previous_response_id: null });
});
