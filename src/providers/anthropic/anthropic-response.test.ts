import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { GatewayError } from '../../core/errors.js';
import { mapStopReason, parseAnthropicResponse } from './anthropic-response.js';

// Compiled to dist/src/providers/anthropic/; fixtures stay in the source tree.
function fixture(name: string): unknown {
  return JSON.parse(readFileSync(new URL(`../../../../src/providers/anthropic/__fixtures__/${name}`, import.meta.url), 'utf8'));
}

test('a text response becomes text with a stop finish and its usage', () => {
  const response = parseAnthropicResponse(fixture('text.json'), 'fallback-model');
  assert.equal(response.id, 'msg_01HqTextResponseRedacted');
  assert.equal(response.model, 'claude-sonnet-4-5-20250929');
  assert.equal(response.text, 'Paris is the capital of France.');
  assert.equal(response.reasoning, undefined);
  assert.deepEqual(response.toolCalls, []);
  assert.equal(response.finishReason, 'stop');
  assert.equal(response.rawFinishReason, 'end_turn');
  assert.equal(typeof response.created, 'number');
  assert.deepEqual({ ...response.usage, raw: undefined }, { inputTokens: 18, cacheReadTokens: 0, cacheWriteTokens: 0, outputTokens: 10, reasoningTokens: 0, raw: undefined });
});

test('tool_use blocks become tool calls with their input as JSON text', () => {
  const response = parseAnthropicResponse(fixture('tool-use.json'), 'fallback-model');
  assert.equal(response.text, "I'll look up the exchange rate and today's date.");
  assert.deepEqual(response.toolCalls, [
    { id: 'toolu_01RateLookupRedacted', name: 'get_exchange_rate', arguments: '{"from":"EUR","to":"JPY"}' },
    { id: 'toolu_01TodayRedacted', name: 'get_current_date', arguments: '{}' },
  ]);
  assert.equal(response.finishReason, 'tool-calls');
  assert.equal(response.rawFinishReason, 'tool_use');
});

test('thinking becomes reasoning and cache reads and writes are kept apart from input tokens', () => {
  const body = fixture('thinking-cached.json') as { usage: unknown };
  const response = parseAnthropicResponse(body, 'fallback-model');
  assert.equal(response.reasoning, '17 times 23: 17 times 20 is 340, plus 17 times 3 is 51, so 391.');
  assert.equal(response.text, '17 × 23 = 391.');
  assert.deepEqual(response.usage, { inputTokens: 9, cacheReadTokens: 2048, cacheWriteTokens: 310, outputTokens: 64, reasoningTokens: 0, raw: body.usage });
});

test('a refusal is a content-filter finish', () => {
  const response = parseAnthropicResponse(fixture('refusal.json'), 'fallback-model');
  assert.equal(response.text, '');
  assert.equal(response.finishReason, 'content-filter');
  assert.equal(response.rawFinishReason, 'refusal');
});

test('stop reasons map to unified finish reasons', () => {
  assert.equal(mapStopReason('stop_sequence'), 'stop');
  assert.equal(mapStopReason('max_tokens'), 'length');
  assert.equal(mapStopReason('pause_turn'), 'other');
  assert.equal(mapStopReason(undefined), 'other');
});

test('a body that is not a message is an upstream error', () => {
  assert.throws(() => parseAnthropicResponse({ type: 'message' }, 'm'), (error: unknown) => error instanceof GatewayError && error.code === 'upstream_error');
  assert.throws(() => parseAnthropicResponse('oops', 'm'), GatewayError);
});

test('the upstream model is used when the response names none', () => {
  assert.equal(parseAnthropicResponse({ id: 'msg_x', content: [], stop_reason: 'end_turn' }, 'claude-haiku-4-5').model, 'claude-haiku-4-5');
});
