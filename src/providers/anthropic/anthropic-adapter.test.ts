import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { ChatRequest } from '../../core/canonical.js';
import type { ProviderEndpoint } from '../../core/provider.js';
import { anthropicAdapter } from './anthropic-adapter.js';

const request: ChatRequest = { model: 'smart', messages: [{ role: 'user', content: [{ type: 'text', text: 'Hi' }] }], stream: true };
const endpoint: ProviderEndpoint = { name: 'anthropic-main', baseUrl: 'https://api.anthropic.com', apiKey: 'sk-ant-test-key' };

test('the adapter declares its type and SSE framing and implements no embeddings', () => {
  assert.equal(anthropicAdapter.type, 'anthropic');
  assert.equal(anthropicAdapter.streamFraming, 'sse');
  assert.equal(anthropicAdapter.buildEmbeddingRequest, undefined);
  assert.equal(anthropicAdapter.parseEmbeddingResponse, undefined);
});

test('a chat request is a POST to /v1/messages with the key, version and config headers', async () => {
  const upstream = await anthropicAdapter.buildChatRequest(request, 'claude-haiku-4-5', { ...endpoint, headers: { 'anthropic-beta': 'feature-x' } });
  assert.equal(upstream.url, 'https://api.anthropic.com/v1/messages');
  assert.equal(upstream.method, 'POST');
  assert.deepEqual(upstream.headers, {
    'content-type': 'application/json',
    'anthropic-version': '2023-06-01',
    'x-api-key': 'sk-ant-test-key',
    'anthropic-beta': 'feature-x',
  });
  const body = JSON.parse(upstream.body) as Record<string, unknown>;
  assert.equal(body.model, 'claude-haiku-4-5');
  assert.equal(body.stream, true);
});

test('a base URL that already ends in /v1 is not given a second /v1', async () => {
  const upstream = await anthropicAdapter.buildChatRequest(request, 'claude-haiku-4-5', { ...endpoint, baseUrl: 'https://proxy.internal/anthropic/v1' });
  assert.equal(upstream.url, 'https://proxy.internal/anthropic/v1/messages');
});
