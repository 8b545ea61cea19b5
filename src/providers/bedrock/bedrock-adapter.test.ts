import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { ChatRequest } from '../../core/canonical.js';
import { GatewayError } from '../../core/errors.js';
import type { ProviderEndpoint, UpstreamRequest } from '../../core/provider.js';
import { bedrockAdapter } from './bedrock-adapter.js';
import { signRequest } from './sigv4.js';

const chat: ChatRequest = { model: 'claude', messages: [{ role: 'user', content: [{ type: 'text', text: 'Hello' }] }], stream: false, maxTokens: 50 };
const modelId = 'us.anthropic.claude-3-5-haiku-20241022-v1:0';
const keys = { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY' };

async function build(endpoint: ProviderEndpoint, request: ChatRequest = chat): Promise<UpstreamRequest> {
  return bedrockAdapter.buildChatRequest(request, modelId, endpoint);
}

test('the adapter declares its type and framing', () => {
  assert.equal(bedrockAdapter.type, 'bedrock');
  assert.equal(bedrockAdapter.streamFraming, 'aws-eventstream');
});

test('embeddings go to InvokeModel, signed like chat', async () => {
  const build = bedrockAdapter.buildEmbeddingRequest;
  assert.ok(build);
  const upstream = await build({ model: 'embedder', input: ['hello'], dimensions: 256 }, 'amazon.titan-embed-text-v2:0', { name: 'aws', baseUrl: '', options: { region: 'eu-central-1', ...keys } });
  assert.equal(upstream.url, 'https://bedrock-runtime.eu-central-1.amazonaws.com/model/amazon.titan-embed-text-v2%3A0/invoke');
  assert.match(upstream.headers.authorization ?? '', /^AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE\/\d{8}\/eu-central-1\/bedrock\/aws4_request/);
  assert.deepEqual(JSON.parse(upstream.body), { inputText: 'hello', dimensions: 256 });
});

test('the default URL is built from the region, with the model id encoded', async () => {
  const upstream = await build({ name: 'aws', baseUrl: '', options: { region: 'eu-central-1', ...keys } });
  assert.equal(upstream.method, 'POST');
  assert.equal(upstream.url, 'https://bedrock-runtime.eu-central-1.amazonaws.com/model/us.anthropic.claude-3-5-haiku-20241022-v1%3A0/converse');
  assert.deepEqual(JSON.parse(upstream.body), { messages: [{ role: 'user', content: [{ text: 'Hello' }] }], inferenceConfig: { maxTokens: 50 } });
  const streaming = await build({ name: 'aws', baseUrl: '', options: keys }, { ...chat, stream: true });
  assert.equal(streaming.url, 'https://bedrock-runtime.us-east-1.amazonaws.com/model/us.anthropic.claude-3-5-haiku-20241022-v1%3A0/converse-stream');
});

test('a configured base URL is used as given', async () => {
  const upstream = await build({ name: 'aws', baseUrl: 'http://127.0.0.1:9911/', options: keys });
  assert.equal(upstream.url, 'http://127.0.0.1:9911/model/us.anthropic.claude-3-5-haiku-20241022-v1%3A0/converse');
});

test('access keys sign the request with SigV4 for the bedrock service', async () => {
  const endpoint = { name: 'aws', baseUrl: '', headers: { 'x-team': 'search' }, options: { region: 'us-west-2', ...keys, sessionToken: 'temporary-token' } };
  const upstream = await build(endpoint);
  const date = upstream.headers['x-amz-date'] ?? '';
  assert.match(date, /^\d{8}T\d{6}Z$/);
  assert.equal(upstream.headers['x-amz-security-token'], 'temporary-token');
  assert.equal(upstream.headers['x-team'], 'search');
  const authorization = upstream.headers.authorization ?? '';
  assert.match(authorization, new RegExp(`^AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/${date.slice(0, 8)}/us-west-2/bedrock/aws4_request, `));
  assert.match(authorization, /SignedHeaders=content-type;host;x-amz-content-sha256;x-amz-date;x-amz-security-token;x-team,/);
  const when = new Date(`${date.slice(0, 4)}-${date.slice(4, 6)}-${date.slice(6, 8)}T${date.slice(9, 11)}:${date.slice(11, 13)}:${date.slice(13, 15)}Z`);
  const expected = signRequest({
    method: 'POST',
    url: upstream.url,
    headers: { 'x-team': 'search', 'content-type': 'application/json' },
    body: upstream.body,
    credentials: { ...keys, sessionToken: 'temporary-token' },
    region: 'us-west-2',
    service: 'bedrock',
    date: when,
  });
  assert.equal(authorization, expected.authorization);
  assert.ok(!JSON.stringify(upstream).includes(keys.secretAccessKey));
});

test('environment-style option names are accepted', async () => {
  const upstream = await build({ name: 'aws', baseUrl: '', options: { AWS_REGION: 'ap-south-1', AWS_ACCESS_KEY_ID: 'AKIDENV', AWS_SECRET_ACCESS_KEY: 'envsecret' } });
  assert.match(upstream.url, /bedrock-runtime\.ap-south-1\./);
  assert.match(upstream.headers.authorization ?? '', /Credential=AKIDENV\/\d{8}\/ap-south-1\/bedrock\//);
});

test('a Bedrock API key is sent as a bearer token when no access key is set', async () => {
  const upstream = await build({ name: 'aws', baseUrl: '', apiKey: 'bedrock-api-key-example' });
  assert.equal(upstream.headers.authorization, 'Bearer bedrock-api-key-example');
  assert.equal(upstream.headers['x-amz-date'], undefined);
  const both = await build({ name: 'aws', baseUrl: '', apiKey: 'bedrock-api-key-example', options: keys });
  assert.match(both.headers.authorization ?? '', /^AWS4-HMAC-SHA256 /);
});

test('an endpoint with no credentials fails with a message that names the provider', async () => {
  await assert.rejects(build({ name: 'aws-west', baseUrl: '', options: { accessKeyId: 'AKIDONLY' } }), (error: unknown) => {
    assert.ok(error instanceof GatewayError);
    assert.equal(error.code, 'upstream_authentication_failed');
    assert.match(error.message, /aws-west/);
    assert.ok(!error.message.includes('AKIDONLY'));
    return true;
  });
});
