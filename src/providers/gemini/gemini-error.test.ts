import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import type { ProviderEndpoint } from '../../core/provider.js';
import { geminiAdapter, vertexAdapter } from './gemini-adapter.js';

const fixtures = new URL('../../../../src/providers/gemini/__fixtures__/', import.meta.url);
const readFixture = (name: string): string => readFileSync(new URL(name, fixtures), 'utf8');
const apiKey = 'AIzaSyD-example-key-0123456789abcdefghijk';
const endpoint: ProviderEndpoint = { name: 'google-main', baseUrl: 'https://generativelanguage.googleapis.com', apiKey };

function classify(status: number, body: string, headers: Record<string, string> = {}) {
  return geminiAdapter.classifyError({ status, headers, body }, endpoint);
}

test('RESOURCE_EXHAUSTED is rate_limited with the delay from RetryInfo', () => {
  const error = classify(429, readFixture('gemini-error-rate-limited.json'));
  assert.equal(error.code, 'rate_limited');
  assert.equal(error.retryable, true);
  assert.equal(error.retryAfterMs, 12_000);
  assert.equal(error.upstreamStatus, 429);
  assert.equal(error.provider, 'google-main');
});

test('a Retry-After header wins over RetryInfo, and fractional delays are kept', () => {
  assert.equal(classify(429, readFixture('gemini-error-rate-limited.json'), { 'retry-after': '3' }).retryAfterMs, 3_000);
  const body = JSON.stringify({ error: { code: 429, message: 'quota', status: 'RESOURCE_EXHAUSTED', details: [{ '@type': 'type.googleapis.com/google.rpc.RetryInfo', retryDelay: '1.5s' }] } });
  assert.equal(classify(429, body).retryAfterMs, 1_500);
});

test('an invalid API key (HTTP 400 with API_KEY_INVALID) is an upstream authentication failure', () => {
  const error = classify(400, readFixture('gemini-error-api-key.json'));
  assert.equal(error.code, 'upstream_authentication_failed');
  assert.match(error.message, /Gemini provider "google-main"/);
  assert.ok(!error.message.includes(apiKey));
});

test('UNAUTHENTICATED is an upstream authentication failure', () => {
  const body = JSON.stringify({ error: { code: 401, message: 'Request had invalid authentication credentials.', status: 'UNAUTHENTICATED' } });
  assert.equal(vertexAdapter.classifyError({ status: 401, headers: {}, body }, { name: 'vertex-eu', baseUrl: '' }).code, 'upstream_authentication_failed');
});

test('a token count over the limit is context_length_exceeded with the upstream detail', () => {
  const error = classify(400, readFixture('gemini-error-context-length.json'));
  assert.equal(error.code, 'context_length_exceeded');
  assert.match(error.message, /exceeds the maximum number of tokens allowed \(1048576\)/);
});

test('other INVALID_ARGUMENT errors are invalid_request and never echo the key', () => {
  const body = JSON.stringify({ error: { code: 400, message: `Invalid JSON payload received for key ${apiKey}. Unknown name "foo"`, status: 'INVALID_ARGUMENT' } });
  const error = classify(400, body);
  assert.equal(error.code, 'invalid_request');
  assert.equal(error.retryable, false);
  assert.ok(!error.message.includes(apiKey));
  assert.match(error.message, /Unknown name "foo"/);
});

test('NOT_FOUND is model_not_found', () => {
  assert.equal(classify(404, readFixture('gemini-error-model-not-found.json')).code, 'model_not_found');
});

test('PERMISSION_DENIED is permission_denied', () => {
  const body = JSON.stringify({ error: { code: 403, message: 'Method doesn\'t allow unregistered callers.', status: 'PERMISSION_DENIED' } });
  assert.equal(classify(403, body).code, 'permission_denied');
});

test('server-side statuses map to upstream error, unavailable and timeout, all retryable', () => {
  const cases: Array<[number, string, string]> = [
    [500, 'INTERNAL', 'upstream_error'],
    [503, 'UNAVAILABLE', 'upstream_unavailable'],
    [504, 'DEADLINE_EXCEEDED', 'upstream_timeout'],
  ];
  for (const [status, googleStatus, code] of cases) {
    const error = classify(status, JSON.stringify({ error: { code: status, message: 'An internal error has occurred.', status: googleStatus } }));
    assert.equal(error.code, code);
    assert.equal(error.retryable, true);
  }
});

test('a body that is not Google JSON falls back to the HTTP status', () => {
  assert.equal(classify(502, '<html>Bad Gateway</html>').code, 'upstream_error');
  assert.equal(classify(429, '').code, 'rate_limited');
});

test('the array form of the envelope is understood', () => {
  const body = JSON.stringify([{ error: { code: 404, message: 'models/x is not found', status: 'NOT_FOUND' } }]);
  assert.equal(classify(404, body).code, 'model_not_found');
});
