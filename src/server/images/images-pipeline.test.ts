import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, test } from 'node:test';
import type { Deployment } from '../../core/deployment.js';
import { GatewayError } from '../../core/errors.js';
import type { Price } from '../../ledger/price-catalog.js';
import { stabilityChatAdapter } from '../../providers/images/stability-chat-adapter.js';
import { defaultTimeouts } from '../../providers/shared/http-client.js';
import type { ExecutionContext } from '../../routing/attempt-loop.js';
import type { CanonicalImageRequest } from '../../providers/images/image-adapter.js';
import { executeImages } from './images-pipeline.js';

interface Received {
  path: string;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

type Answer = { status: number; body: unknown; contentType?: string };

/** A loopback stand-in for image providers: answers by path from a table the tests set. */
let server: Server;
let baseUrl = '';
const received: Received[] = [];
const answers = new Map<string, Answer>();

before(async () => {
  server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const path = request.url ?? '/';
      received.push({ path, headers: request.headers, body: Buffer.concat(chunks).toString('utf8') });
      const answer = answers.get(path) ?? { status: 404, body: { error: { message: 'no such path' } } };
      response.writeHead(answer.status, { 'content-type': answer.contentType ?? 'application/json' });
      response.end(JSON.stringify(answer.body));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

after(() => new Promise<void>((resolve) => server.close(() => resolve())));

function deployment(options: { provider: string; providerType: string; upstreamModel: string; baseUrl: string; price?: Price }): Deployment {
  return {
    model: options.provider,
    provider: options.provider,
    providerType: options.providerType,
    adapter: stabilityChatAdapter,
    endpoint: { name: options.provider, baseUrl: options.baseUrl, apiKey: 'upstream-key' },
    upstreamModel: options.upstreamModel,
    price: options.price,
    priceSource: options.price ? 'config' : 'none',
    private: false,
    timeouts: defaultTimeouts,
  };
}

function context(): ExecutionContext {
  return { attempts: [], signal: new AbortController().signal };
}

const request: CanonicalImageRequest = { model: 'painter', prompt: 'A red kite over dunes', n: 2, size: '1024x1024', responseFormat: 'url' };
const png = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJ';

test('an OpenAI image attempt costs n × perImage and is recorded with status 200', async () => {
  answers.set('/a/v1/images/generations', { status: 200, body: { created: 1761210000, data: [{ url: 'https://img.invalid/1.png' }, { url: 'https://img.invalid/2.png' }] } });
  const run = context();
  const outcome = await executeImages(request, [deployment({ provider: 'oa', providerType: 'openai', upstreamModel: 'dall-e-2', baseUrl: `${baseUrl}/a/v1`, price: { input: 0, output: 0, perImage: 0.02 } })], run);
  assert.equal(outcome.result.images.length, 2);
  assert.equal(run.attempts.length, 1);
  assert.equal(run.attempts[0]?.status, 200);
  assert.equal(run.attempts[0]?.errorCode, null);
  assert.ok(Math.abs((run.attempts[0]?.costUsd ?? 0) - 0.04) < 1e-12);
  const sent = received.at(-1);
  assert.equal(sent?.headers.authorization, 'Bearer upstream-key');
  assert.deepEqual(JSON.parse(sent?.body ?? '{}'), { model: 'dall-e-2', prompt: 'A red kite over dunes', n: 2, size: '1024x1024', response_format: 'url' });
});

test('a GPT Image attempt adds its token cost to the per-image price', async () => {
  answers.set('/b/v1/images/generations', { status: 200, body: { created: 1, data: [{ b64_json: png }], usage: { input_tokens: 20, output_tokens: 4000 } } });
  const run = context();
  const price: Price = { input: 5, output: 40, perImage: 0.01 };
  await executeImages({ ...request, n: 1 }, [deployment({ provider: 'gi', providerType: 'openai', upstreamModel: 'gpt-image-1', baseUrl: `${baseUrl}/b/v1`, price })], run);
  const attempt = run.attempts[0];
  assert.equal(attempt?.inputTokens, 20);
  assert.equal(attempt?.outputTokens, 4000);
  assert.ok(Math.abs((attempt?.costUsd ?? 0) - ((20 * 5 + 4000 * 40) / 1_000_000 + 0.01)) < 1e-12);
});

test('a retryable failure falls back to the next target; only the served attempt is charged', async () => {
  answers.set('/down/images/generations', { status: 503, body: { error: { message: 'overloaded' } } });
  answers.set('/up/v2beta/stable-image/generate/core', { status: 200, body: { image: png, finish_reason: 'SUCCESS', seed: 5 } });
  const run = context();
  const outcome = await executeImages({ ...request, n: 1, size: '1792x1024' }, [
    deployment({ provider: 'first', providerType: 'openai', upstreamModel: 'dall-e-3', baseUrl: `${baseUrl}/down`, price: { input: 0, output: 0, perImage: 0.04 } }),
    deployment({ provider: 'second', providerType: 'stability', upstreamModel: 'stable-image-core', baseUrl: `${baseUrl}/up`, price: { input: 0, output: 0, perImage: 0.03 } }),
  ], run);
  assert.equal(outcome.deployment.provider, 'second');
  assert.deepEqual(outcome.result.images, [{ b64: png }]);
  assert.deepEqual(run.attempts.map((attempt) => [attempt.provider, attempt.status, attempt.errorCode, attempt.costUsd]), [
    ['first', 503, 'upstream_unavailable', 0],
    ['second', 200, null, 0.03],
  ]);
  const sent = received.at(-1);
  assert.equal(sent?.headers.accept, 'application/json');
  assert.match(String(sent?.headers['content-type']), /^multipart\/form-data; boundary=/);
  assert.match(sent?.body ?? '', /name="aspect_ratio"\r\n\r\n16:9\r\n/);
});

test('a refused prompt is not retried elsewhere', async () => {
  answers.set('/policy/images/generations', { status: 400, body: { error: { code: 'content_policy_violation', message: 'Rejected by the safety system.', type: 'invalid_request_error' } } });
  const run = context();
  await assert.rejects(
    executeImages({ ...request, n: 1 }, [
      deployment({ provider: 'strict', providerType: 'openai', upstreamModel: 'dall-e-3', baseUrl: `${baseUrl}/policy` }),
      deployment({ provider: 'spare', providerType: 'openai', upstreamModel: 'dall-e-3', baseUrl: `${baseUrl}/a/v1` }),
    ], run),
    (error: unknown) => error instanceof GatewayError && error.code === 'content_filtered',
  );
  assert.equal(run.attempts.length, 1);
  assert.equal(run.attempts[0]?.costUsd, 0);
});

test('targets of a provider type without images are left out; with none left, the model is the problem', async () => {
  const run = context();
  await assert.rejects(
    executeImages(request, [deployment({ provider: 'claude', providerType: 'anthropic', upstreamModel: 'claude-sonnet-4-5', baseUrl })], run),
    (error: unknown) => error instanceof GatewayError && error.code === 'invalid_request' && error.param === 'model' && /does not generate images/.test(error.message),
  );
  assert.equal(run.attempts.length, 0);
});
