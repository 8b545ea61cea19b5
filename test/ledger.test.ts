import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { startOpenAiSimulator, type OpenAiSimulator } from './simulators/openai-simulator.js';
import { startTestGateway, type TestGateway } from './support/test-gateway.js';

interface UsageRow {
  group: string | null;
  requests: number;
  inputTokens: number;
  outputTokens: number;
  costUsd: number;
}

interface LedgerRecord {
  id: string;
  customer: string | null;
  keyId: string | null;
  requestedModel: string;
  route: string | null;
  provider: string | null;
  upstreamModel: string | null;
  inputTokens: number;
  cachedInputTokens: number;
  outputTokens: number;
  costUsd: number;
  estimated: boolean;
  catalogVersion: string;
  status: number;
  ttftMs: number | null;
  attempts: Array<{ attempt: number; status: number; errorCode: string | null; provider: string; costUsd: number }>;
}

describe('the ledger accounts every request in dollars', () => {
  let simulator: OpenAiSimulator;
  let broken: OpenAiSimulator;
  let gateway: TestGateway;

  before(async () => {
    simulator = await startOpenAiSimulator();
    broken = await startOpenAiSimulator();
    broken.behave({ kind: 'status', status: 503 });
    gateway = await startTestGateway({
      providers: { sim: { type: 'openai', baseUrl: simulator.url }, flaky: { type: 'openai', baseUrl: broken.url } },
      models: {
        priced: { provider: 'sim', model: 'house-v1', price: { input: 3, output: 15, cachedInput: 0.3 } },
        'gpt-4o-mini': { provider: 'sim' },
        failing: { provider: 'flaky', model: 'house-v1', price: { input: 3, output: 15 } },
      },
      routes: { chat: { strategy: 'fallback', targets: ['failing', 'priced'] } },
    });
  });

  after(async () => {
    await gateway.stop();
    await simulator.close();
    await broken.close();
  });

  async function record(id: string): Promise<LedgerRecord> {
    const response = await gateway.admin(`/admin/requests/${id}`);
    assert.equal(response.status, 200);
    return (await response.json()) as LedgerRecord;
  }

  async function call(body: Record<string, unknown>, headers: Record<string, string> = {}): Promise<string> {
    const response = await fetch(`${gateway.url}/v1/chat/completions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${gateway.clientKey}`, 'content-type': 'application/json', ...headers },
      body: JSON.stringify({ messages: [{ role: 'user', content: 'hello there' }], ...body }),
    });
    assert.equal(response.status, 200);
    await response.arrayBuffer();
    return response.headers.get('x-request-id') as string;
  }

  test('one record per request, keyed by x-request-id, with provider tokens and cost = tokens x configured price', async () => {
    const id = await call({ model: 'priced', user: 'customer-a' });
    const entry = await record(id);
    assert.equal(entry.id, id);
    assert.equal(entry.customer, 'customer-a');
    assert.equal(entry.provider, 'sim');
    assert.equal(entry.upstreamModel, 'house-v1');
    assert.equal(entry.inputTokens, 10);
    assert.equal(entry.cachedInputTokens, 2);
    assert.equal(entry.outputTokens, 7);
    assert.equal(entry.estimated, false);
    // 10 full-price input tokens at $3, 2 cached at $0.30, 7 output at $15, per million.
    assert.ok(Math.abs(entry.costUsd - (10 * 3 + 2 * 0.3 + 7 * 15) / 1e6) < 1e-12, `cost ${entry.costUsd}`);
    assert.match(entry.catalogVersion, /^\d{4}-\d{2}-\d{2}$/);
    assert.equal(entry.attempts.length, 1);
  });

  test('prices from the bundled catalog when config gives none', async () => {
    const entry = await record(await call({ model: 'gpt-4o-mini' }));
    // gpt-4o-mini list price: $0.15 input, $0.075 cached input, $0.60 output per million.
    assert.ok(Math.abs(entry.costUsd - (10 * 0.15 + 2 * 0.075 + 7 * 0.6) / 1e6) < 1e-12, `cost ${entry.costUsd}`);
  });

  test('the customer header wins over the user field', async () => {
    const entry = await record(await call({ model: 'priced', user: 'from-body' }, { 'x-switchyard-customer': 'from-header' }));
    assert.equal(entry.customer, 'from-header');
  });

  test('a fallback keeps one record per attempt under one request and bills only what was served', async () => {
    const entry = await record(await call({ model: 'chat' }));
    assert.equal(entry.route, 'chat');
    // The failing target is retried once (the default), then the route falls back to the next target.
    assert.deepEqual(entry.attempts.map((attempt) => [attempt.attempt, attempt.provider, attempt.status, attempt.errorCode]), [
      [0, 'flaky', 503, 'upstream_unavailable'],
      [1, 'flaky', 503, 'upstream_unavailable'],
      [2, 'sim', 200, null],
    ]);
    assert.equal(entry.attempts[0]?.costUsd, 0);
    assert.equal(entry.costUsd, entry.attempts[2]?.costUsd);
  });

  test('without provider usage, tokens are counted with the tokenizer and marked estimated', async () => {
    simulator.behave({ kind: 'no-usage' });
    try {
      const entry = await record(await call({ model: 'priced' }));
      assert.equal(entry.estimated, true);
      assert.ok(entry.inputTokens > 0 && entry.inputTokens < 30, `input ${entry.inputTokens}`);
      // "Hello from the simulator." is 5 tokens in o200k_base: Hello, " from", " the", " simulator", ".".
      assert.equal(entry.outputTokens, 5);
      const streamed = await record(await call({ model: 'priced', stream: true }));
      assert.equal(streamed.estimated, true);
      assert.ok(streamed.outputTokens > 0);
      assert.ok(streamed.ttftMs !== null && streamed.ttftMs >= 0);
    } finally {
      simulator.behave({ kind: 'ok' });
    }
  });

  test('usage groups by key, customer, model and provider with matching sums', async () => {
    const before = (await (await gateway.admin('/admin/usage?groupBy=customer')).json()) as { rows: UsageRow[] };
    const previous = before.rows.find((row) => row.group === 'sum-check')?.requests ?? 0;
    for (let index = 0; index < 3; index += 1) await call({ model: 'priced', user: 'sum-check' });
    const byCustomer = (await (await gateway.admin('/admin/usage?groupBy=customer')).json()) as { rows: UsageRow[] };
    const row = byCustomer.rows.find((item) => item.group === 'sum-check');
    assert.equal(row?.requests, previous + 3);
    assert.equal(row?.inputTokens, 36);
    assert.equal(row?.outputTokens, 21);
    assert.ok(Math.abs((row?.costUsd ?? 0) - 3 * (10 * 3 + 2 * 0.3 + 7 * 15) / 1e6) < 1e-9);
    for (const groupBy of ['key', 'model', 'provider']) {
      const response = await gateway.admin(`/admin/usage?groupBy=${groupBy}`);
      assert.equal(response.status, 200);
      const rows = ((await response.json()) as { rows: UsageRow[] }).rows;
      assert.ok(rows.length > 0);
    }
    const future = (await (await gateway.admin(`/admin/usage?groupBy=model&from=${Date.now() + 60_000}`)).json()) as { rows: UsageRow[] };
    assert.deepEqual(future.rows, []);
    const bad = await gateway.admin('/admin/usage?groupBy=planet');
    assert.equal(bad.status, 400);
  });
});

