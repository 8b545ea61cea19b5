import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { createServer, request as httpRequest, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, test } from 'node:test';
import { testRedisUrl } from '../src/limits/redis-test-server.js';
import { startOpenAiSimulator, type OpenAiSimulator } from './simulators/openai-simulator.js';
import { startTestGateway, type TestGateway } from './support/test-gateway.js';

/** A round-robin load balancer on loopback that records which replica each request went to. */
async function startBalancer(replicas: string[]): Promise<{ url: string; served: number[]; close(): Promise<void> }> {
  const served = replicas.map(() => 0);
  let next = 0;
  const server: Server = createServer((incoming, outgoing) => {
    const index = next++ % replicas.length;
    served[index] = (served[index] ?? 0) + 1;
    const upstream = new URL(replicas[index] as string);
    const forwarded = httpRequest({ host: upstream.hostname, port: upstream.port, path: incoming.url, method: incoming.method, headers: incoming.headers }, (answer) => {
      outgoing.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(outgoing);
    });
    forwarded.on('error', () => outgoing.writeHead(502).end());
    incoming.pipe(forwarded);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    served,
    close: () => new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}

type Health = { deployments: Record<string, { state: string }> };

async function stateOn(gateway: TestGateway, model: string): Promise<string | undefined> {
  return ((await (await gateway.admin('/admin/health')).json()) as Health).deployments[model]?.state;
}

async function eventually(check: () => Promise<boolean>, what: string): Promise<void> {
  for (let attempt = 0; attempt < 100; attempt += 1) {
    if (await check()) return;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  assert.fail(`not within 2 s: ${what}`);
}

describe('two replicas on one Redis', () => {
  // Names no other run shares, so breaker state left in Redis by another run cannot interfere.
  const suffix = randomBytes(4).toString('hex');
  const failing = `failing-${suffix}`;
  const healthy = `healthy-${suffix}`;
  const sims: Record<'failing' | 'healthy', OpenAiSimulator> = {} as never;
  const replicas: TestGateway[] = [];
  let balancer: Awaited<ReturnType<typeof startBalancer>>;

  const chat = async (model: string, content: string, extra: Record<string, unknown> = {}) => {
    const response = await fetch(`${balancer.url}/v1/chat/completions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${(replicas[0] as TestGateway).clientKey}`, 'content-type': 'application/json' },
      body: JSON.stringify({ model, messages: [{ role: 'user', content }], ...extra }),
    });
    await response.arrayBuffer();
    return response;
  };

  before(async () => {
    sims.failing = await startOpenAiSimulator();
    sims.healthy = await startOpenAiSimulator();
    const config = {
      redis: await testRedisUrl(),
      resilience: { breaker: { consecutiveFailures: 3, cooldownMs: 60_000 } },
      providers: { bad: { type: 'openai', baseUrl: sims.failing.url }, good: { type: 'openai', baseUrl: sims.healthy.url } },
      models: {
        [failing]: { provider: 'bad', model: 'failing-model', price: { input: 1, output: 2 } },
        [healthy]: { provider: 'good', model: 'healthy-model', price: { input: 1, output: 2 } },
        [`embedder-${suffix}`]: { provider: 'good', model: 'text-embedding-3-small' },
      },
      routes: {
        [`chat-${suffix}`]: { strategy: 'fallback', targets: [failing, healthy], retry: { attemptsPerTarget: 1 } },
        [`similar-${suffix}`]: { strategy: 'fallback', targets: [healthy], cache: { mode: 'semantic', embeddingModel: `embedder-${suffix}`, threshold: 0.9 } },
      },
    };
    replicas.push(await startTestGateway(config), await startTestGateway(config));
    // Both replicas accept the same client key: the key was created on the first; the second gets the same hash.
    const key = (replicas[0] as TestGateway).clientKey;
    const { createHash } = await import('node:crypto');
    await (replicas[1] as TestGateway).running.gateway.store.keys.insert({
      id: `key_${suffix}`, name: 'shared', hash: createHash('sha256').update(key).digest('hex'), prefix: key.slice(0, 8), models: null, team: null, tags: {}, createdAt: Date.now(), expiresAt: null, revokedAt: null,
    });
    balancer = await startBalancer(replicas.map((replica) => replica.url));
  });

  after(async () => {
    await balancer?.close();
    await Promise.all(replicas.map((replica) => replica.stop()));
    await Promise.all(Object.values(sims).map((sim) => sim.close()));
  });

  test('after one replica opens a circuit, the other sends nothing to that provider', async () => {
    const [first, second] = replicas as [TestGateway, TestGateway];
    sims.failing.behave({ kind: 'status', status: 500 });
    // Straight to the first replica until its breaker opens; the second has seen none of these failures.
    for (let index = 0; index < 3; index += 1) {
      const response = await fetch(`${first.url}/v1/chat/completions`, {
        method: 'POST',
        headers: { authorization: `Bearer ${first.clientKey}`, 'content-type': 'application/json' },
        body: JSON.stringify({ model: `chat-${suffix}`, messages: [{ role: 'user', content: 'hello' }] }),
      });
      assert.equal(response.status, 200, 'the route falls back to the healthy provider');
      await response.arrayBuffer();
    }
    assert.equal(await stateOn(first, failing), 'open');
    assert.equal(sims.failing.received.length, 3);
    await eventually(async () => (await stateOn(second, failing)) === 'open', 'the second replica sees the circuit open');

    const before = sims.failing.received.length;
    const healthyBefore = sims.healthy.received.length;
    for (let index = 0; index < 40; index += 1) assert.equal((await chat(`chat-${suffix}`, `question ${index}`)).status, 200);
    assert.deepEqual(balancer.served.slice(0, 2), [20, 20], 'the balancer spread the requests over both replicas');
    assert.equal(sims.failing.received.length - before, 0, 'no replica sent anything to the failing provider');
    assert.equal(sims.healthy.received.length - healthyBefore, 40);
  });

  test('a replica started after the circuit opened begins with it open', async () => {
    const late = await startTestGateway({ ...(await lateConfig()) });
    try {
      assert.equal(await stateOn(late, failing), 'open');
    } finally {
      await late.stop();
    }

    async function lateConfig() {
      return {
        redis: await testRedisUrl(),
        resilience: { breaker: { consecutiveFailures: 3, cooldownMs: 60_000 } },
        providers: { bad: { type: 'openai', baseUrl: sims.failing.url } },
        models: { [failing]: { provider: 'bad', model: 'failing-model', price: { input: 1, output: 2 } } },
      };
    }
  });

  test('a prompt cached semantically through one replica is a hit through the other', async () => {
    const [first, second] = replicas as [TestGateway, TestGateway];
    const ask = (gateway: TestGateway, content: string) =>
      fetch(`${gateway.url}/v1/chat/completions`, {
        method: 'POST',
        headers: { authorization: `Bearer ${first.clientKey}`, 'content-type': 'application/json' },
        body: JSON.stringify({ model: `similar-${suffix}`, temperature: 0, messages: [{ role: 'user', content }] }),
      });
    const miss = await ask(first, `How tall is Mont Blanc, asks ${suffix}?`);
    await miss.arrayBuffer();
    assert.equal(miss.headers.get('x-switchyard-cache'), 'miss');
    const chats = () => sims.healthy.received.filter((request) => request.path.endsWith('/chat/completions')).length;
    const calls = chats();
    // The answer and its entry are written after the response went out, and the entry then crosses pub/sub.
    await new Promise((resolve) => setTimeout(resolve, 300));
    const hit = await ask(second, `What is the height of Mont Blanc, asks ${suffix}?`);
    await hit.arrayBuffer();
    assert.equal(hit.headers.get('x-switchyard-cache'), 'hit');
    assert.equal(chats(), calls, 'no chat call reached the provider for the hit');
  });
});
