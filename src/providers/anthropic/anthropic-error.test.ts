import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { ErrorCode } from '../../core/errors.js';
import type { ProviderEndpoint } from '../../core/provider.js';
import { classifyAnthropicError } from './anthropic-error.js';

const apiKey = 'sk-ant-api03-secretvalue';
const endpoint: ProviderEndpoint = { name: 'anthropic-main', baseUrl: 'https://api.anthropic.com', apiKey };

function envelope(type: string, message: string): string {
  return JSON.stringify({ type: 'error', error: { type, message }, request_id: 'req_011Redacted' });
}

const cases: Array<{ status: number; type: string; message: string; code: ErrorCode; retryable: boolean }> = [
  { status: 400, type: 'invalid_request_error', message: 'messages: roles must alternate', code: 'invalid_request', retryable: false },
  { status: 400, type: 'invalid_request_error', message: 'prompt is too long: 208310 tokens > 200000 maximum', code: 'context_length_exceeded', retryable: false },
  { status: 400, type: 'invalid_request_error', message: 'input length and `max_tokens` exceed context limit: 197000 + 8192 > 200000', code: 'context_length_exceeded', retryable: false },
  { status: 401, type: 'authentication_error', message: 'invalid x-api-key', code: 'upstream_authentication_failed', retryable: true },
  { status: 403, type: 'permission_error', message: 'Your API key does not have permission to use the specified resource.', code: 'permission_denied', retryable: false },
  { status: 404, type: 'not_found_error', message: 'model: claude-nonexistent', code: 'model_not_found', retryable: false },
  { status: 413, type: 'request_too_large', message: 'Request exceeds the maximum allowed number of bytes.', code: 'request_too_large', retryable: false },
  { status: 429, type: 'rate_limit_error', message: 'Number of request tokens has exceeded your per-minute rate limit', code: 'rate_limited', retryable: true },
  { status: 500, type: 'api_error', message: 'Internal server error', code: 'upstream_error', retryable: true },
  { status: 529, type: 'overloaded_error', message: 'Overloaded', code: 'upstream_overloaded', retryable: true },
];

for (const { status, type, message, code, retryable } of cases) {
  test(`${type} (HTTP ${status}) "${message.slice(0, 30)}" is classified as ${code}`, () => {
    const error = classifyAnthropicError({ status, headers: {}, body: envelope(type, message) }, endpoint);
    assert.equal(error.code, code);
    assert.equal(error.retryable, retryable);
    assert.equal(error.upstreamStatus, status);
    assert.equal(error.provider, 'anthropic-main');
    assert.ok(error.message.includes('Anthropic provider "anthropic-main"'));
    assert.ok(error.message.includes(message.slice(0, 20)));
  });
}

test('a rate limit carries the retry-after delay', () => {
  const error = classifyAnthropicError({ status: 429, headers: { 'retry-after': '12' }, body: envelope('rate_limit_error', 'Slow down') }, endpoint);
  assert.equal(error.retryAfterMs, 12_000);
});

test('the API key never appears in the client-visible message', () => {
  const body = envelope('authentication_error', `invalid x-api-key ${apiKey} and also sk-ant-api03-otherkey`);
  const error = classifyAnthropicError({ status: 401, headers: {}, body }, endpoint);
  assert.ok(!error.message.includes(apiKey));
  assert.ok(!error.message.includes('sk-ant-api03-otherkey'));
  assert.ok(error.message.includes('[redacted]'));
});

test('a body that is not Anthropic\'s envelope falls back to the status and is not echoed', () => {
  const error = classifyAnthropicError({ status: 503, headers: {}, body: '<html>upstream connect error, key=abc</html>' }, endpoint);
  assert.equal(error.code, 'upstream_unavailable');
  assert.equal(error.retryable, true);
  assert.ok(!error.message.includes('<html>'));
  assert.ok(error.message.includes('anthropic-main'));
});
