import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import type { ProviderEndpoint } from '../../core/provider.js';
import type { CanonicalImageRequest } from './image-adapter.js';
import { imageAdapterFor } from './image-adapters.js';
import { stabilityChatAdapter } from './stability-chat-adapter.js';
import { aspectRatioFor, stabilityImageAdapter } from './stability-images.js';

// Compiled to dist/src/providers/images/; fixtures stay in the source tree.
function fixture(name: string): string {
  return readFileSync(new URL(`../../../../src/providers/images/__fixtures__/${name}`, import.meta.url), 'utf8');
}

const endpoint: ProviderEndpoint = { name: 'stability', baseUrl: 'https://api.stability.ai', apiKey: 'sk-stab-0123456789abcdef' };
const request: CanonicalImageRequest = { model: 'art', prompt: 'A kite over dunes', n: 1, size: '1792x1024', responseFormat: 'b64_json' };

/** Reads a multipart body back into its fields, to check what Stability would receive. */
function formFields(contentType: string, body: string): Record<string, string> {
  const boundary = contentType.split('boundary=')[1] ?? '';
  const fields: Record<string, string> = {};
  for (const part of body.split(`--${boundary}`).slice(1, -1)) {
    const [head = '', value = ''] = part.replace(/^\r\n/, '').replace(/\r\n$/, '').split('\r\n\r\n');
    const name = /name="([^"]*)"/.exec(head)?.[1] ?? '';
    fields[name] = value;
  }
  assert.ok(body.endsWith(`--${boundary}--\r\n`));
  return fields;
}

test('a Core request posts a multipart form asking for JSON, with the prompt, png and the aspect ratio', () => {
  const upstream = stabilityImageAdapter.buildImageRequest(request, 'stable-image-core', endpoint);
  assert.equal(upstream.url, 'https://api.stability.ai/v2beta/stable-image/generate/core');
  assert.equal(upstream.method, 'POST');
  assert.equal(upstream.headers.accept, 'application/json');
  assert.equal(upstream.headers.authorization, 'Bearer sk-stab-0123456789abcdef');
  assert.match(upstream.headers['content-type'] ?? '', /^multipart\/form-data; boundary=/);
  assert.deepEqual(formFields(upstream.headers['content-type'] ?? '', upstream.body), { prompt: 'A kite over dunes', output_format: 'png', aspect_ratio: '16:9' });
});

test('SD3 models go to /sd3 and name the model; Ultra goes to /ultra', () => {
  const sd3 = stabilityImageAdapter.buildImageRequest({ ...request, size: undefined }, 'sd3.5-large', endpoint);
  assert.equal(sd3.url, 'https://api.stability.ai/v2beta/stable-image/generate/sd3');
  assert.deepEqual(formFields(sd3.headers['content-type'] ?? '', sd3.body), { prompt: 'A kite over dunes', output_format: 'png', model: 'sd3.5-large' });
  const ultra = stabilityImageAdapter.buildImageRequest(request, 'stable-image-ultra', endpoint);
  assert.equal(ultra.url, 'https://api.stability.ai/v2beta/stable-image/generate/ultra');
  assert.equal('model' in formFields(ultra.headers['content-type'] ?? '', ultra.body), false);
});

test('an endpoint configured without a base URL uses the public API', () => {
  const upstream = stabilityImageAdapter.buildImageRequest(request, 'stable-image-core', { name: 'stability', baseUrl: '' });
  assert.equal(upstream.url, 'https://api.stability.ai/v2beta/stable-image/generate/core');
});

test('sizes map to the nearest accepted aspect ratio', () => {
  assert.equal(aspectRatioFor('1024x1024'), '1:1');
  assert.equal(aspectRatioFor('1792x1024'), '16:9');
  assert.equal(aspectRatioFor('1024x1792'), '9:16');
  assert.equal(aspectRatioFor('1536x1024'), '3:2');
  assert.equal(aspectRatioFor('1024x1536'), '2:3');
  assert.equal(aspectRatioFor('2560x1080'), '21:9');
  assert.equal(aspectRatioFor('auto'), undefined);
  assert.equal(aspectRatioFor(undefined), undefined);
  assert.throws(() => aspectRatioFor('big'), { code: 'invalid_request', param: 'size' });
});

