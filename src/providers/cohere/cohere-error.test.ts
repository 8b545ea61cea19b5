import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import type { ProviderEndpoint } from '../../core/provider.js';
import { classifyCohereError } from './cohere-error.js';

const endpoint: ProviderEndpoint = { name: 'cohere-main', baseUrl: 'https://api.cohere.com', apiKey: 'co-secret-key-0123456789' };

// Compiled to dist/src/providers/cohere/; fixtures stay in the source tree.
function body(name: string): string {
  return readFileSync(new URL(`../../../../src/providers/cohere/__fixtures__/${name}`, import.meta.url), 'utf8');
}

test('429 is rate_limited, retryable, with Retry-After in milliseconds', () => {
  const error = classifyCohereError({ status: 429, headers: { 'Retry-After': '12' }, body: body('error-rate-limited.json') }, endpoint);
  assert.equal(error.code, 'rate_limited');
  assert.equal(error.retryable, true);
  assert.equal(error.retryAfterMs, 12_000);
  assert.equal(error.upstreamStatus, 429);
  assert.equal(error.provider, 'cohere-main');
  assert.match(error.message, /per-minute request limit/);
});

test('400 "too many tokens" is context_length_exceeded; other 400s are invalid_request', () => {
  const long = classifyCohereError({ status: 400, headers: {}, body: body('error-too-many-tokens.json') }, endpoint);
  assert.equal(long.code, 'context_length_exceeded');
  assert.equal(long.retryable, false);
  const invalid = classifyCohereError({ status: 400, headers: {}, body: '{"message":"invalid request: temperature must be between 0 and 1"}' }, endpoint);
  assert.equal(invalid.code, 'invalid_request');
  assert.match(invalid.message, /temperature must be between 0 and 1/);
});

test('404 is model_not_found', () => {
  const error = classifyCohereError({ status: 404, headers: {}, body: body('error-model-not-found.json') }, endpoint);
  assert.equal(error.code, 'model_not_found');
  assert.match(error.message, /command-z-99/);
});

test('401 is the gateway credentials failing, and the key never reaches the message', () => {
  const error = classifyCohereError({ status: 401, headers: {}, body: `{"message":"invalid api token: co-secret-key-0123456789"}` }, endpoint);
  assert.equal(error.code, 'upstream_authentication_failed');
  assert.equal(error.message.includes('co-secret-key-0123456789'), false);
  assert.match(error.message, /apiKey/);
});

test('402 payment required also points at the gateway account', () => {
  assert.equal(classifyCohereError({ status: 402, headers: {}, body: '{"message":"Please add a payment method"}' }, endpoint).code, 'upstream_authentication_failed');
});

test('499, 500 and 503 are retryable upstream failures', () => {
  const cancelled = classifyCohereError({ status: 499, headers: {}, body: '{"message":"request cancelled"}' }, endpoint);
  assert.equal(cancelled.code, 'upstream_error');
  assert.equal(cancelled.retryable, true);
  const internal = classifyCohereError({ status: 500, headers: {}, body: '{"message":"internal server error"}' }, endpoint);
  assert.equal(internal.code, 'upstream_error');
  assert.equal(internal.retryable, true);
  const unavailable = classifyCohereError({ status: 503, headers: {}, body: '<html>down</html>' }, endpoint);
  assert.equal(unavailable.code, 'upstream_unavailable');
  assert.equal(unavailable.retryable, true);
  assert.equal(unavailable.message.includes('<html>'), false);
});
