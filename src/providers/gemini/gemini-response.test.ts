import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { GatewayError } from '../../core/errors.js';
import { geminiAdapter, vertexAdapter } from './gemini-adapter.js';
import { mapGeminiFinishReason } from './gemini-response.js';

const fixtures = new URL('../../../../src/providers/gemini/__fixtures__/', import.meta.url);
const readFixture = (name: string): unknown => JSON.parse(readFileSync(new URL(name, fixtures), 'utf8'));

test('a text response yields its text, id, model and usage with cached tokens split out', () => {
  const response = geminiAdapter.parseChatResponse(readFixture('gemini-text.json'), 'gemini-2.5-flash');
  assert.equal(response.text, 'The Danube flows through ten countries, more than any other river in the world.');
  assert.equal(response.id, 'q2fTaLmOBYeo1dkPzN2X8Qc');
  assert.equal(response.model, 'gemini-2.5-flash');
  assert.equal(response.finishReason, 'stop');
  assert.equal(response.rawFinishReason, 'STOP');
  assert.deepEqual(response.toolCalls, []);
  assert.equal(response.reasoning, undefined);
  const { raw, ...usage } = response.usage ?? {};
  assert.deepEqual(usage, { inputTokens: 263, cacheReadTokens: 2048, cacheWriteTokens: 0, outputTokens: 103, reasoningTokens: 86 });
  assert.equal((raw as { totalTokenCount: number }).totalTokenCount, 2414);
});

test('function calls become tool calls with synthesized ids and finish as tool-calls', () => {
  const response = geminiAdapter.parseChatResponse(readFixture('gemini-tool-calls.json'), 'gemini-2.5-pro');
  assert.equal(response.text, 'Let me check both cities.');
  assert.deepEqual(response.toolCalls.map(({ name, arguments: args }) => ({ name, arguments: args })), [
    { name: 'get_forecast', arguments: '{"city":"Lisbon","days":2}' },
    { name: 'get_forecast', arguments: '{"city":"Porto","days":2}' },
  ]);
  // Gemini sends no ids; each answer gets fresh ones so that a conversation never repeats an id.
  assert.match(response.toolCalls[0]?.id ?? '', /^call_[a-z0-9]+_0$/);
  assert.match(response.toolCalls[1]?.id ?? '', /^call_[a-z0-9]+_1$/);
  const again = geminiAdapter.parseChatResponse(readFixture('gemini-tool-calls.json'), 'gemini-2.5-pro');
  assert.notEqual(again.toolCalls[0]?.id, response.toolCalls[0]?.id);
  assert.equal(response.finishReason, 'tool-calls');
  assert.equal(response.rawFinishReason, 'STOP');
  assert.equal(response.usage?.outputTokens, 159);
});

test('thought parts go to reasoning, not to the text', () => {
  const response = geminiAdapter.parseChatResponse(readFixture('gemini-thinking.json'), 'gemini-2.5-flash');
  assert.equal(response.text, '17 × 3 + 4 = 55');
  assert.match(response.reasoning ?? '', /^\*\*Working out the sum\*\*/);
  assert.equal(response.usage?.reasoningTokens, 208);
  assert.equal(response.usage?.outputTokens, 219);
});

test('a blocked prompt finishes with content-filter and empty text', () => {
  const response = geminiAdapter.parseChatResponse(readFixture('gemini-blocked-prompt.json'), 'gemini-2.5-flash');
  assert.equal(response.text, '');
  assert.equal(response.finishReason, 'content-filter');
  assert.equal(response.rawFinishReason, 'PROHIBITED_CONTENT');
  assert.equal(response.usage?.inputTokens, 38);
  assert.equal(response.usage?.outputTokens, 0);
});

test('MAX_TOKENS finishes with length', () => {
  const response = geminiAdapter.parseChatResponse(readFixture('gemini-max-tokens.json'), 'gemini-2.0-flash');
  assert.equal(response.finishReason, 'length');
  assert.equal(response.rawFinishReason, 'MAX_TOKENS');
});

test('a Vertex response takes its creation time from createTime', () => {
  const response = vertexAdapter.parseChatResponse(readFixture('vertex-text.json'), 'gemini-2.0-flash-001');
  assert.equal(response.text, 'Bonjour ! Comment puis-je vous aider ?');
  assert.equal(response.created, Math.floor(Date.UTC(2025, 8, 24, 8, 15, 30) / 1000));
  assert.equal(response.model, 'gemini-2.0-flash-001');
  assert.equal(response.usage?.inputTokens, 8);
  assert.equal(response.usage?.outputTokens, 10);
});

test('finish reasons map to the unified set', () => {
  assert.equal(mapGeminiFinishReason('STOP', false), 'stop');
  assert.equal(mapGeminiFinishReason('STOP', true), 'tool-calls');
  for (const raw of ['SAFETY', 'RECITATION', 'BLOCKLIST', 'PROHIBITED_CONTENT', 'SPII']) assert.equal(mapGeminiFinishReason(raw, false), 'content-filter');
  assert.equal(mapGeminiFinishReason('MALFORMED_FUNCTION_CALL', false), 'other');
  assert.equal(mapGeminiFinishReason(undefined, false), 'other');
});

test('a body without candidates or prompt feedback is an upstream error', () => {
  assert.throws(
    () => geminiAdapter.parseChatResponse({ modelVersion: 'x' }, 'gemini-2.0-flash'),
    (error: unknown) => error instanceof GatewayError && error.code === 'upstream_error',
  );
});
