import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import type { ChatRequest } from '../../core/canonical.js';
import { GatewayError } from '../../core/errors.js';
import type { ProviderEndpoint } from '../../core/provider.js';
import { createVertexAdapter, geminiAdapter, vertexAdapter } from './gemini-adapter.js';
import { AccessTokenCache } from './vertex-auth.js';

const fixtures = new URL('../../../../src/providers/gemini/__fixtures__/', import.meta.url);
const request: ChatRequest = { model: 'alias', messages: [{ role: 'user', content: [{ type: 'text', text: 'Hi' }] }], stream: false };
const gemini: ProviderEndpoint = { name: 'google', baseUrl: 'https://generativelanguage.googleapis.com', apiKey: 'test-key', headers: { 'x-team': 'search' } };

test('both adapters declare their type and SSE framing', () => {
  assert.equal(geminiAdapter.type, 'gemini');
  assert.equal(vertexAdapter.type, 'vertex');
  assert.equal(geminiAdapter.streamFraming, 'sse');
  assert.equal(vertexAdapter.streamFraming, 'sse');
});

test('a Gemini chat request posts to generateContent with the key in x-goog-api-key', async () => {
  const upstream = await geminiAdapter.buildChatRequest(request, 'gemini-2.5-flash', gemini);
  assert.equal(upstream.url, 'https://generativelanguage.googleapis.com/v1beta/models/gemini-2.5-flash:generateContent');
  assert.equal(upstream.method, 'POST');
  assert.deepEqual(upstream.headers, { 'x-team': 'search', 'content-type': 'application/json', 'x-goog-api-key': 'test-key' });
  assert.deepEqual(JSON.parse(upstream.body), { contents: [{ role: 'user', parts: [{ text: 'Hi' }] }] });
  assert.ok(!upstream.url.includes('test-key'));
});

test('a streamed Gemini request uses streamGenerateContent with alt=sse and accepts models/ names', async () => {
  const upstream = await geminiAdapter.buildChatRequest({ ...request, stream: true }, 'models/gemini-2.0-flash', { ...gemini, baseUrl: 'http://localhost:9000/' });
  assert.equal(upstream.url, 'http://localhost:9000/v1beta/models/gemini-2.0-flash:streamGenerateContent?alt=sse');
});

test('embeddings use batchEmbedContents with one request per input', async () => {
  const build = geminiAdapter.buildEmbeddingRequest;
  const parse = geminiAdapter.parseEmbeddingResponse;
  assert.ok(build && parse);
  const upstream = await build({ model: 'alias', input: ['first', 'second'], dimensions: 256 }, 'gemini-embedding-001', gemini);
  assert.equal(upstream.url, 'https://generativelanguage.googleapis.com/v1beta/models/gemini-embedding-001:batchEmbedContents');
  assert.equal(upstream.headers['x-goog-api-key'], 'test-key');
  assert.deepEqual(JSON.parse(upstream.body), {
    requests: [
      { model: 'models/gemini-embedding-001', content: { parts: [{ text: 'first' }] }, outputDimensionality: 256 },
      { model: 'models/gemini-embedding-001', content: { parts: [{ text: 'second' }] }, outputDimensionality: 256 },
    ],
  });
  const body: unknown = JSON.parse(readFileSync(new URL('gemini-embeddings.json', fixtures), 'utf8'));
  const response = parse(body, 'gemini-embedding-001');
  assert.deepEqual(response.embeddings, [[0.0132751, -0.0284196, 0.0071542, 0.0419873], [-0.0207716, 0.0093315, 0.033842, -0.0056081]]);
  assert.equal(response.model, 'gemini-embedding-001');
  assert.equal(response.usage, undefined);
  assert.throws(() => parse({ error: 'nope' }, 'gemini-embedding-001'), GatewayError);
});

test('a Vertex request goes to the regional host with an access token given as apiKey', async () => {
  const endpoint: ProviderEndpoint = { name: 'vertex', baseUrl: '', apiKey: 'ya29.issued', options: { project: 'acme-prod', location: 'europe-west4' } };
  const upstream = await vertexAdapter.buildChatRequest({ ...request, stream: true }, 'gemini-2.5-pro', endpoint);
  assert.equal(
    upstream.url,
    'https://europe-west4-aiplatform.googleapis.com/v1/projects/acme-prod/locations/europe-west4/publishers/google/models/gemini-2.5-pro:streamGenerateContent?alt=sse',
  );
  assert.equal(upstream.headers.authorization, 'Bearer ya29.issued');
  assert.equal(upstream.headers['x-goog-api-key'], undefined);
  assert.deepEqual(JSON.parse(upstream.body).contents, [{ role: 'user', parts: [{ text: 'Hi' }] }]);
});

test('the global location uses the host without a region, and an explicit baseUrl wins', async () => {
  const options = { project: 'acme-prod', location: 'global' };
  const global = await vertexAdapter.buildChatRequest(request, 'gemini-2.5-flash', { name: 'v', baseUrl: 'https://generativelanguage.googleapis.com', apiKey: 't', options });
  assert.equal(global.url, 'https://aiplatform.googleapis.com/v1/projects/acme-prod/locations/global/publishers/google/models/gemini-2.5-flash:generateContent');
  const proxied = await vertexAdapter.buildChatRequest(request, 'gemini-2.5-flash', { name: 'v', baseUrl: 'http://127.0.0.1:8787', apiKey: 't', options });
  assert.equal(proxied.url, 'http://127.0.0.1:8787/v1/projects/acme-prod/locations/global/publishers/google/models/gemini-2.5-flash:generateContent');
});

test('a Vertex service account is exchanged for a bearer token through the injected fetch', async () => {
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const serviceAccount = JSON.stringify({
    client_email: 'runner@acme-prod.iam.gserviceaccount.com',
    private_key: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    token_uri: 'https://oauth2.example.test/token',
  });
  const seen: string[] = [];
  const adapter = createVertexAdapter({
    cache: new AccessTokenCache(),
    fetch: async (input) => {
      seen.push(String(input));
      return Response.json({ access_token: 'ya29.from-service-account', expires_in: 3600 });
    },
  });
  const endpoint: ProviderEndpoint = { name: 'vertex', baseUrl: '', options: { project: 'acme-prod', location: 'us-central1', serviceAccount } };
  const upstream = await adapter.buildChatRequest(request, 'gemini-2.5-flash', endpoint);
  assert.equal(upstream.headers.authorization, 'Bearer ya29.from-service-account');
  assert.deepEqual(seen, ['https://oauth2.example.test/token']);
});

test('a Vertex endpoint without a project or without credentials is refused', async () => {
  await assert.rejects(
    Promise.resolve().then(() => vertexAdapter.buildChatRequest(request, 'gemini-2.5-flash', { name: 'v', baseUrl: '', apiKey: 't', options: { location: 'us-central1' } })),
    (error: unknown) => error instanceof GatewayError && error.message.includes('options.project'),
  );
  await assert.rejects(
    Promise.resolve().then(() => vertexAdapter.buildChatRequest(request, 'gemini-2.5-flash', { name: 'v', baseUrl: '', options: { project: 'acme-prod' } })),
    (error: unknown) => error instanceof GatewayError && error.code === 'upstream_authentication_failed',
  );
});
