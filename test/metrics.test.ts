import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { startOpenAiSimulator, type OpenAiSimulator } from './simulators/openai-simulator.js';
import { matching, parsePrometheusText, total, type Sample } from './support/prometheus-text.js';
import { spawnGateway } from './support/spawn-gateway.js';
import { adminKey, startTestGateway, type TestGateway } from './support/test-gateway.js';

const metricsKey = 'metrics-scrape-key-0123456789';

interface LedgerEntry {
  costUsd: number;
  savedUsd: number;
  inputTokens: number;
  cachedInputTokens: number;
  outputTokens: number;
  attempts: unknown[];
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

describe('Prometheus metrics count the traffic the ledger records', () => {
  let simulator: OpenAiSimulator;
  let broken: OpenAiSimulator;
  let gateway: TestGateway;
  const ids: string[] = [];

  async function chat(body: Record<string, unknown>, key = gateway.clientKey): Promise<Response> {
    const response = await fetch(`${gateway.url}/v1/chat/completions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
      body: JSON.stringify({ messages: [{ role: 'user', content: 'hello there' }], ...body }),
    });
    await response.arrayBuffer();
    const id = response.headers.get('x-request-id');
    if (id) ids.push(id);
    return response;
  }

  async function scrape(key = metricsKey): Promise<Sample[]> {
    const response = await fetch(`${gateway.url}/metrics`, { headers: { authorization: `Bearer ${key}` } });
    assert.equal(response.status, 200);
    assert.match(response.headers.get('content-type') ?? '', /^text\/plain; version=0\.0\.4/);
    return parsePrometheusText(await response.text());
  }

  before(async () => {
    simulator = await startOpenAiSimulator();
    broken = await startOpenAiSimulator();
    broken.behave({ kind: 'status', status: 503 });
    gateway = await startTestGateway({
      prometheus: { enabled: true, key: metricsKey, maxLabelValues: 8 },
      providers: { sim: { type: 'openai', baseUrl: simulator.url }, flaky: { type: 'openai', baseUrl: broken.url } },
      models: {
        priced: { provider: 'sim', model: 'house-v1', price: { input: 3, output: 15, cachedInput: 0.3 } },
        failing: { provider: 'flaky', model: 'house-v1', price: { input: 3, output: 15 } },
      },
      routes: {
        chat: { strategy: 'fallback', targets: ['failing', 'priced'], retry: { attemptsPerTarget: 2, initialBackoffMs: 1, maxBackoffMs: 5 } },
        cached: { strategy: 'fallback', targets: ['priced'], cache: { mode: 'exact', ttlSeconds: 60 } },
      },
    });
    for (let index = 0; index < 3; index += 1) assert.equal((await chat({ model: 'priced' })).status, 200);
    assert.equal((await chat({ model: 'priced', stream: true, stream_options: { include_usage: true } })).status, 200);
    for (let index = 0; index < 2; index += 1) assert.equal((await chat({ model: 'chat' })).status, 200);
    for (let index = 0; index < 2; index += 1) assert.equal((await chat({ model: 'cached', temperature: 0 })).status, 200);
  });

  after(async () => {
    await gateway.stop();
    await simulator.close();
    await broken.close();
  });

  test('/metrics needs the metrics key or an admin key, with the error envelope', async () => {
    const anonymous = await fetch(`${gateway.url}/metrics`);
    assert.equal(anonymous.status, 401);
    assert.equal(((await anonymous.json()) as { error: { code: string } }).error.code, 'authentication_failed');
    const client = await fetch(`${gateway.url}/metrics`, { headers: { authorization: `Bearer ${gateway.clientKey}` } });
    assert.equal(client.status, 403);
    await client.arrayBuffer();
    assert.ok((await scrape(adminKey)).length > 0);
  });

  test('requests by route, model, provider and status, and the latency histogram, count every request', async () => {
    const samples = await scrape();
    assert.equal(total(samples, 'switchyard_requests_total', { endpoint: 'chat', route: '', model: 'priced', provider: 'sim', status: '200' }), 4);
    assert.equal(total(samples, 'switchyard_requests_total', { route: 'chat', model: 'chat', provider: 'sim', status: '200' }), 2);
    assert.equal(total(samples, 'switchyard_requests_total', { route: 'cached', model: 'cached', status: '200' }), 2);
    assert.equal(total(samples, 'gen_ai_client_operation_duration_seconds_count', { gen_ai_operation_name: 'chat', gen_ai_provider_name: 'openai', gen_ai_request_model: 'priced', gen_ai_response_model: 'house-v1' }), 4);
    const infinite = matching(samples, 'gen_ai_client_operation_duration_seconds_bucket', { gen_ai_request_model: 'priced', le: '+Inf' });
    assert.equal(infinite.reduce((sum, sample) => sum + sample.value, 0), 4);
    assert.equal(total(samples, 'gen_ai_server_time_to_first_token_seconds_count', { gen_ai_request_model: 'priced' }), 1, 'one streamed request');
    assert.equal(total(samples, 'switchyard_gateway_overhead_seconds_count'), 8);
    const overhead = total(samples, 'switchyard_gateway_overhead_seconds_sum');
    const duration = total(samples, 'gen_ai_client_operation_duration_seconds_sum');
    assert.ok(overhead > 0 && overhead < duration, `overhead ${overhead}s is part of the total ${duration}s`);
  });

  test('tokens and cost add up to the ledger records of the same requests', async () => {
    const records = await Promise.all(ids.map(async (id) => (await (await gateway.admin(`/admin/requests/${id}`)).json()) as LedgerEntry));
    const samples = await scrape();
    const sum = (field: keyof LedgerEntry) => records.reduce((acc, record) => acc + (record[field] as number), 0);
    // The simulator bills 12 prompt tokens (2 of them cached) and 7 completion tokens per answer; 7 answers were upstream.
    assert.equal(total(samples, 'switchyard_tokens_total', { type: 'input' }), 70);
    assert.equal(total(samples, 'switchyard_tokens_total', { type: 'cache_read' }), 14);
    assert.equal(total(samples, 'switchyard_tokens_total', { type: 'output' }), 49);
    assert.equal(total(samples, 'switchyard_tokens_total', { type: 'input' }), sum('inputTokens'));
    assert.equal(total(samples, 'switchyard_tokens_total', { type: 'output' }), sum('outputTokens'));
    assert.equal(total(samples, 'gen_ai_client_token_usage_sum', { gen_ai_token_type: 'input' }), 7 * 12);
    assert.equal(total(samples, 'gen_ai_client_token_usage_count', { gen_ai_token_type: 'output' }), 7);
    const cost = total(samples, 'switchyard_cost_usd_total');
    assert.ok(cost > 0);
    assert.ok(Math.abs(cost - sum('costUsd')) < 1e-12, `metrics ${cost} against ledger ${sum('costUsd')}`);
    assert.equal(total(samples, 'switchyard_cache_hits_total', { route: 'cached' }), 1);
    const saved = total(samples, 'switchyard_cache_saved_usd_total', { route: 'cached' });
    assert.ok(saved > 0 && Math.abs(saved - sum('savedUsd')) < 1e-12);
  });

  test('retries, fallbacks and failed attempts are counted per provider', async () => {
    const samples = await scrape();
    assert.equal(total(samples, 'switchyard_upstream_attempts_total', { provider: 'flaky', status: '503' }), 4);
    assert.equal(total(samples, 'switchyard_upstream_retries_total', { provider: 'flaky', kind: 'retry' }), 2);
    assert.equal(total(samples, 'switchyard_upstream_retries_total', { provider: 'sim', kind: 'fallback' }), 2);
    assert.equal(total(samples, 'switchyard_upstream_attempts_total', { provider: 'sim', status: '200', shadow: 'false' }), 7);
    assert.deepEqual(matching(samples, 'switchyard_circuit_state', { model: 'failing', provider: 'flaky' }).map((sample) => sample.value), [0]);
  });

  test('rate-limit refusals and budgets are visible', async () => {
    const created = (await (await gateway.admin('/admin/keys', { method: 'POST', body: JSON.stringify({ name: 'metered', budget: { usd: 1, period: 'monthly', hard: true }, rateLimit: { rpm: 1 } }) })).json()) as { id: string; key: string };
    assert.equal((await chat({ model: 'priced' }, created.key)).status, 200);
    assert.equal((await chat({ model: 'priced' }, created.key)).status, 429);
    const record = (await (await gateway.admin(`/admin/requests/${ids.at(-2)}`)).json()) as LedgerEntry;
    const samples = await scrape();
    assert.equal(total(samples, 'switchyard_limit_refusals_total', { model: 'priced', reason: 'rate_limited' }), 1);
    const remaining = matching(samples, 'switchyard_budget_remaining_usd', { scope: 'key', id: created.id, period: 'monthly' });
    assert.equal(remaining.length, 1);
    assert.ok(Math.abs((remaining[0] as Sample).value - (1 - record.costUsd)) < 1e-6, `remaining ${(remaining[0] as Sample).value} after spending ${record.costUsd}`);
    assert.equal(total(samples, 'switchyard_budget_limit_usd', { scope: 'key', id: created.id }), 1);
  });

  test('the ledger queue and Node process metrics are exported', async () => {
    const samples = await scrape();
    assert.equal(matching(samples, 'switchyard_ledger_queue_depth').length, 1);
    assert.equal(matching(samples, 'switchyard_ledger_write_lag_seconds').length, 1);
    assert.ok(total(samples, 'switchyard_ledger_records_written_total') >= 1);
    assert.ok(total(samples, 'process_cpu_user_seconds_total') > 0);
    assert.equal(matching(samples, 'nodejs_eventloop_lag_seconds').length, 1);
  });

  test('model names clients invent stay within the label limit, and customer ids stay out', async () => {
    for (let index = 0; index < 12; index += 1) assert.equal((await chat({ model: `invented-${index}`, user: `customer-${index}` })).status, 404);
    const samples = await scrape();
    const models = new Set(matching(samples, 'switchyard_requests_total').map((sample) => sample.labels.model));
    assert.ok(models.size <= 9, `at most 8 model values and "other", got ${[...models].join(', ')}`);
    assert.ok(models.has('other'));
    assert.equal(total(samples, 'switchyard_requests_total', { status: '404' }), 12);
    assert.equal(matching(samples, 'switchyard_customer_requests_total').length, 0);
    assert.ok(!samples.some((sample) => Object.values(sample.labels).some((value) => value.startsWith('customer-'))));
  });
});

describe('Prometheus metrics on a separate address', () => {
  let simulator: OpenAiSimulator;
  let gateway: TestGateway;
  let metricsUrl: string;

  before(async () => {
    simulator = await startOpenAiSimulator();
    const port = await freePort();
    metricsUrl = `http://127.0.0.1:${port}/metrics`;
    gateway = await startTestGateway({ prometheus: { enabled: true, listen: `127.0.0.1:${port}`, customerLabels: true }, providers: { sim: { type: 'openai', baseUrl: simulator.url } }, models: { priced: { provider: 'sim', price: { input: 1, output: 2 } } } });
  });

  after(async () => {
    await gateway.stop();
    await simulator.close();
  });

  test('are served there without a key, and not on the main port', async () => {
    const answer = await fetch(`${gateway.url}/v1/chat/completions`, { method: 'POST', headers: { authorization: `Bearer ${gateway.clientKey}`, 'content-type': 'application/json', 'x-switchyard-customer': 'acme' }, body: JSON.stringify({ model: 'priced', messages: [{ role: 'user', content: 'hi' }] }) });
    assert.equal(answer.status, 200);
    await answer.arrayBuffer();
    const samples = parsePrometheusText(await (await fetch(metricsUrl)).text());
    assert.equal(total(samples, 'switchyard_customer_requests_total', { customer: 'acme' }), 1);
    assert.ok(total(samples, 'switchyard_customer_cost_usd_total', { customer: 'acme' }) > 0);
    const main = await gateway.admin('/metrics');
    assert.equal(main.status, 404);
    await main.arrayBuffer();
    const other = await fetch(metricsUrl.replace('/metrics', '/v1/models'));
    assert.equal(other.status, 404);
    await other.arrayBuffer();
  });
});

describe('Prometheus metrics are off by default', () => {
  test('/metrics is not an endpoint unless prometheus.enabled is set', async () => {
    const gateway = await startTestGateway({});
    try {
      const response = await gateway.admin('/metrics');
      assert.equal(response.status, 404);
      await response.arrayBuffer();
    } finally {
      await gateway.stop();
    }
  });
});

describe('Prometheus metrics of switchyard start --workers 2', () => {
  test('every worker and the separate address report the requests of all workers, summed', async () => {
    const simulator = await startOpenAiSimulator();
    const folder = mkdtempSync(join(tmpdir(), 'switchyard-metrics-workers-'));
    const port = await freePort();
    writeFileSync(join(folder, 'switchyard.yaml'), ['prometheus:', '  enabled: true', `  listen: 127.0.0.1:${port}`, `  key: ${metricsKey}`, 'providers:', `  sim: { type: openai, baseUrl: "${simulator.url}" }`, 'models:', '  house: { provider: sim, price: { input: 1, output: 2 } }'].join('\n'));
    const gateway = await spawnGateway(['--workers', '2'], { SWITCHYARD_ADMIN_KEY: 'workers-admin' }, folder);
    try {
      const created = await fetch(`${gateway.url}/admin/keys`, { method: 'POST', headers: { authorization: 'Bearer workers-admin' }, body: JSON.stringify({ name: 'app' }) });
      const { key } = (await created.json()) as { key: string };
      // New connections each time, so the primary hands them to both workers.
      const statuses = await Promise.all(Array.from({ length: 40 }, () => fetch(`${gateway.url}/v1/chat/completions`, { method: 'POST', headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json', connection: 'close' }, body: JSON.stringify({ model: 'house', messages: [{ role: 'user', content: 'hi' }] }) }).then(async (response) => (await response.arrayBuffer(), response.status))));
      assert.deepEqual(new Set(statuses), new Set([200]));
      const unauthorised = await fetch(`http://127.0.0.1:${port}/metrics`);
      assert.equal(unauthorised.status, 401);
      await unauthorised.arrayBuffer();
      const scraped = await fetch(`http://127.0.0.1:${port}/metrics`, { headers: { authorization: `Bearer ${metricsKey}` } });
      assert.equal(scraped.status, 200);
      const samples = parsePrometheusText(await scraped.text());
      assert.equal(total(samples, 'switchyard_requests_total', { model: 'house', status: '200' }), 40);
      assert.equal(total(samples, 'switchyard_tokens_total', { model: 'house', type: 'output' }), 40 * 7);
      assert.equal(total(samples, 'gen_ai_client_operation_duration_seconds_count', { gen_ai_request_model: 'house' }), 40);
      const workersServed = simulator.received.length;
      assert.equal(workersServed, 40);
    } finally {
      gateway.process.kill('SIGTERM');
      await gateway.exited;
      await simulator.close();
      rmSync(folder, { recursive: true, force: true });
    }
  });
});
