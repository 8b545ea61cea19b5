import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { GatewayError } from '../../core/errors.js';
import { parseResponsesResponse } from './responses-response.js';

function fixture(name: string): unknown {
  return JSON.parse(readFileSync(new URL(`../../../../src/providers/openai-responses/__fixtures__/${name}`, import.meta.url), 'utf8'));
}

test('a response with a reasoning item and a function call keeps the encrypted reasoning, the call and the cached and reasoning tokens', () => {
  const body = fixture('reasoning-tool-call.json');
  const response = parseResponsesResponse(body, 'fallback', 'openai');
  assert.equal(response.id, 'resp_redacted_01');
  assert.equal(response.model, 'gpt-5-mini-2025-08-07');
  assert.equal(response.created, 1765587000);
  assert.equal(response.text, '');
  assert.deepEqual(response.toolCalls, [{ id: 'call_redacted_01', name: 'get_weather', arguments: '{"city":"Paris"}', providerMetadata: { 'openai-responses': { itemId: 'fc_redacted_01' } } }]);
  assert.deepEqual(response.reasoningParts, [{ text: 'Need the weather first.', format: 'openai-responses', id: 'rs_redacted_01', encrypted: 'gAAAAABredactedEncryptedReasoning', summary: ['Need the weather first.'] }]);
  assert.equal(response.reasoning, 'Need the weather first.');
  assert.equal(response.finishReason, 'tool-calls');
  assert.deepEqual({ ...response.usage, raw: undefined }, { inputTokens: 20, cacheReadTokens: 64, cacheWriteTokens: 0, outputTokens: 150, reasoningTokens: 128, raw: undefined });
  assert.deepEqual(response.native, { format: 'openai-responses', body });
});

test('an incomplete response for max_output_tokens finishes as length with its partial text', () => {
  const response = parseResponsesResponse(fixture('incomplete.json'), 'fallback', 'openai');
  assert.equal(response.text, 'Tides follow');
  assert.equal(response.finishReason, 'length');
  assert.equal(response.rawFinishReason, 'max_output_tokens');
});

test('a failed response or a body that is not a response is an upstream error', () => {
  assert.throws(() => parseResponsesResponse({ object: 'response', status: 'failed', output: [], error: { code: 'rate_limit_exceeded', message: 'slow down' } }, 'm', 'openai'), (error: unknown) => error instanceof GatewayError && error.code === 'rate_limited');
  assert.throws(() => parseResponsesResponse({ choices: [] }, 'm', 'openai'), (error: unknown) => error instanceof GatewayError && error.code === 'upstream_error');
});
