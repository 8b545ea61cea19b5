import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, test } from 'node:test';
import { parseConfig } from '../../config/load-config.js';
import { toGatewayError } from '../../core/errors.js';
import type { RequestRecord } from '../../ledger/ledger-record.js';
import { bundledPriceCatalog } from '../../ledger/price-catalog.js';
import { ModelRegistry } from '../../routing/model-registry.js';
import type { Principal } from '../auth/key-service.js';
import { writeError } from '../error-envelope.js';
import type { Gateway } from '../gateway.js';
import { SpendControl } from '../spend-control.js';
import { BudgetService } from '../../limits/budget-service.js';
import { MemoryCounterStore } from '../../limits/memory-counter-store.js';
import { RateLimiter } from '../../limits/rate-limiter.js';
import { runImages } from './images-handler.js';

const records: RequestRecord[] = [];
const upstreamBodies: unknown[] = [];
let upstream: Server;
let gatewayServer: Server;
let gatewayUrl = '';

function listen(server: Server): Promise<string> {
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(`http://127.0.0.1:${(server.address() as AddressInfo).port}`)));
}

/** The handler with only what it reads of a gateway: config, registry, catalog, ledger and spend control (no limits set). */
function gatewayFor(upstreamUrl: string): Gateway {
  const config = parseConfig({
    providers: { images: { type: 'openai', baseUrl: `${upstreamUrl}/v1`, apiKey: 'upstream-key' } },
    models: { painter: { provider: 'images', model: 'dall-e-3', price: { input: 0, output: 0, perImage: 0.04 } } },
  }, {});
  const catalog = bundledPriceCatalog();
  const counters = new MemoryCounterStore();
  const spend = new SpendControl(config, new BudgetService({ store: counters }), new RateLimiter({ store: counters }), async () => undefined);
  const partial = { config, catalog, spend, registry: new ModelRegistry(config, catalog), ledger: { enqueue: (record: RequestRecord) => records.push(record) } };
  return partial as unknown as Gateway;
}

before(async () => {
  upstream = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { n: number };
      upstreamBodies.push(body);
      const data = Array.from({ length: body.n }, (_, index) => ({ url: `https://img.invalid/${index}.png`, revised_prompt: 'A red kite, revised' }));
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end(JSON.stringify({ created: 1761210000, data }));
    });
  });
  const gateway = gatewayFor(await listen(upstream));
  const principal: Principal = { kind: 'key', key: undefined };
  gatewayServer = createServer((request, response) => {
    runImages(gateway, { request, response }, principal, { requestId: 'req-1', startedAtMs: performance.now() }).catch((caught: unknown) => {
      writeError(response, toGatewayError(caught), 'openai', 'req-1');
    });
  });
  gatewayUrl = await listen(gatewayServer);
});

after(async () => {
  await new Promise<void>((resolve) => gatewayServer.close(() => resolve()));
  await new Promise<void>((resolve) => upstream.close(() => resolve()));
});

function post(body: unknown): Promise<Response> {
  return fetch(`${gatewayUrl}/v1/images/generations`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
}

test('a generation answers an OpenAI ImagesResponse and records an images ledger entry priced per image', async () => {
  const response = await post({ model: 'painter', prompt: 'A red kite', n: 2, size: '1024x1024' });
  assert.equal(response.status, 200);
  assert.deepEqual(await response.json(), {
    created: 1761210000,
    data: [
      { url: 'https://img.invalid/0.png', revised_prompt: 'A red kite, revised' },
      { url: 'https://img.invalid/1.png', revised_prompt: 'A red kite, revised' },
    ],
  });
  assert.deepEqual(upstreamBodies.at(-1), { model: 'dall-e-3', prompt: 'A red kite', n: 2, size: '1024x1024', response_format: 'url' });
  const record = records.at(-1);
  assert.equal(record?.endpoint, 'images');
  assert.equal(record?.requestedModel, 'painter');
  assert.equal(record?.provider, 'images');
  assert.equal(record?.upstreamModel, 'dall-e-3');
  assert.equal(record?.status, 200);
  assert.equal(record?.stream, false);
  assert.ok(Math.abs((record?.costUsd ?? 0) - 0.08) < 1e-12);
  assert.equal(record?.attempts.length, 1);
});

test('an unknown model is a 404 in the OpenAI envelope, still recorded', async () => {
  const before = records.length;
  const response = await post({ model: 'nope', prompt: 'A red kite' });
  assert.equal(response.status, 404);
  const body = (await response.json()) as { error: { param: string } };
  assert.equal(body.error.param, 'model');
  assert.equal(records.length, before + 1);
  assert.equal(records.at(-1)?.status, 404);
  assert.equal(records.at(-1)?.errorCode, 'model_not_found');
});

test('a bad field is a 400 naming it, before anything is sent upstream', async () => {
  const sent = upstreamBodies.length;
  const response = await post({ model: 'painter', prompt: 'A red kite', n: 0 });
  assert.equal(response.status, 400);
  const body = (await response.json()) as { error: { param: string; message: string } };
  assert.equal(body.error.param, 'n');
  assert.match(body.error.message, /at least 1/);
  assert.equal(upstreamBodies.length, sent);
});
