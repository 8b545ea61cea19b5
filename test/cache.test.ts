import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { startOpenAiSimulator, type OpenAiSimulator } from './simulators/openai-simulator.js';
import { startTestGateway, type TestGateway } from './support/test-gateway.js';

interface Ledger {
  cacheHit: boolean;
  savedUsd: number;
  costUsd: number;
  provider: string;
  attempts: unknown[];
}

describe('response caching', () => {
  let simulator: OpenAiSimulator;
  let gateway: TestGateway;

  const chat = async (model: string, body: Record<string, unknown>, headers: Record<string, string> = {}) => {
    const response = await fetch(`${gateway.url}/v1/chat/completions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${gateway.clientKey}`, 'content-type': 'application/json', ...headers },
      body: JSON.stringify({ model, ...body }),
    });
    const text = await response.text();
    const record = (await (await gateway.admin(`/admin/requests/${response.headers.get('x-request-id')}`)).json()) as Ledger;
    return { status: response.status, cache: response.headers.get('x-switchyard-cache'), text, record };
  };

  const question = (content: string) => ({ temperature: 0, messages: [{ role: 'user', content }] });

  before(async () => {
    simulator = await startOpenAiSimulator();
    gateway = await startTestGateway({
      providers: { sim: { type: 'openai', baseUrl: simulator.url } },
      models: { house: { provider: 'sim', price: { input: 1, output: 2 } }, embedder: { provider: 'sim', model: 'text-embedding-3-small' } },
      routes: {
        cached: { strategy: 'fallback', targets: ['house'], cache: { mode: 'exact', ttlSeconds: 60 } },
        similar: { strategy: 'fallback', targets: ['house'], cache: { mode: 'semantic', embeddingModel: 'embedder', threshold: 0.9 } },
      },
    });
  });

  after(async () => {
    await gateway.stop();
    await simulator.close();
  });

  test('a repeated request is served from the exact cache with no upstream call, and its saving is recorded', async () => {
    const first = await chat('cached', question('What is 2+2?'));
    assert.equal(first.cache, 'miss');
    const calls = simulator.received.length;
    const second = await chat('cached', question('What is 2+2?'));
    assert.equal(second.cache, 'hit');
    assert.equal(simulator.received.length, calls, 'no upstream call');
    assert.equal(JSON.parse(second.text).choices[0].message.content, 'Hello from the simulator.');
    assert.equal(second.record.cacheHit, true);
    assert.equal(second.record.costUsd, 0);
    assert.ok(Math.abs(second.record.savedUsd - (10 * 1 + 2 * 1 + 7 * 2) / 1e6) < 1e-12);
    assert.deepEqual(second.record.attempts, []);

    const streamed = await chat('cached', { ...question('What is 2+2?'), stream: true, stream_options: { include_usage: true } });
    assert.equal(streamed.cache, 'hit');
    assert.match(streamed.text, /"content":"Hello from the simulator\."/);
    assert.match(streamed.text, /"finish_reason":"stop"/);
    assert.match(streamed.text, /"total_tokens":19/);
    assert.match(streamed.text, /data: \[DONE\]\n\n$/);

    const spend = (await (await gateway.admin('/admin/usage?groupBy=route')).json()) as { rows: Array<{ group: string; savedUsd: number }> };
    assert.ok((spend.rows.find((row) => row.group === 'cached')?.savedUsd ?? 0) >= 2 * 26 / 1e6 - 1e-12);
  });

  test('a streamed answer is cached too and replays for a plain request', async () => {
    await chat('cached', { ...question('stream me'), stream: true });
    const calls = simulator.received.length;
    const replay = await chat('cached', question('stream me'));
    assert.equal(replay.cache, 'hit');
    assert.equal(simulator.received.length, calls);
    assert.equal(JSON.parse(replay.text).choices[0].message.content, 'w0 w1 w2 w3 w4 ');
  });

  test('requests with temperature above zero or unset are not served from the cache', async () => {
    await chat('cached', { temperature: 0.7, messages: [{ role: 'user', content: 'creative' }] });
    const calls = simulator.received.length;
    const again = await chat('cached', { temperature: 0.7, messages: [{ role: 'user', content: 'creative' }] });
    assert.equal(again.cache, null);
    assert.equal(simulator.received.length, calls + 1);
    await chat('cached', { messages: [{ role: 'user', content: 'unset' }] });
    assert.equal((await chat('cached', { messages: [{ role: 'user', content: 'unset' }] })).cache, null);
  });

  test('a request can opt in with the header on a plain model, and opt out on a cached route', async () => {
    await chat('house', question('header opt-in'), { 'x-switchyard-cache': 'exact' });
    assert.equal((await chat('house', question('header opt-in'), { 'x-switchyard-cache': 'exact' })).cache, 'hit');
    assert.equal((await chat('cached', question('What is 2+2?'), { 'x-switchyard-cache': 'off' })).cache, null);
    assert.equal((await chat('house', question('x'), { 'x-switchyard-cache': 'sometimes' })).status, 400);
  });

  test('the semantic cache answers a differently worded question whose embedding is close enough', async () => {
    await chat('similar', question('How tall is Mont Blanc?'));
    const chats = simulator.received.filter((request) => request.path.endsWith('/chat/completions')).length;
    const hit = await chat('similar', question('What is the height of Mont Blanc?'));
    assert.equal(hit.cache, 'hit');
    assert.equal(simulator.received.filter((request) => request.path.endsWith('/chat/completions')).length, chats);
    assert.equal(hit.record.attempts.length, 1, 'the embedding call is the only upstream attempt, and it is accounted');
  });
});

describe('the exact cache is shared by replicas through Redis', () => {
  test('an answer cached by one gateway is served by another with no upstream call', async () => {
    const { testRedisUrl } = await import('../src/limits/redis-test-server.js');
    const simulator = await startOpenAiSimulator();
    const config = {
      redis: await testRedisUrl(),
      providers: { sim: { type: 'openai', baseUrl: simulator.url } },
      models: { house: { provider: 'sim', price: { input: 1, output: 2 } } },
      routes: { cached: { strategy: 'fallback', targets: ['house'], cache: { mode: 'exact', ttlSeconds: 60 } } },
    };
    const first = await startTestGateway(config);
    const second = await startTestGateway(config);
    try {
      const prompt = `replica question ${Date.now()} ${Math.random()}`;
      const ask = (gateway: TestGateway) =>
        fetch(`${gateway.url}/v1/chat/completions`, {
          method: 'POST',
          headers: { authorization: `Bearer ${gateway.clientKey}`, 'content-type': 'application/json' },
          body: JSON.stringify({ model: 'cached', temperature: 0, messages: [{ role: 'user', content: prompt }] }),
        });
      const miss = await ask(first);
      await miss.arrayBuffer();
      assert.equal(miss.headers.get('x-switchyard-cache'), 'miss');
      // The answer is written to the cache after the response went out; give that write a moment.
      await new Promise((resolve) => setTimeout(resolve, 100));
      const calls = simulator.received.length;
      const hit = await ask(second);
      assert.equal(hit.headers.get('x-switchyard-cache'), 'hit');
      assert.equal(((await hit.json()) as { choices: Array<{ message: { content: string } }> }).choices[0]?.message.content, 'Hello from the simulator.');
      assert.equal(simulator.received.length, calls);
    } finally {
      await first.stop();
      await second.stop();
      await simulator.close();
    }
  });
});
