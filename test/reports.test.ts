import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { startOpenAiSimulator, type OpenAiSimulator } from './simulators/openai-simulator.js';
import { startTestGateway, type TestGateway } from './support/test-gateway.js';

interface MarginRow {
  customer: string | null;
  revenueUsd: number;
  costUsd: number;
  marginUsd: number;
  marginPercent: number | null;
  requests: number;
  tokens: number;
}

const closeTo = (actual: number | null | undefined, expected: number, tolerance: number, label: string) =>
  assert.ok(actual !== null && actual !== undefined && Math.abs(actual - expected) <= tolerance, `${label}: ${actual} is not ${expected}`);
const close = (actual: number | null | undefined, expected: number, label: string) => closeTo(actual, expected, 1e-9, label);

// Every simulated answer reports 12 prompt tokens (2 of them cached) and 7 completion tokens: 10 + 2 + 7 = 19 tokens.
// cheap ($1 in, $2 out; cached input at the input price): (10 x 1 + 2 x 1 + 7 x 2) / 1e6 = $0.000026
// premium ($10 in, $20 out): (10 x 10 + 2 x 10 + 7 x 20) / 1e6 = $0.00026
// llama on a rented GPU ($2 an hour, 100 tokens/s): 19 / 100 s x $2 / 3600 s
const cheap = 26e-6;
const premium = 260e-6;
const llama = ((19 / 100) * 2) / 3600;

