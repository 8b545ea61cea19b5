import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { dropTestPrefix, testRedisUrl, uniqueTestPrefix } from '../src/limits/redis-test-server.js';
import { startOpenAiSimulator, type OpenAiSimulator } from './simulators/openai-simulator.js';
import { startTcpRelay, type TcpRelay } from './support/tcp-relay.js';
import { startTestGateway, type TestGateway } from './support/test-gateway.js';

interface ReadyBody {
  status: string;
  checks: Record<string, string>;
}

async function ready(url: string): Promise<{ status: number; body: ReadyBody }> {
  const response = await fetch(`${url}/ready`);
  return { status: response.status, body: (await response.json()) as ReadyBody };
}

async function waitForStatus(url: string, status: number): Promise<ReadyBody> {
  const deadline = Date.now() + 10_000;
  let last = await ready(url);
  while (last.status !== status && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 100));
    last = await ready(url);
  }
  assert.equal(last.status, status, JSON.stringify(last.body));
  return last.body;
}

describe('GET /ready', () => {
  let simulator: OpenAiSimulator;

  before(async () => {
    simulator = await startOpenAiSimulator();
  });

  after(async () => {
    await simulator.close();
  });

  test('answers 200 without a key when the store answers and the config is loaded', async () => {
    const gateway = await startTestGateway({ providers: { sim: { type: 'openai', baseUrl: simulator.url } }, models: { house: { provider: 'sim' } } });
    try {
      const answer = await ready(gateway.url);
      assert.equal(answer.status, 200);
      assert.deepEqual(answer.body, { status: 'ready', checks: { config: 'ok', store: 'ok', draining: 'ok' } });
    } finally {
      await gateway.stop();
    }
  });

  test('turns 503 as soon as shutdown begins, while a request in flight still finishes', async () => {
    const gateway = await startTestGateway({ providers: { sim: { type: 'openai', baseUrl: simulator.url } }, models: { house: { provider: 'sim', price: { input: 1, output: 2 } } } });
    simulator.behave({ kind: 'slow', delayMs: 600 });
    try {
      const received = simulator.received.length;
      const inFlight = fetch(`${gateway.url}/v1/chat/completions`, {
        method: 'POST',
        headers: { authorization: `Bearer ${gateway.clientKey}`, 'content-type': 'application/json' },
        body: JSON.stringify({ model: 'house', messages: [{ role: 'user', content: 'slow one' }] }),
      });
      while (simulator.received.length === received) await new Promise((resolve) => setTimeout(resolve, 10));
      const stopping = gateway.running.shutdown(5_000);
      const readiness = gateway.running.gateway.readiness;
      assert.ok(readiness);
      const report = await readiness.report();
      assert.equal(report.ready, false);
      assert.match(report.checks.draining ?? '', /^shutting down since /);
      const response = await inFlight;
      assert.equal(response.status, 200);
      await stopping;
    } finally {
      simulator.behave({ kind: 'ok' });
      await gateway.stop();
    }
  });

  describe('with Redis configured', () => {
    let relay: TcpRelay;
    let gateway: TestGateway;
    const prefix = uniqueTestPrefix();

    before(async () => {
      const target = new URL(await testRedisUrl());
      relay = await startTcpRelay(target.hostname, Number(target.port || 6379));
      gateway = await startTestGateway({ redis: `redis://127.0.0.1:${relay.port}`, providers: { sim: { type: 'openai', baseUrl: simulator.url } }, models: { house: { provider: 'sim' } } });
    });

    after(async () => {
      await gateway.stop();
      await relay.close();
      await dropTestPrefix(prefix);
    });

    test('answers 503 naming Redis while it is unreachable, and 200 again once it is back', async () => {
      assert.deepEqual((await ready(gateway.url)).body.checks, { config: 'ok', store: 'ok', redis: 'ok', draining: 'ok' });
      await relay.cut();
      const down = await waitForStatus(gateway.url, 503);
      assert.equal(down.status, 'unavailable');
      assert.match(down.checks.redis ?? '', /^unreachable: /);
      assert.equal(down.checks.store, 'ok');
      const health = await fetch(`${gateway.url}/health`);
      assert.equal(health.status, 200, 'liveness does not depend on Redis');
      await relay.restore();
      await waitForStatus(gateway.url, 200);
    });
  });
});
