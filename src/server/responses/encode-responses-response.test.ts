import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { ChatResponse } from '../../core/canonical.js';
import { encodeResponsesResponse } from './encode-responses-response.js';
import { responsesEcho } from './responses-codec.js';

const base: ChatResponse = {
  id: 'up_1', model: 'gpt-x', created: 1, text: 'Hello', toolCalls: [{ id: 'call_1', name: 'f', arguments: '{}' }],
  reasoningParts: [{ text: 'hm', format: 'openai-responses', summary: ['hm'], id: 'rs_9', encrypted: 'e' }],
  finishReason: 'tool-calls', rawFinishReason: undefined,
  usage: { inputTokens: 7, cacheReadTokens: 3, cacheWriteTokens: 0, outputTokens: 5, reasoningTokens: 2 },
};

test('a canonical response encodes as a Responses object with reasoning, message and function call items', () => {
  const body = encodeResponsesResponse(base, 'resp_abc', 100, responsesEcho({ store: true, metadata: {} }));
  assert.equal(body.object, 'response');
  assert.equal(body.status, 'completed');
  assert.deepEqual(body.output, [
    { type: 'reasoning', id: 'rs_9', summary: [{ type: 'summary_text', text: 'hm' }], encrypted_content: 'e' },
    { type: 'message', id: 'msg_abc', status: 'completed', role: 'assistant', content: [{ type: 'output_text', text: 'Hello', annotations: [] }] },
    { type: 'function_call', id: 'fc_abc_0', call_id: 'call_1', name: 'f', arguments: '{}', status: 'completed' },
  ]);
  assert.deepEqual(body.usage, {
    input_tokens: 10, input_tokens_details: { cached_tokens: 3 }, output_tokens: 5, output_tokens_details: { reasoning_tokens: 2 }, total_tokens: 15,
  });
  assert.equal(body.store, true);
});

test('length and content filter finish as incomplete with the reason', () => {
  assert.deepEqual(encodeResponsesResponse({ ...base, finishReason: 'length' }, 'resp_a', 1, responsesEcho({})).incomplete_details, { reason: 'max_output_tokens' });
  const filtered = encodeResponsesResponse({ ...base, finishReason: 'content-filter' }, 'resp_a', 1, responsesEcho({}));
  assert.equal(filtered.status, 'incomplete');
  assert.deepEqual(filtered.incomplete_details, { reason: 'content_filter' });
});

test('encrypted reasoning from another provider format is not sent', () => {
  const body = encodeResponsesResponse({ ...base, reasoningParts: [{ text: 't', format: 'anthropic', signature: 's', encrypted: 'x' }] }, 'resp_a', 1, responsesEcho({}));
  assert.deepEqual((body.output as unknown[])[0], { type: 'reasoning', id: 'rs_a_0', summary: [{ type: 'summary_text', text: 't' }] });
});

test('the object of a Responses-API provider goes back as it came, with the gateway id, the client model and storage fields', () => {
  const upstream = {
    id: 'resp_up', object: 'response', model: 'gpt-up', status: 'completed', store: false, previous_response_id: null,
    output: [{ id: 'ws_1', type: 'web_search_call', status: 'completed', action: { type: 'search', query: 'harbour' } }], usage: null,
  };
  const body = encodeResponsesResponse({ ...base, model: 'client-model', native: { format: 'openai-responses', body: upstream } }, 'resp_abc', 1, responsesEcho({ store: true, previous_response_id: 'resp_before' }));
  assert.deepEqual(body, { ...upstream, id: 'resp_abc', model: 'client-model', store: true, previous_response_id: 'resp_before' });
});

test('reasoning given as plain text only becomes one reasoning item, and a message cut at the limit is incomplete', () => {
  const body = encodeResponsesResponse({ ...base, toolCalls: [], reasoningParts: undefined, reasoning: 'Think first.', finishReason: 'length' }, 'resp_a', 1, responsesEcho({}));
  const output = body.output as { type: string; status?: string; summary?: unknown }[];
  assert.deepEqual(output.map((item) => item.type), ['reasoning', 'message']);
  assert.deepEqual(output[0]?.summary, [{ type: 'summary_text', text: 'Think first.' }]);
  assert.equal(output[1]?.status, 'incomplete');
});