describe('finance reports: revenue, margin, spend and graduation', () => {
  let simulator: OpenAiSimulator;
  let gateway: TestGateway;
  const month = new Date().toISOString().slice(0, 7);

  const chat = async (model: string, customer: string, content: string) => {
    const response = await fetch(`${gateway.url}/v1/chat/completions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${gateway.clientKey}`, 'content-type': 'application/json', 'x-switchyard-customer': customer },
      body: JSON.stringify({ model, temperature: 0, messages: [{ role: 'user', content }] }),
    });
    assert.equal(response.status, 200);
    await response.arrayBuffer();
    return response.headers.get('x-switchyard-cache');
  };
  const getJson = async <T>(path: string): Promise<T> => {
    const response = await gateway.admin(path);
    assert.equal(response.status, 200, `${path}: ${response.status}`);
    return (await response.json()) as T;
  };

  before(async () => {
    simulator = await startOpenAiSimulator();
    gateway = await startTestGateway({
      providers: {
        sim: { type: 'openai', baseUrl: simulator.url },
        gpu: { type: 'vllm', baseUrl: simulator.url, hosting: { cloud: 'coreweave', gpus: 1, pricePerHour: 2, tokensPerSecond: 100 } },
      },
      models: {
        cheap: { provider: 'sim', model: 'cheap-v1', price: { input: 1, output: 2 } },
        premium: { provider: 'sim', model: 'premium-v1', price: { input: 10, output: 20 } },
        llama: { provider: 'gpu', model: 'llama-3' },
      },
      routes: {
        smart: { strategy: 'cheapest', targets: ['premium', 'cheap'], cache: { mode: 'exact' } },
        tried: { strategy: 'fallback', targets: ['cheap'], shadow: { target: 'premium', sampleRate: 1 } },
      },
    });
    // alpha: one answer through smart (served by cheap), the same question twice more from the cache, one premium call.
    assert.equal(await chat('smart', 'alpha', 'What is 2+2?'), 'miss');
    assert.equal(await chat('smart', 'alpha', 'What is 2+2?'), 'hit');
    assert.equal(await chat('smart', 'alpha', 'What is 2+2?'), 'hit');
    await chat('premium', 'alpha', 'Write a poem.');
    // beta: two cheap calls, one on the GPU, one through a route that also shadows premium.
    await chat('cheap', 'beta', 'one');
    await chat('cheap', 'beta', 'two');
    await chat('llama', 'beta', 'three');
    await chat('tried', 'beta', 'four');
    const revenue = await gateway.admin('/admin/revenue', {
      method: 'POST',
      body: JSON.stringify({ rows: [{ customer: 'alpha', period: month, usd: 1.5 }, { customer: 'beta', period: month, usd: 0.0001 }, { customer: 'gamma', period: month, usd: 20 }] }),
    });
    assert.equal(revenue.status, 200);
    assert.deepEqual(await revenue.json(), { imported: 3 });
  });

  after(async () => {
    await gateway.stop();
    await simulator.close();
  });

  test('a revenue import with a bad row names the row and field, and imports nothing', async () => {
    const response = await gateway.admin('/admin/revenue', {
      method: 'POST',
      body: JSON.stringify([{ customer: 'gamma', period: month, usd: 999 }, { customer: 'delta', period: '2026/11', usd: 1 }]),
    });
    assert.equal(response.status, 400);
    const body = (await response.json()) as { error: { message: string; param: string } };
    assert.equal(body.error.param, 'rows[1].period');
    assert.match(body.error.message, /Nothing imported/);
    const stored = await getJson<{ data: Array<{ customer: string; usd: number }> }>(`/admin/revenue?period=${month}`);
    assert.deepEqual(stored.data.map((row) => [row.customer, row.usd]), [['alpha', 1.5], ['beta', 0.0001], ['gamma', 20]]);
  });

  test('margin per customer: revenue minus AI cost, customers with only revenue included, shadow spend apart', async () => {
    // The shadow attempt is written once it ends, after the client was answered: wait for it.
    let report = await getJson<{ rows: MarginRow[]; total: MarginRow; shadowCostUsd: number }>('/admin/reports/margin');
    for (let tries = 0; report.shadowCostUsd === 0 && tries < 50; tries += 1) {
      await new Promise((resolve) => setTimeout(resolve, 50));
      report = await getJson('/admin/reports/margin');
    }
    close(report.shadowCostUsd, premium, 'shadow spend');
    const [gamma, alpha, beta] = report.rows;
    assert.deepEqual(report.rows.map((row) => row.customer), ['gamma', 'alpha', 'beta']);
    assert.deepEqual(gamma, { customer: 'gamma', revenueUsd: 20, costUsd: 0, marginUsd: 20, marginPercent: 100, requests: 0, tokens: 0 });
    // alpha: cheap once (the cache hits cost nothing) plus premium once; 19 + 0 + 0 + 19 tokens.
    close(alpha?.costUsd, cheap + premium, 'alpha cost');
    close(alpha?.marginUsd, 1.5 - (cheap + premium), 'alpha margin');
    // Percentages are rounded to a millionth of a percent.
    closeTo(alpha?.marginPercent, ((1.5 - (cheap + premium)) / 1.5) * 100, 1e-6, 'alpha margin %');
    assert.equal(alpha?.requests, 4);
    assert.equal(alpha?.tokens, 38);
    // beta: three cheap answers and one on the GPU, against $0.0001 of revenue: a loss.
    const betaCost = 3 * cheap + llama;
    close(beta?.costUsd, betaCost, 'beta cost');
    close(beta?.marginUsd, 0.0001 - betaCost, 'beta margin');
    // Sums are kept to a billionth of a dollar, which matters against beta's tiny revenue: take the reported cost.
    closeTo(beta?.marginPercent, ((0.0001 - (beta?.costUsd ?? 0)) / 0.0001) * 100, 1e-6, 'beta margin %');
    assert.equal(beta?.tokens, 76);
    close(report.total.revenueUsd, 21.5001, 'total revenue');
    close(report.total.costUsd, 4 * cheap + premium + llama, 'total cost');
    assert.equal(report.total.requests, 8);
    const explicit = await getJson<{ from: string; to: string }>(`/admin/reports/margin?period=${month}`);
    assert.equal(explicit.from, month);
    assert.equal((await gateway.admin('/admin/reports/margin?period=November')).status, 400);
  });

  test('spend by provider and cloud, with what the cache and routing saved', async () => {
    const spend = await getJson<{
      rows: Array<{ group: string | null; costUsd: number; requests: number; tokens: number; cacheHits: number }>;
      savings: { cacheUsd: number; routingUsd: number; routes: Array<{ route: string; baselineModel: string; requests: number; savedUsd: number }> };
      shadowCostUsd: number;
    }>('/admin/reports/spend?groupBy=provider');
    const sim = spend.rows.find((row) => row.group === 'sim');
    // sim served smart's miss, premium, cheap twice and tried: 4 x cheap + premium, 5 x 19 tokens; the two cache hits
    // replayed a sim answer, so they count with sim, at no cost.
    close(sim?.costUsd, 4 * cheap + premium, 'sim cost');
    assert.equal(sim?.requests, 7);
    assert.equal(sim?.tokens, 95);
    assert.equal(sim?.cacheHits, 2);
    close(spend.rows.find((row) => row.group === 'gpu')?.costUsd, llama, 'gpu cost');
    // Two cache hits, each saving the cheap answer they replayed.
    close(spend.savings.cacheUsd, 2 * cheap, 'cache saving');
    // smart lists premium first: its one upstream answer would have cost premium instead of cheap. tried lists cheap first: no saving.
    const smart = spend.savings.routes.find((route) => route.route === 'smart');
    assert.equal(smart?.baselineModel, 'premium');
    assert.equal(smart?.requests, 1);
    close(smart?.savedUsd, premium - cheap, 'smart routing saving');
    close(spend.savings.routes.find((route) => route.route === 'tried')?.savedUsd, 0, 'tried routing saving');
    close(spend.savings.routingUsd, premium - cheap, 'routing saving');
    close(spend.shadowCostUsd, premium, 'shadow spend');
    const byCloud = await getJson<{ rows: Array<{ group: string | null }> }>('/admin/reports/spend?groupBy=cloud');
    assert.deepEqual(byCloud.rows.map((row) => row.group), ['openai', 'coreweave']);
    assert.equal((await gateway.admin('/admin/reports/spend?groupBy=planet')).status, 400);
  });

  test('graduation: API cost per month against renting GPUs, from query figures or the configured GPU provider', async () => {
    interface Graduation {
      window: { measuredDays: number };
      traffic: { requests: number; tokens: number; costUsd: number };
      apiCostPerMonthUsd: number;
      assumptions: { priceSource: string; throughputSource: string; gpuPricePerHour: number; provider: string | null };
      gpusNeeded: number;
      selfHostCostPerMonthUsd: number;
      breakEvenTokensPerMonth: number;
      monthlySavingUsd: number;
    }
    const report = await getJson<Graduation>('/admin/reports/graduation?model=cheap&days=1&gpuPricePerHour=0.5&tokensPerSecond=1000&gpus=1');
    // cheap answered four requests (smart's miss, two direct, tried) and two more from the cache:
    // 76 tokens for 4 x $0.000026 in one measured day.
    assert.equal(report.window.measuredDays, 1);
    assert.equal(report.traffic.requests, 6);
    assert.equal(report.traffic.tokens, 76);
    close(report.traffic.costUsd, 4 * cheap, 'cheap cost');
    close(report.apiCostPerMonthUsd, 4 * cheap * 30, 'API per month');
    // At most 76 tokens in an hour is far below 1000 tokens/s: one GPU, 1 x $0.50 x 24 x 30 = $360 a month.
    assert.equal(report.gpusNeeded, 1);
    close(report.selfHostCostPerMonthUsd, 360, 'self-host per month');
    close(report.monthlySavingUsd, 4 * cheap * 30 - 360, 'saving');
    assert.equal(report.breakEvenTokensPerMonth, Math.round(360 / ((4 * cheap) / 76)));
    assert.equal(report.assumptions.priceSource, 'query');
    const defaults = await getJson<Graduation>('/admin/reports/graduation?model=premium');
    assert.equal(defaults.assumptions.provider, 'gpu');
    assert.equal(defaults.assumptions.priceSource, 'config');
    assert.equal(defaults.assumptions.throughputSource, 'config');
    close(defaults.selfHostCostPerMonthUsd, 2 * 24 * 30, 'configured GPU per month');
    close(defaults.apiCostPerMonthUsd, premium * 30, 'premium per month');
    const route = await getJson<Graduation>('/admin/reports/graduation?route=smart');
    assert.equal(route.traffic.requests, 3);
    assert.equal(route.traffic.tokens, 19);
    assert.equal((await gateway.admin('/admin/reports/graduation')).status, 400);
    assert.equal((await gateway.admin('/admin/reports/graduation?model=nothing')).status, 404);
  });

  test('customers: budgets and rate limits stored, merged on update, validated', async () => {
    const put = (id: string, body: unknown) => gateway.admin(`/admin/customers/${id}`, { method: 'PUT', body: JSON.stringify(body) });
    const created = await put('alpha', { name: 'Alpha Ltd', budget: { usd: 50, period: 'monthly', alertAt: [0.8] }, rateLimit: { rpm: 100 } });
    assert.equal(created.status, 201);
    const updated = await put('alpha', { rateLimit: { rpm: 10, tpm: 5000 }, tags: { tier: 'gold' } });
    assert.equal(updated.status, 200);
    const alpha = await getJson<Record<string, unknown>>('/admin/customers/alpha');
    assert.deepEqual(
      { name: alpha.name, tags: alpha.tags, budget: alpha.budget, rateLimit: alpha.rateLimit },
      { name: 'Alpha Ltd', tags: { tier: 'gold' }, budget: { usd: 50, period: 'monthly', hard: true, alertAt: [0.8] }, rateLimit: { rpm: 10, tpm: 5000 } },
    );
    const bad = await put('beta', { budget: { usd: 10, period: 'weekly' } });
    assert.equal(bad.status, 400);
    assert.equal(((await bad.json()) as { error: { param: string } }).error.param, 'budget.period');
    assert.equal((await gateway.admin('/admin/customers/beta')).status, 404);
    const list = await getJson<{ data: Array<{ id: string }> }>('/admin/customers');
    assert.deepEqual(list.data.map((customer) => customer.id), ['alpha']);
  });
});
