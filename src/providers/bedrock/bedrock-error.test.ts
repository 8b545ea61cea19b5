import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { ErrorContext, ProviderEndpoint } from '../../core/provider.js';
import { classifyBedrockError } from './bedrock-error.js';

const endpoint: ProviderEndpoint = {
  name: 'aws-east',
  baseUrl: '',
  options: { region: 'us-east-1', accessKeyId: 'AKIAEXAMPLEKEY000001', secretAccessKey: 'secret/EXAMPLE/value' },
};

function classify(status: number, errorType: string | undefined, message: string, extra: ErrorContext['headers'] = {}) {
  const headers: ErrorContext['headers'] = { ...extra };
  if (errorType) headers['x-amzn-errortype'] = errorType;
  return classifyBedrockError({ status, headers, body: JSON.stringify({ message }) }, endpoint);
}

test('each Bedrock error type maps to a gateway code', () => {
  const cases: Array<[number, string, string]> = [
    [400, 'ValidationException:http://internal.amazon.com/coral/com.amazon.bedrock/', 'invalid_request'],
    [429, 'ThrottlingException:http://internal.amazon.com/coral/com.amazon.bedrock/', 'rate_limited'],
    [403, 'AccessDeniedException:http://internal.amazon.com/coral/com.amazon.coral.service/', 'permission_denied'],
    [404, 'ResourceNotFoundException', 'model_not_found'],
    [408, 'ModelTimeoutException', 'upstream_timeout'],
    [503, 'ServiceUnavailableException', 'upstream_unavailable'],
    [500, 'InternalServerException', 'upstream_error'],
    [424, 'ModelErrorException', 'upstream_error'],
    [403, 'UnrecognizedClientException:http://internal.amazon.com/coral/com.amazon.coral.service/', 'upstream_authentication_failed'],
    [403, 'ExpiredTokenException', 'upstream_authentication_failed'],
    [403, 'InvalidSignatureException', 'upstream_authentication_failed'],
  ];
  for (const [status, type, code] of cases) {
    const error = classify(status, type, 'details');
    assert.equal(error.code, code, type);
    assert.equal(error.upstreamStatus, status);
    assert.equal(error.provider, 'aws-east');
    assert.match(error.message, /Bedrock \(provider 'aws-east'\)/);
  }
});

test('a validation error about input length is a context-length error', () => {
  const error = classify(400, 'ValidationException', 'Input is too long for requested model.');
  assert.equal(error.code, 'context_length_exceeded');
  assert.match(error.message, /too long/);
  assert.equal(classify(400, 'ValidationException', 'prompt is too long: 210000 tokens > 200000 maximum').code, 'context_length_exceeded');
  assert.equal(classify(400, 'ValidationException', 'The model returned the following errors: input length and `max_tokens` exceed context limit').code, 'context_length_exceeded');
});

test('request errors show the upstream reason with account details redacted', () => {
  const error = classify(400, 'ValidationException', 'Invocation of model ID arn:aws:bedrock:us-east-1:123456789012:inference-profile/x with on-demand throughput is not supported.');
  assert.equal(error.code, 'invalid_request');
  assert.ok(!error.message.includes('123456789012'));
  assert.match(error.message, /\[arn\]/);
});

test('messages never carry credentials or upstream auth details', () => {
  const error = classify(403, 'UnrecognizedClientException', 'The security token included in the request is invalid. AKIAEXAMPLEKEY000001');
  assert.ok(!error.message.includes('AKIAEXAMPLEKEY000001'));
  assert.ok(!error.message.includes('secret/EXAMPLE/value'));
  assert.equal(error.retryable, true);
});

test('throttling keeps Retry-After, and access denial may be retried elsewhere', () => {
  const throttled = classify(429, 'ThrottlingException', 'Too many requests, please wait before trying again.', { 'retry-after': '3' });
  assert.equal(throttled.retryAfterMs, 3000);
  assert.equal(throttled.retryable, true);
  assert.equal(classify(403, 'AccessDeniedException', "You don't have access to the model with the specified model ID.").retryable, true);
});

test('without the error-type header the body __type or the status decides', () => {
  const fromType = classifyBedrockError({ status: 400, headers: {}, body: '{"__type":"com.amazon.coral.service#ExpiredTokenException","message":"expired"}' }, endpoint);
  assert.equal(fromType.code, 'upstream_authentication_failed');
  const fromStatus = classifyBedrockError({ status: 502, headers: {}, body: '<html>Bad Gateway</html>' }, endpoint);
  assert.equal(fromStatus.code, 'upstream_error');
  assert.equal(classifyBedrockError({ status: 429, headers: {}, body: '' }, endpoint).code, 'rate_limited');
});
