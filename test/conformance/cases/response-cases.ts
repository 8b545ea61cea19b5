import assert from 'node:assert/strict';
import { totalInputTokens, type ChatResponse, type ToolCall } from '../../../src/core/canonical.js';
import { imageAdapterFor } from '../../../src/providers/images/image-adapters.js';
import { answer, embeddingRequest, pixelPng, toUsage } from '../canonical-cases.js';
import type { ConformanceRow } from '../rows.js';
import { plainUsage } from '../stream-harness.js';
import type { WireKit } from '../wire-kit.js';
import { overTheWire, type ConformanceCase } from './conformance-case.js';

function parse(row: ConformanceRow, body: unknown): ChatResponse {
  return row.adapter.parseChatResponse(overTheWire(body), row.kit.upstreamModel);
}

export function assertId(actual: string, expected: string | RegExp, what: string): void {
  if (typeof expected === 'string') assert.equal(actual, expected, what);
  else assert.match(actual, expected, what);
}

/** Ids are the provider's where the wire has them; otherwise the adapter must make distinct, non-empty ones. */
export function assertToolCalls(calls: Array<Pick<ToolCall, 'id' | 'name' | 'arguments'>>, kit: WireKit): void {
  assert.deepEqual(calls.map((call) => call.name), answer.toolCalls.map((call) => call.name));
  calls.forEach((call, index) => {
    assert.deepEqual(JSON.parse(call.arguments), answer.toolCalls[index]?.arguments, `arguments of ${call.name}`);
  });
  if (kit.expect.toolCallIds === 'generated') {
    assert.ok(calls.every((call) => call.id !== ''), 'every tool call has an id');
    assert.equal(new Set(calls.map((call) => call.id)).size, calls.length, 'tool call ids are distinct');
  } else {
    assert.deepEqual(calls.map((call) => call.id), [...kit.expect.toolCallIds]);
  }
}

const imageRequest = { model: 'harbour-painter', prompt: 'A small harbour at dawn', n: 1, size: '1024x1024', responseFormat: 'b64_json' as const };

export const responseCases: ConformanceCase[] = [
  {
    capability: 'chat',
    id: 'chat/response',
    title: 'decodes a text answer into the canonical response',
    run(row) {
      const response = parse(row, row.kit.responses.text);
      assertId(response.id, row.kit.expect.responseId, 'response id');
      assert.equal(response.model, row.kit.expect.model);
      assert.equal(response.text, answer.text);
      assert.deepEqual(response.toolCalls, []);
      assert.equal(response.finishReason, 'stop');
      assert.equal(response.rawFinishReason, row.kit.expect.rawFinish.stop);
    },
  },
  {
    capability: 'tools',
    id: 'tools/response',
    title: 'decodes two tool calls with their ids, names and arguments, and the text before them',
    run(row) {
      const response = parse(row, row.kit.responses.toolCalls);
      assert.equal(response.text, answer.preamble);
      assertToolCalls(response.toolCalls, row.kit);
      assert.equal(response.finishReason, 'tool-calls');
      assert.equal(response.rawFinishReason, row.kit.expect.rawFinish.toolCalls);
    },
  },
  {
    capability: 'json',
    id: 'json/response',
    title: 'decodes a JSON-mode answer into text that parses to the JSON sent',
    run(row) {
      const response = parse(row, row.kit.responses.json);
      assert.deepEqual(JSON.parse(response.text), answer.json);
      assert.equal(response.finishReason, 'stop');
    },
  },
  {
    capability: 'usage',
    id: 'usage/text',
    title: 'reports input and output tokens and keeps the raw usage',
    run(row) {
      const usage = parse(row, row.kit.responses.text).usage;
      assert.ok(usage, 'the response has usage');
      assert.deepEqual(plainUsage(usage), toUsage(answer.textUsage));
      assert.ok(usage.raw !== undefined, 'the provider usage is kept raw beside it');
      assert.ok(!usage.estimated, 'reported usage is not marked estimated');
    },
  },
  {
    capability: 'usage',
    id: 'usage/cached',
    title: 'splits cached input tokens from full-price ones',
    run(row) {
      const usage = parse(row, row.kit.responses.cachedUsage).usage;
      assert.ok(usage, 'the response has usage');
      const expected = toUsage({ ...answer.cachedUsage, cacheWrite: row.kit.expect.cacheWriteTokens });
      assert.deepEqual(plainUsage(usage), expected);
      assert.equal(totalInputTokens(usage), 100 + row.kit.expect.cacheWriteTokens, 'all prompt tokens are counted once');
    },
  },
  {
    capability: 'embeddings',
    id: 'embeddings/round-trip',
    title: 'builds an embedding request with every input and decodes the vectors in order',
    async run(row) {
      const { adapter, kit } = row;
      if (!adapter.buildEmbeddingRequest || !adapter.parseEmbeddingResponse) throw new Error('the adapter has no buildEmbeddingRequest, and skips.ts gives no reason');
      if (!kit.embeddings) throw new Error('the adapter has embeddings but the kit has no embedding wire format');
      const upstream = await adapter.buildEmbeddingRequest(embeddingRequest, kit.embeddings.upstreamModel, kit.endpoint);
      assert.equal(upstream.url, kit.embeddings.url);
      assert.equal(kit.credentialOf(upstream), kit.endpoint.apiKey);
      assert.deepEqual(kit.embeddings.inputsOf(JSON.parse(upstream.body) as Record<string, unknown>), embeddingRequest.input);
      const parsed = adapter.parseEmbeddingResponse(overTheWire(kit.embeddings.response), kit.embeddings.upstreamModel);
      assert.deepEqual(parsed.embeddings, answer.embeddings);
    },
  },
  {
    capability: 'images',
    id: 'images/round-trip',
    title: 'builds an image generation request and decodes the generated image',
    notApplicable: (row) => (imageAdapterFor(row.adapter.type) ? undefined : 'no image adapter for this provider type'),
    run(row) {
      const adapter = imageAdapterFor(row.adapter.type);
      if (!adapter || !row.kit.images) throw new Error('the kit has no image wire format');
      const upstream = adapter.buildImageRequest(imageRequest, 'gpt-image-1', row.kit.endpoint);
      assert.equal(upstream.url, row.kit.images.url);
      assert.equal(row.kit.credentialOf(upstream), row.kit.endpoint.apiKey);
      const body = JSON.parse(upstream.body) as Record<string, unknown>;
      assert.equal(body.prompt, imageRequest.prompt);
      assert.equal(body.n, 1);
      const result = adapter.parseImageResponse(overTheWire(row.kit.images.response), 'application/json');
      assert.deepEqual(result.images.map((image) => image.b64), [pixelPng]);
    },
  },
];