test('more than one image is refused before any call, naming n', () => {
  assert.throws(() => stabilityImageAdapter.buildImageRequest({ ...request, n: 2 }, 'stable-image-core', endpoint), { code: 'invalid_request', param: 'n' });
});

test('a JSON answer yields one base64 image', () => {
  const result = stabilityImageAdapter.parseImageResponse(JSON.parse(fixture('stability-core.json')), 'application/json; charset=utf-8');
  assert.equal(result.images.length, 1);
  assert.ok(result.images[0]?.b64?.startsWith('iVBORw0KGgo'));
  assert.equal(result.images[0]?.url, undefined);
  assert.ok(result.created > 1_700_000_000);
});

test('a filtered image is content_filtered; an answer that is not JSON is an upstream error', () => {
  assert.throws(() => stabilityImageAdapter.parseImageResponse(JSON.parse(fixture('stability-filtered.json')), 'application/json'), { code: 'content_filtered' });
  assert.throws(() => stabilityImageAdapter.parseImageResponse({}, 'image/png'), { code: 'upstream_error' });
  assert.throws(() => stabilityImageAdapter.parseImageResponse({ finish_reason: 'SUCCESS' }, 'application/json'), { code: 'upstream_error' });
});

test('errors: bad_request is invalid_request with its messages, content_moderation is content_filtered', () => {
  const invalid = stabilityImageAdapter.classifyError({ status: 400, headers: {}, body: fixture('stability-bad-request.json') }, endpoint);
  assert.equal(invalid.code, 'invalid_request');
  assert.match(invalid.message, /aspect_ratio: must be one of/);
  const moderated = stabilityImageAdapter.classifyError({ status: 403, headers: {}, body: fixture('stability-content-moderation.json') }, endpoint);
  assert.equal(moderated.code, 'content_filtered');
  assert.equal(moderated.retryable, false);
});

test('errors: 429 is rate_limited with Retry-After; 401 and 402 point at the account; 500 is retryable', () => {
  const limited = stabilityImageAdapter.classifyError({ status: 429, headers: { 'retry-after': '10' }, body: fixture('stability-rate-limited.json') }, endpoint);
  assert.equal(limited.code, 'rate_limited');
  assert.equal(limited.retryAfterMs, 10_000);
  const unpaid = stabilityImageAdapter.classifyError({ status: 402, headers: {}, body: '{"id":"x","name":"payment_required","errors":["lack of funds"]}' }, endpoint);
  assert.equal(unpaid.code, 'upstream_authentication_failed');
  const unauthorized = stabilityImageAdapter.classifyError({ status: 401, headers: {}, body: '{"name":"unauthorized","errors":["bad key sk-stab-0123456789abcdef"]}' }, endpoint);
  assert.equal(unauthorized.code, 'upstream_authentication_failed');
  assert.equal(unauthorized.message.includes('sk-stab-0123456789abcdef'), false);
  const failed = stabilityImageAdapter.classifyError({ status: 500, headers: {}, body: 'oops' }, endpoint);
  assert.equal(failed.code, 'upstream_error');
  assert.equal(failed.retryable, true);
});

test('the stability chat adapter refuses chat with invalid_request before any call', () => {
  assert.equal(stabilityChatAdapter.type, 'stability');
  assert.throws(() => stabilityChatAdapter.buildChatRequest({ model: 'art', messages: [], stream: false }, 'stable-image-core', endpoint), { code: 'invalid_request', param: 'model' });
});

test('image adapters are chosen by provider type', () => {
  assert.equal(imageAdapterFor('openai')?.type, 'openai');
  assert.equal(imageAdapterFor('azure-openai')?.type, 'azure-openai');
  assert.equal(imageAdapterFor('stability')?.type, 'stability');
  assert.equal(imageAdapterFor('anthropic'), undefined);
});
