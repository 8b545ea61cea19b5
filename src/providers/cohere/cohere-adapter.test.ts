import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { ChatRequest } from '../../core/canonical.js';
import type { ProviderEndpoint, UpstreamRequest } from '../../core/provider.js';
import { cohereAdapter, cohereUrl } from './cohere-adapter.js';

const endpoint: ProviderEndpoint = { name: 'cohere', baseUrl: 'https://api.cohere.com', apiKey: 'co-key', headers: { 'x-client-name': 'switchyard' } };
const request: ChatRequest = { model: 'fast', messages: [{ role: 'user', content: [{ type: 'text', text: 'Hi' }] }], stream: true };

test('the adapter declares type cohere and SSE framing', () => {
  assert.equal(cohereAdapter.type, 'cohere');
  assert.equal(cohereAdapter.streamFraming, 'sse');
});

test('a chat request posts to /v2/chat with a bearer key and the configured headers', async () => {
  const upstream: UpstreamRequest = await cohereAdapter.buildChatRequest(request, 'command-r', endpoint);
  assert.equal(upstream.url, 'https://api.cohere.com/v2/chat');
  assert.equal(upstream.method, 'POST');
  assert.equal(upstream.headers.authorization, 'Bearer co-key');
  assert.equal(upstream.headers['content-type'], 'application/json');
  assert.equal(upstream.headers['x-client-name'], 'switchyard');
  assert.deepEqual(JSON.parse(upstream.body), { model: 'command-r', messages: [{ role: 'user', content: 'Hi' }], stream: true });
});

test('a base URL that already names /v2 is not doubled', () => {
  assert.equal(cohereUrl('https://proxy.internal/cohere/v2/', 'chat'), 'https://proxy.internal/cohere/v2/chat');
  assert.equal(cohereUrl('https://api.cohere.com', 'embed'), 'https://api.cohere.com/v2/embed');
});

test('an embedding request posts to /v2/embed', async () => {
  assert.ok(cohereAdapter.buildEmbeddingRequest && cohereAdapter.parseEmbeddingResponse);
  const upstream = await cohereAdapter.buildEmbeddingRequest({ model: 'e', input: ['hello'] }, 'embed-v4.0', endpoint);
  assert.equal(upstream.url, 'https://api.cohere.com/v2/embed');
  assert.equal(upstream.headers.authorization, 'Bearer co-key');
  assert.deepEqual(JSON.parse(upstream.body).texts, ['hello']);
});
