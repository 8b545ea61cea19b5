import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { ChatResponse } from '../../core/canonical.js';
import type { StoredResponse } from '../../store/store.js';
import type { Json } from '../openai/field-reader.js';
import { decodeResponsesRequest } from './decode-responses-request.js';
import { encodeResponsesResponse } from './encode-responses-response.js';
import { responsesEcho } from './responses-codec.js';
import { ResponsesStreamEncoder } from './encode-responses-stream.js';
import { carryOf, historyOfChain, normaliseInputItems } from './stored-items.js';
import { pageOfItems } from './stored-responses-routes.js';

const thinking = { text: 'Weather needs a tool.', format: 'anthropic' as const, signature: 'sig-anthropic-1' };
const geminiCall = { id: 'call_1', name: 'get_weather', arguments: '{"city":"Paris"}', providerMetadata: { gemini: { thoughtSignature: 'thought-sig' } } };

function stored(id: string, response: Json, inputItems: Json[], carry: unknown, previousResponseId: string | null = null): StoredResponse {
  return { id, owner: { keyId: 'k', team: null }, previousResponseId, createdAt: 0, response, inputItems, carry };
}

test('input is normalised into typed items with ids, message text as parts', () => {
  assert.deepEqual(normaliseInputItems('hi', 'resp_abc'), [{ type: 'message', role: 'user', content: [{ type: 'input_text', text: 'hi' }], id: 'msg_abc_in0', status: 'completed' }]);
  const items = normaliseInputItems([
    { role: 'assistant', content: 'before' },
    { type: 'function_call_output', call_id: 'c', output: 'x' },
    { type: 'message', id: 'msg_given', role: 'developer', content: [{ type: 'input_text', text: 'rule' }] },
  ], 'resp_abc');
  assert.deepEqual(items.map((item) => item.id), ['msg_abc_in0', 'fco_abc_in1', 'msg_given']);
  assert.deepEqual(items[0]?.content, [{ type: 'output_text', text: 'before', annotations: [] }]);
});

test('a stored answer from another provider keeps its reasoning signature and call metadata for the next turn', () => {
  const answer: ChatResponse = {
    id: 'x', model: 'claude', created: 1, text: '', toolCalls: [geminiCall], reasoningParts: [thinking], finishReason: 'tool-calls', rawFinishReason: 'tool_use', usage: undefined,
  };
  const object = encodeResponsesResponse(answer, 'resp_one', 1, responsesEcho({}));
  const reasoningItem = (object.output as Json[])[0];
  // The wire item cannot say which provider thought it, nor carry its signature.
  assert.equal(reasoningItem?.encrypted_content, undefined);
  const carry = carryOf(object, answer.reasoningParts ?? [], answer.toolCalls);
  const history = historyOfChain([stored('resp_one', object, normaliseInputItems('Weather in Paris?', 'resp_one'), JSON.parse(JSON.stringify(carry)))]);
  const request = decodeResponsesRequest({ model: 'm', input: [{ type: 'function_call_output', call_id: 'call_1', output: 'sunny' }] }, history);
  assert.deepEqual(request.messages, [
    { role: 'user', content: [{ type: 'text', text: 'Weather in Paris?' }] },
    { role: 'assistant', content: [], toolCalls: [geminiCall], reasoningParts: [thinking] },
    { role: 'tool', toolCallId: 'call_1', content: 'sunny' },
  ]);
});

test('a streamed answer exposes the object of its final event and the parts behind it', () => {
  const encoder = new ResponsesStreamEncoder('resp_s', 'm', 1, responsesEcho({}));
  encoder.open();
  encoder.encode({ type: 'reasoning-delta', text: 'Thinking.' });
  encoder.encode({ type: 'reasoning-end', part: { text: 'Thinking.', format: 'anthropic', signature: 'sig-2' } });
  encoder.encode({ type: 'tool-call-start', index: 0, id: 'call_9', name: 'f', providerMetadata: { gemini: { thoughtSignature: 't' } } });
  encoder.encode({ type: 'tool-call-delta', index: 0, argumentsDelta: '{}' });
  encoder.encode({ type: 'finish', finishReason: 'tool-calls', rawFinishReason: undefined });
  encoder.close(undefined);
  const finished = encoder.finished;
  assert.ok(finished);
  assert.equal(finished.response.status, 'completed');
  const carry = carryOf(finished.response, finished.reasoningParts, finished.toolCalls);
  assert.deepEqual(Object.values(carry.reasoning).map((part) => [part.format, part.signature]), [['anthropic', 'sig-2']]);
  assert.deepEqual(carry.calls, { call_9: { gemini: { thoughtSignature: 't' } } });
});

test('a chain joins each response input and output in order; built-in tool items of a relayed answer are skipped', () => {
  const first = stored('resp_1', { output: [{ type: 'message', role: 'assistant', content: [{ type: 'output_text', text: 'A1' }] }, { type: 'web_search_call', id: 'ws_1', status: 'completed' }] }, normaliseInputItems('Q1', 'resp_1'), null);
  const second = stored('resp_2', { output: [{ type: 'message', role: 'assistant', content: [{ type: 'output_text', text: 'A2' }] }] }, normaliseInputItems([{ role: 'developer', content: 'Mid rule.' }, { role: 'user', content: 'Q2' }], 'resp_2'), null, 'resp_1');
  const history = historyOfChain([first, second]);
  assert.deepEqual(history.messages.map((message) => [message.role, JSON.stringify(message.content)]), [
    ['user', '[{"type":"text","text":"Q1"}]'], ['assistant', '[{"type":"text","text":"A1"}]'], ['system', '"Mid rule."'], ['user', '[{"type":"text","text":"Q2"}]'], ['assistant', '[{"type":"text","text":"A2"}]'],
  ]);
});

test('input item pages: before gives the page right before the cursor', () => {
  const items = ['a', 'b', 'c', 'd', 'e'].map((id) => ({ id }));
  const ids = (query: string) => pageOfItems(items, new URLSearchParams(query)).data.map((item) => item.id);
  assert.deepEqual(ids(''), ['e', 'd', 'c', 'b', 'a']);
  assert.deepEqual(ids('order=asc&before=d&limit=2'), ['b', 'c']);
  assert.deepEqual(ids('order=asc&after=a&before=d'), ['b', 'c']);
  assert.deepEqual(pageOfItems([], new URLSearchParams()), { object: 'list', data: [], first_id: null, last_id: null, has_more: false });
  assert.throws(() => pageOfItems(items, new URLSearchParams('after=zz')), /after: no input item/);
  assert.throws(() => pageOfItems(items, new URLSearchParams('order=up')), /order/);
});