describe('self-hosted deployments are charged for GPU time', () => {
  let simulator: OpenAiSimulator;
  let gateway: TestGateway;

  before(async () => {
    simulator = await startOpenAiSimulator();
    gateway = await startTestGateway({
      providers: { gpu: { type: 'vllm', baseUrl: simulator.url, private: true, hosting: { cloud: 'coreweave', gpu: 'H100', gpus: 2, pricePerHour: 3.6, tokensPerSecond: 1000 } } },
      models: { llama: { provider: 'gpu', model: 'meta-llama/Llama-3.3-70B-Instruct' } },
    });
  });

  after(async () => {
    await gateway.stop();
    await simulator.close();
  });

  test('cost = tokens / throughput x hourly price x GPUs', async () => {
    const response = await fetch(`${gateway.url}/v1/chat/completions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${gateway.clientKey}`, 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'llama', messages: [{ role: 'user', content: 'hi' }] }),
    });
    await response.arrayBuffer();
    const record = (await (await gateway.admin(`/admin/requests/${response.headers.get('x-request-id')}`)).json()) as { costUsd: number };
    // 19 tokens at 1,000 tokens/s = 0.019 s of two GPUs at $3.60 an hour each.
    assert.ok(Math.abs(record.costUsd - (0.019 * 3.6 * 2) / 3600) < 1e-12, `cost ${record.costUsd}`);
  });
});
