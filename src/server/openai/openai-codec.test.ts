import assert from 'node:assert/strict';
import { test } from 'node:test';
import { GatewayError } from '../../core/errors.js';
import { decodeChatRequest } from './decode-chat-request.js';
import { encodeChatResponse } from './encode-chat-response.js';
import { OpenAiStreamEncoder } from './encode-chat-stream.js';

test('a chat completions body decodes into the canonical request', () => {
  const request = decodeChatRequest({
    model: 'chat',
    messages: [
      { role: 'developer', content: 'Be brief.' },
      { role: 'user', content: [{ type: 'text', text: 'What is this?' }, { type: 'image_url', image_url: { url: 'data:image/png;base64,AAAA', detail: 'low' } }] },
      { role: 'assistant', content: null, tool_calls: [{ id: 'call_1', type: 'function', function: { name: 'look', arguments: '{"x":1}' } }] },
      { role: 'tool', tool_call_id: 'call_1', content: [{ type: 'text', text: 'a cat' }] },
    ],
    tools: [{ type: 'function', function: { name: 'look', parameters: { type: 'object' } } }],
    tool_choice: { type: 'function', function: { name: 'look' } },
    response_format: { type: 'json_object' },
    max_tokens: 10,
    max_completion_tokens: 20,
    stop: 'END',
    stream: true,
    stream_options: { include_usage: true },
    user: 'u1',
  });
  assert.deepEqual(request.messages, [
    { role: 'system', content: 'Be brief.' },
    { role: 'user', content: [{ type: 'text', text: 'What is this?' }, { type: 'image', url: 'data:image/png;base64,AAAA', mediaType: 'image/png', data: 'AAAA', detail: 'low' }] },
    { role: 'assistant', content: [], toolCalls: [{ id: 'call_1', name: 'look', arguments: '{"x":1}' }] },
    { role: 'tool', toolCallId: 'call_1', content: 'a cat' },
  ]);
  assert.deepEqual(request.toolChoice, { name: 'look' });
  assert.deepEqual(request.responseFormat, { type: 'json' });
  assert.equal(request.maxTokens, 20, 'max_completion_tokens wins over the deprecated max_tokens');
  assert.deepEqual(request.stop, ['END']);
  assert.equal(request.streamUsage, true);
  assert.equal(request.user, 'u1');
});

test('a bad body names the field to fix', () => {
  const cases: Array<[unknown, string]> = [
    [{ messages: [] }, 'model'],
    [{ model: 'm', messages: [] }, 'messages'],
    [{ model: 'm', messages: [{ role: 'user', content: [{ type: 'audio' }] }] }, 'messages[0].content[0].type'],
    [{ model: 'm', messages: [{ role: 'user', content: 'x' }], top_p: 2 }, 'top_p'],
    [{ model: 'm', messages: [{ role: 'user', content: 'x' }], max_tokens: 0 }, 'max_tokens'],
    [{ model: 'm', messages: [{ role: 'user', content: 'x' }], tools: [{ type: 'retrieval' }] }, 'tools[0].type'],
  ];
  for (const [body, param] of cases) {
    assert.throws(() => decodeChatRequest(body), (error: unknown) => error instanceof GatewayError && error.code === 'invalid_request' && error.param === param, param);
  }
});

test('a canonical answer encodes as a chat.completion with usage in OpenAI terms', () => {
  const usage = { inputTokens: 8, cacheReadTokens: 2, cacheWriteTokens: 0, outputTokens: 5, reasoningTokens: 1 };
  const body = encodeChatResponse({ id: 'x', model: 'up', created: 1, text: '', toolCalls: [{ id: 'c', name: 'f', arguments: '{}' }], finishReason: 'tool-calls', rawFinishReason: 'tool_use', usage }, 'chatcmpl-1', 'chat', usage);
  assert.deepEqual(body, {
    id: 'chatcmpl-1',
    object: 'chat.completion',
    created: 1,
    model: 'chat',
    choices: [{ index: 0, message: { role: 'assistant', content: null, refusal: null, tool_calls: [{ id: 'c', type: 'function', function: { name: 'f', arguments: '{}' } }] }, logprobs: null, finish_reason: 'tool_calls' }],
    usage: { prompt_tokens: 10, completion_tokens: 5, total_tokens: 15, prompt_tokens_details: { cached_tokens: 2 }, completion_tokens_details: { reasoning_tokens: 1 } },
  });
});

test('stream parts encode as chunk events, the role once, usage only when asked, then [DONE]', () => {
  const encoder = new OpenAiStreamEncoder('chatcmpl-1', 'chat', true);
  const events = [
    encoder.encode({ type: 'stream-start', id: 'u', model: 'up', created: 7 }),
    encoder.encode({ type: 'text-delta', text: 'Hi' }),
    encoder.encode({ type: 'tool-call-start', index: 0, id: 'c', name: 'f' }),
    encoder.encode({ type: 'tool-call-delta', index: 0, argumentsDelta: '{}' }),
    encoder.encode({ type: 'finish', finishReason: 'tool-calls', rawFinishReason: 'tool_calls' }),
    encoder.close({ inputTokens: 1, cacheReadTokens: 0, cacheWriteTokens: 0, outputTokens: 2, reasoningTokens: 0 }),
  ].join('');
  const chunks = events.split('\n\n').filter(Boolean).map((event) => event.slice('data: '.length));
  assert.equal(chunks.at(-1), '[DONE]');
  const parsed = chunks.slice(0, -1).map((chunk) => JSON.parse(chunk) as { created: number; choices: Array<{ delta: Record<string, unknown>; finish_reason: string | null }>; usage?: { total_tokens: number } });
  assert.deepEqual(parsed[0]?.choices[0]?.delta, { role: 'assistant', content: '' });
  assert.deepEqual(parsed[1]?.choices[0]?.delta, { content: 'Hi' });
  assert.deepEqual(parsed[2]?.choices[0]?.delta, { tool_calls: [{ index: 0, id: 'c', type: 'function', function: { name: 'f', arguments: '' } }] });
  assert.deepEqual(parsed[3]?.choices[0]?.delta, { tool_calls: [{ index: 0, function: { arguments: '{}' } }] });
  assert.equal(parsed[4]?.choices[0]?.finish_reason, 'tool_calls');
  assert.equal(parsed[5]?.usage?.total_tokens, 3);
  assert.ok(parsed.every((chunk) => chunk.created === 7));
  assert.equal(new OpenAiStreamEncoder('x', 'm', false).close({ inputTokens: 1, cacheReadTokens: 0, cacheWriteTokens: 0, outputTokens: 1, reasoningTokens: 0 }), 'data: [DONE]\n\n');
});
