import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { GatewayError } from '../../core/errors.js';
import { mapStopReason, parseBedrockResponse } from './bedrock-response.js';

const fixtures = new URL('../../../../src/providers/bedrock/__fixtures__/', import.meta.url);
const load = (name: string): unknown => JSON.parse(readFileSync(new URL(name, fixtures), 'utf8'));
const model = 'anthropic.claude-3-5-haiku-20241022-v1:0';

test('a text response keeps cache reads apart from full-price input', () => {
  const response = parseBedrockResponse(load('text.json'), model);
  assert.equal(response.text, 'The capital of Australia is Canberra.');
  assert.equal(response.model, model);
  assert.match(response.id, /^bedrock-/);
  assert.deepEqual(response.toolCalls, []);
  assert.equal(response.finishReason, 'stop');
  assert.equal(response.rawFinishReason, 'end_turn');
  assert.equal(response.reasoning, undefined);
  const { raw, ...usage } = response.usage ?? {};
  assert.deepEqual(usage, { inputTokens: 14, cacheReadTokens: 1200, cacheWriteTokens: 0, outputTokens: 9, reasoningTokens: 0 });
  assert.equal((raw as { totalTokens: number }).totalTokens, 1223);
});

test('tool uses become tool calls with their input as JSON text', () => {
  const response = parseBedrockResponse(load('tool-use.json'), model);
  assert.equal(response.text, "I'll look up both cities.");
  assert.deepEqual(response.toolCalls, [
    { id: 'tooluse_Qm3vX9aLTe2Jd0bYk1Rw7A', name: 'get_forecast', arguments: '{"city":"Lisbon","unit":"celsius"}' },
    { id: 'tooluse_H8cNp2sUQyCw4fEo6gVt1B', name: 'get_forecast', arguments: '{"city":"Porto","unit":"celsius"}' },
  ]);
  assert.equal(response.finishReason, 'tool-calls');
  assert.equal(response.usage?.inputTokens, 388);
  assert.equal(response.usage?.cacheReadTokens, 0);
});

test('reasoning text is kept apart from the answer, and max_tokens is a length finish', () => {
  const response = parseBedrockResponse(load('reasoning.json'), model);
  assert.equal(response.reasoning, 'Seventeen times three is fifty-one; add four to get fifty-five.');
  assert.equal(response.text, '17 × 3 + 4 = 55');
  assert.equal(response.finishReason, 'length');
  assert.equal(response.usage?.cacheWriteTokens, 640);
});

test('stop reasons map to unified finish reasons', () => {
  assert.equal(mapStopReason('stop_sequence'), 'stop');
  assert.equal(mapStopReason('guardrail_intervened'), 'content-filter');
  assert.equal(mapStopReason('content_filtered'), 'content-filter');
  assert.equal(mapStopReason('something_new'), 'other');
  assert.equal(mapStopReason(undefined), 'other');
});

test('a body without an output message is an upstream error', () => {
  assert.throws(() => parseBedrockResponse({ message: 'nope' }, model), (error: unknown) => error instanceof GatewayError && error.code === 'upstream_error');
});
