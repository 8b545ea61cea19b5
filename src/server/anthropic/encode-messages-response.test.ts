import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { ChatResponse, Usage } from '../../core/canonical.js';
import { parseAnthropicResponse } from '../../providers/anthropic/anthropic-response.js';
import { anthropicMessagesCodec } from './anthropic-messages-codec.js';
import { encodeMessagesResponse, encodeStopReason } from './encode-messages-response.js';

const usage: Usage = { inputTokens: 30, cacheReadTokens: 1200, cacheWriteTokens: 64, outputTokens: 57, reasoningTokens: 20 };

function response(overrides: Partial<ChatResponse> = {}): ChatResponse {
  return { id: 'chatcmpl-up1', model: 'gpt-upstream', created: 1_700_000_000, text: '', toolCalls: [], finishReason: 'stop', rawFinishReason: 'stop', usage, ...overrides };
}

test('reasoning, text and tool calls become thinking, text and tool_use blocks in that order', () => {
  const encoded = encodeMessagesResponse(
    response({
      reasoning: 'Two cities.',
      text: 'Checking both.',
      toolCalls: [
        { id: 'call_a', name: 'get_weather', arguments: '{"city":"Oslo"}' },
        { id: 'call_b', name: 'get_weather', arguments: '{"city":"Li' },
        { id: 'call_c', name: 'list', arguments: '[1,2]' },
      ],
      finishReason: 'tool-calls',
    }),
    usage,
    { id: 'msg_fixed', model: 'smart-route' },
  );
  assert.deepEqual(encoded, {
    id: 'msg_fixed',
    type: 'message',
    role: 'assistant',
    model: 'smart-route',
    content: [
      { type: 'thinking', thinking: 'Two cities.', signature: '' },
      { type: 'text', text: 'Checking both.' },
      { type: 'tool_use', id: 'call_a', name: 'get_weather', input: { city: 'Oslo' } },
      { type: 'tool_use', id: 'call_b', name: 'get_weather', input: {} },
      { type: 'tool_use', id: 'call_c', name: 'list', input: {} },
    ],
    stop_reason: 'tool_use',
    stop_sequence: null,
    usage: { input_tokens: 30, cache_creation_input_tokens: 64, cache_read_input_tokens: 1200, output_tokens: 57 },
  });
});

test('an empty answer has no content blocks', () => {
  const encoded = encodeMessagesResponse(response({ finishReason: 'content-filter' }), usage, { id: 'msg_x', model: 'm' });
  assert.deepEqual(encoded.content, []);
  assert.equal(encoded.stop_reason, 'refusal');
});

test('finish reasons map to Anthropic stop reasons', () => {
  assert.equal(encodeStopReason('stop'), 'end_turn');
  assert.equal(encodeStopReason('length'), 'max_tokens');
  assert.equal(encodeStopReason('tool-calls'), 'tool_use');
  assert.equal(encodeStopReason('content-filter'), 'refusal');
  assert.equal(encodeStopReason('other'), 'end_turn');
  assert.equal(encodeStopReason('error'), 'end_turn');
});

test('the codec keeps an upstream msg_ id and otherwise derives one from the request id', () => {
  assert.equal(anthropicMessagesCodec.dialect, 'anthropic');
  const derived = anthropicMessagesCodec.encodeResponse(response({ text: 'Hi' }), usage, '0b6f5a1c-2d3e-4f50-8a9b-0c1d2e3f4a5b', 'alias') as Record<string, unknown>;
  assert.equal(derived.id, 'msg_0b6f5a1c2d3e4f508a9b0c1d2e3f4a5b');
  assert.equal(derived.model, 'alias');
  const kept = anthropicMessagesCodec.encodeResponse(response({ id: 'msg_01Upstream', text: 'Hi' }), usage, 'req', 'alias') as Record<string, unknown>;
  assert.equal(kept.id, 'msg_01Upstream');
});

test('the provider parser reads the encoded message back to the same answer', () => {
  const original = response({ text: 'Sunny.', toolCalls: [{ id: 'toolu_1', name: 'get_weather', arguments: '{"city":"Oslo"}' }], finishReason: 'tool-calls' });
  const parsed = parseAnthropicResponse(JSON.parse(JSON.stringify(anthropicMessagesCodec.encodeResponse(original, usage, 'r1', 'alias'))), 'fallback');
  assert.equal(parsed.text, 'Sunny.');
  assert.deepEqual(parsed.toolCalls, original.toolCalls);
  assert.equal(parsed.finishReason, 'tool-calls');
  assert.equal(parsed.model, 'alias');
  assert.deepEqual({ ...parsed.usage, raw: undefined }, { inputTokens: 30, cacheReadTokens: 1200, cacheWriteTokens: 64, outputTokens: 57, reasoningTokens: 0, raw: undefined });
});
