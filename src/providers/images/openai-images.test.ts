import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import type { ProviderEndpoint } from '../../core/provider.js';
import type { CanonicalImageRequest } from './image-adapter.js';
import { azureOpenAiImageAdapter, openAiImageAdapter } from './openai-images.js';

// Compiled to dist/src/providers/images/; fixtures stay in the source tree.
function fixture(name: string): string {
  return readFileSync(new URL(`../../../../src/providers/images/__fixtures__/${name}`, import.meta.url), 'utf8');
}

const endpoint: ProviderEndpoint = { name: 'openai', baseUrl: 'https://api.openai.com/v1', apiKey: 'sk-test-abcdef123456' };
const request: CanonicalImageRequest = { model: 'painter', prompt: 'A lighthouse at dusk', n: 1, size: '1792x1024', quality: 'hd', style: 'natural', responseFormat: 'url', user: 'user-7' };

test('a DALL·E 3 request posts every field to /images/generations with a bearer key', () => {
  const upstream = openAiImageAdapter.buildImageRequest(request, 'dall-e-3', endpoint);
  assert.equal(upstream.url, 'https://api.openai.com/v1/images/generations');
  assert.equal(upstream.method, 'POST');
  assert.equal(upstream.headers.authorization, 'Bearer sk-test-abcdef123456');
  assert.equal(upstream.headers['content-type'], 'application/json');
  assert.deepEqual(JSON.parse(upstream.body), {
    model: 'dall-e-3', prompt: 'A lighthouse at dusk', n: 1, size: '1792x1024', quality: 'hd', response_format: 'url', style: 'natural', user: 'user-7',
  });
});

test('a GPT Image request leaves out response_format and style, which those models reject', () => {
  const body = JSON.parse(openAiImageAdapter.buildImageRequest({ ...request, quality: 'medium', n: 2 }, 'gpt-image-1', endpoint).body);
  assert.deepEqual(body, { model: 'gpt-image-1', prompt: 'A lighthouse at dusk', n: 2, size: '1792x1024', quality: 'medium', user: 'user-7' });
});

test('optional fields the client left out are not sent', () => {
  const body = JSON.parse(openAiImageAdapter.buildImageRequest({ model: 'm', prompt: 'p', n: 1, responseFormat: 'b64_json' }, 'dall-e-2', endpoint).body);
  assert.deepEqual(body, { model: 'dall-e-2', prompt: 'p', n: 1, response_format: 'b64_json' });
});

test('Azure addresses the deployment with an api-key header and api-version', () => {
  const azure: ProviderEndpoint = { name: 'azure', baseUrl: 'https://acme.openai.azure.com', apiKey: 'azure-key', options: { apiVersion: '2025-04-01-preview' } };
  const upstream = azureOpenAiImageAdapter.buildImageRequest(request, 'dall-e-3', azure);
  assert.equal(upstream.url, 'https://acme.openai.azure.com/openai/deployments/dall-e-3/images/generations?api-version=2025-04-01-preview');
  assert.equal(upstream.headers['api-key'], 'azure-key');
  assert.equal(upstream.headers.authorization, undefined);
});

test('a URL answer yields the URL, the revised prompt and the created time', () => {
  const result = openAiImageAdapter.parseImageResponse(JSON.parse(fixture('openai-dall-e-3-url.json')), 'application/json');
  assert.equal(result.created, 1761210000);
  assert.equal(result.images.length, 1);
  assert.match(result.images[0]?.url ?? '', /^https:\/\/images\.example\.invalid\//);
  assert.match(result.images[0]?.revisedPrompt ?? '', /basalt cliff/);
  assert.equal(result.images[0]?.b64, undefined);
  assert.equal(result.usage, undefined);
});

test('a GPT Image answer yields every base64 image and its token usage', () => {
  const result = openAiImageAdapter.parseImageResponse(JSON.parse(fixture('openai-gpt-image-b64.json')), 'application/json');
  assert.equal(result.images.length, 2);
  assert.ok(result.images.every((image) => image.b64?.startsWith('iVBORw0KGgo')));
  assert.equal(result.usage?.inputTokens, 18);
  assert.equal(result.usage?.outputTokens, 2112);
});

test('an answer without images is an upstream error', () => {
  assert.throws(() => openAiImageAdapter.parseImageResponse({ created: 1, data: [] }, 'application/json'), { code: 'upstream_error' });
});

test('a refused prompt is content_filtered, not retryable', () => {
  const error = openAiImageAdapter.classifyError({ status: 400, headers: {}, body: fixture('openai-content-policy-error.json') }, endpoint);
  assert.equal(error.code, 'content_filtered');
  assert.equal(error.retryable, false);
  assert.match(error.message, /safety system/);
});

test('other errors follow the OpenAI classification: 429 with Retry-After, unknown parameter as invalid_request', () => {
  const limited = openAiImageAdapter.classifyError({ status: 429, headers: { 'retry-after': '3' }, body: '{"error":{"message":"Rate limit reached","type":"requests"}}' }, endpoint);
  assert.equal(limited.code, 'rate_limited');
  assert.equal(limited.retryAfterMs, 3000);
  const invalid = openAiImageAdapter.classifyError({ status: 400, headers: {}, body: '{"error":{"message":"Unknown parameter: \'style\'.","type":"invalid_request_error","param":"style","code":"unknown_parameter"}}' }, endpoint);
  assert.equal(invalid.code, 'invalid_request');
});
