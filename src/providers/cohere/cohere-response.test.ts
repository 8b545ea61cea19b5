import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { GatewayError } from '../../core/errors.js';
import { parseCohereEmbeddingResponse, parseCohereResponse } from './cohere-response.js';

// Compiled to dist/src/providers/cohere/; fixtures stay in the source tree.
function fixture(name: string): unknown {
  return JSON.parse(readFileSync(new URL(`../../../../src/providers/cohere/__fixtures__/${name}`, import.meta.url), 'utf8'));
}

test("a text response yields its text, stop, and the billed usage without Cohere's template tokens", () => {
  const response = parseCohereResponse(fixture('text.json'), 'command-a-03-2025');
  assert.equal(response.id, 'b3f1c2d4-0000-4a1e-9c7d-redacted00001');
  assert.equal(response.model, 'command-a-03-2025');
  assert.equal(response.text, 'Lisbon sits on seven hills above the Tagus.');
  assert.deepEqual(response.toolCalls, []);
  assert.equal(response.finishReason, 'stop');
  assert.equal(response.rawFinishReason, 'COMPLETE');
  assert.equal(response.reasoning, undefined);
  const { raw, ...usage } = response.usage ?? { raw: undefined };
  assert.deepEqual(usage, { inputTokens: 9, cacheReadTokens: 0, cacheWriteTokens: 0, outputTokens: 11, reasoningTokens: 0 });
  assert.deepEqual((raw as { billed_units: unknown }).billed_units, { input_tokens: 9, output_tokens: 11 });
});

test('tool calls keep their ids, the tool plan becomes the text, and "null" arguments become {}', () => {
  const response = parseCohereResponse(fixture('tool-calls.json'), 'command-a-03-2025');
  assert.equal(response.text, 'I will look up the tide table for Porto and then check the local time.');
  assert.deepEqual(response.toolCalls, [
    { id: 'tideTable_k2m8q0v1r7xz', name: 'tideTable', arguments: '{"port":"Porto","days":2}' },
    { id: 'localTime_p5w3n9c4d6ty', name: 'localTime', arguments: '{}' },
  ]);
  assert.equal(response.finishReason, 'tool-calls');
  assert.equal(response.rawFinishReason, 'TOOL_CALL');
  assert.equal(response.usage?.inputTokens, 88);
  assert.equal(response.usage?.cacheReadTokens, 0);
  assert.equal(response.usage?.outputTokens, 37);
});

test('thinking blocks become reasoning, apart from the text', () => {
  const response = parseCohereResponse(fixture('thinking.json'), 'command-a-reasoning-08-2025');
  assert.equal(response.reasoning, 'Seven times six is forty-two; no tool is needed.');
  assert.equal(response.text, '7 × 6 = 42');
  assert.equal(response.usage?.inputTokens, 10);
  assert.equal(response.usage?.cacheReadTokens, 0);
});

test('MAX_TOKENS maps to length', () => {
  const response = parseCohereResponse(fixture('max-tokens.json'), 'command-r');
  assert.equal(response.text, 'Once upon a');
  assert.equal(response.finishReason, 'length');
  assert.equal(response.rawFinishReason, 'MAX_TOKENS');
});

test('finish reasons STOP_SEQUENCE and ERROR map to stop and error', () => {
  const base = { id: 'x', message: { role: 'assistant', content: [{ type: 'text', text: 'a' }] } };
  assert.equal(parseCohereResponse({ ...base, finish_reason: 'STOP_SEQUENCE' }, 'm').finishReason, 'stop');
  assert.equal(parseCohereResponse({ ...base, finish_reason: 'ERROR' }, 'm').finishReason, 'error');
  assert.equal(parseCohereResponse({ ...base, finish_reason: 'SOMETHING_NEW' }, 'm').finishReason, 'other');
});

test('a usage object with billed units only still gives counts', () => {
  const body = { id: 'x', message: { role: 'assistant', content: [] }, finish_reason: 'COMPLETE', usage: { billed_units: { input_tokens: 3, output_tokens: 2 } } };
  const usage = parseCohereResponse(body, 'm').usage;
  assert.equal(usage?.inputTokens, 3);
  assert.equal(usage?.outputTokens, 2);
});

test('a body that is not a v2 Chat response is an upstream error', () => {
  assert.throws(() => parseCohereResponse({ text: 'v1 shape' }, 'm'), (error: unknown) => error instanceof GatewayError && error.code === 'upstream_error');
});

test('an Embed response yields the float vectors in order and billed input tokens', () => {
  const response = parseCohereEmbeddingResponse(fixture('embed.json'), 'embed-v4.0');
  assert.equal(response.model, 'embed-v4.0');
  assert.deepEqual(response.embeddings, [
    [0.0125, -0.0441, 0.0873, -0.0019],
    [-0.0302, 0.0116, -0.0654, 0.0447],
  ]);
  assert.equal(response.usage?.inputTokens, 6);
  assert.equal(response.usage?.outputTokens, 0);
});

test('an Embed response without float embeddings is an upstream error', () => {
  assert.throws(() => parseCohereEmbeddingResponse({ embeddings: { int8: [[1, 2]] } }, 'embed-v4.0'), (error: unknown) => error instanceof GatewayError && error.code === 'upstream_error');
});
