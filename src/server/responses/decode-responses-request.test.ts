import assert from 'node:assert/strict';
import { test } from 'node:test';
import { GatewayError } from '../../core/errors.js';
import { decodeResponsesRequest } from './decode-responses-request.js';

test('a string input becomes one user message after the instructions', () => {
  const request = decodeResponsesRequest({ model: 'chat', input: 'Hi', instructions: 'Be brief.', max_output_tokens: 50 });
  assert.deepEqual(request.messages, [
    { role: 'system', content: 'Be brief.' },
    { role: 'user', content: [{ type: 'text', text: 'Hi' }] },
  ]);
  assert.equal(request.maxTokens, 50);
  assert.equal(request.stream, false);
  assert.equal(request.native?.format, 'openai-responses');
});

test('input items decode into messages, tool calls, tool results and reasoning parts', () => {
  const request = decodeResponsesRequest({
    model: 'chat',
    input: [
      { role: 'developer', content: 'Use tools.' },
      { type: 'message', role: 'user', content: [{ type: 'input_text', text: 'Weather?' }, { type: 'input_image', image_url: 'https://x/a.png', detail: 'low' }] },
      { type: 'reasoning', id: 'rs_1', summary: [{ type: 'summary_text', text: 'Think' }], encrypted_content: 'enc' },
      { type: 'function_call', call_id: 'call_1', name: 'weather', arguments: '{"city":"Oslo"}' },
      { type: 'function_call_output', call_id: 'call_1', output: 'cold' },
    ],
    tools: [{ type: 'function', name: 'weather', parameters: { type: 'object' }, strict: true }, { type: 'web_search' }],
    tool_choice: { type: 'function', name: 'weather' },
    text: { format: { type: 'json_schema', name: 'w', schema: { type: 'object' }, strict: true } },
    reasoning: { effort: 'low' },
    safety_identifier: 'cust-1',
  });
  assert.deepEqual(request.messages.slice(2), [
    {
      role: 'assistant', content: [],
      toolCalls: [{ id: 'call_1', name: 'weather', arguments: '{"city":"Oslo"}' }],
      reasoningParts: [{ text: 'Think', format: 'openai-responses', summary: ['Think'], id: 'rs_1', encrypted: 'enc' }],
    },
    { role: 'tool', toolCallId: 'call_1', content: 'cold' },
  ]);
  assert.deepEqual(request.messages[1], { role: 'user', content: [{ type: 'text', text: 'Weather?' }, { type: 'image', url: 'https://x/a.png', detail: 'low' }] });
  assert.deepEqual(request.tools, [{ name: 'weather', parameters: { type: 'object' }, strict: true }]);
  assert.deepEqual(request.toolChoice, { name: 'weather' });
  assert.deepEqual(request.responseFormat, { type: 'json-schema', name: 'w', schema: { type: 'object' }, strict: true });
  assert.equal(request.reasoningEffort, 'low');
  assert.equal(request.user, 'cust-1');
});

test('built-in tools stay in the native body only; function tools beside them are decoded', () => {
  const tools = [{ type: 'file_search' }, { type: 'function', name: 'lookup' }];
  const request = decodeResponsesRequest({ model: 'chat', input: 'x', tools });
  assert.deepEqual(request.tools, [{ name: 'lookup', parameters: { type: 'object', properties: {} } }]);
  assert.deepEqual(request.native?.body.tools, tools);
});

function paramOf(body: unknown, known?: Set<string>): string | undefined {
  try { decodeResponsesRequest(body, known ? { messages: [], callIds: known } : undefined); } catch (error) { if (error instanceof GatewayError) return error.param; throw error; }
  return undefined;
}

test('bad input names the field', () => {
  assert.equal(paramOf({ model: 'chat', input: [{ type: 'message', role: 'user', content: 'a' }, { type: 'bogus' }] }), 'input[1].type');
  assert.equal(paramOf({ model: 'chat', input: [{ type: 'function_call_output', call_id: 'nope', output: 'x' }] }), 'input[0].call_id');
  assert.equal(paramOf({ model: 'chat', input: [{ type: 'function_call_output', call_id: 'old', output: 'x' }] }, new Set(['old'])), undefined);
  assert.equal(paramOf({ model: 'chat' }), 'input');
  assert.equal(paramOf({ model: 'chat', input: 'x', text: { format: { type: 'yaml' } } }), 'text.format.type');
  assert.equal(paramOf({ model: 'chat', input: 'x', temperature: 3 }), 'temperature');
  assert.equal(paramOf({ model: 'chat', input: 'x', store: 'yes' }), 'store');
  assert.equal(paramOf({ model: 'chat', input: 'x', metadata: { team: 3 } }), 'metadata.team');
});
