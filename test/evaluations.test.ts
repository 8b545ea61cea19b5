import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { parseConfig } from '../src/config/load-config.js';
import { silentLogger } from '../src/core/logger.js';
import { EvaluationService } from '../src/quality/evaluation-service.js';
import type { EvaluationSummary } from '../src/quality/evaluation-summary.js';
import { evaluationCustomer } from '../src/quality/evaluation-types.js';
import { startGateway } from '../src/server/start-server.js';
import { startJudgeSimulator, type JudgeSimulator } from './simulators/judge-simulator.js';
import { arithmeticItem, MemoryDatasets } from './support/memory-datasets.js';
import { adminKey, startTestGateway, type TestGateway } from './support/test-gateway.js';

const near = (actual: number | null | undefined, expected: number, label: string) =>
  assert.ok(actual !== null && actual !== undefined && Math.abs(actual - expected) < 5e-4, `${label}: ${actual} is not ${expected}`);
const exact = (actual: number | null | undefined, expected: number, label: string) =>
  assert.ok(actual !== null && actual !== undefined && Math.abs(actual - expected) < 1e-12, `${label}: ${actual} is not ${expected}`);

// Each simulated call reports 12 prompt tokens (2 cached, billed at the input price) and 7 completion tokens.
const oracleCall = (12 * 1 + 7 * 2) / 1e6;
const sloppyCall = (12 * 0.5 + 7 * 1) / 1e6;
const judgeCall = (12 * 3 + 7 * 6) / 1e6;
const premiumCall = (12 * 10 + 7 * 20) / 1e6;

export const evaluationConfig = (url: string) => ({
  providers: { sim: { type: 'openai', baseUrl: url } },
  models: {
    oracle: { provider: 'sim', model: 'oracle', price: { input: 1, output: 2 } },
    sloppy: { provider: 'sim', model: 'sloppy', price: { input: 0.5, output: 1 } },
    judge: { provider: 'sim', model: 'judge', price: { input: 3, output: 6 } },
    premium: { provider: 'sim', model: 'oracle', price: { input: 10, output: 20 } },
  },
  routes: { support: { strategy: 'fallback', targets: ['premium'] } },
});

describe('evaluations replay a dataset against candidates through the gateway', () => {
  let simulator: JudgeSimulator;
  let gateway: TestGateway;
  const datasets = new MemoryDatasets();

  const post = (path: string, body: unknown) => gateway.admin(path, { method: 'POST', body: JSON.stringify(body) });
  const until = async (id: string, done: (summary: EvaluationSummary) => boolean): Promise<EvaluationSummary> => {
    for (let tries = 0; tries < 400; tries += 1) {
      const summary = (await (await gateway.admin(`/admin/evaluations/${id}`)).json()) as EvaluationSummary;
      if (done(summary)) return summary;
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
    throw new Error(`evaluation ${id} did not finish`);
  };

  before(async () => {
    simulator = await startJudgeSimulator();
    gateway = await startTestGateway(evaluationConfig(simulator.url));
    gateway.running.gateway.datasets = datasets;
    datasets.add('support', [1, 2, 3, 4, 5, 6].map((n) => arithmeticItem(n, 'support')));
    datasets.add('empty', []);
    // Today's traffic: five requests through the support route, for the acme customer.
    for (let index = 0; index < 5; index += 1) {
      const response = await fetch(`${gateway.url}/v1/chat/completions`, {
        method: 'POST',
        headers: { authorization: `Bearer ${gateway.clientKey}`, 'content-type': 'application/json', 'x-switchyard-customer': 'acme' },
        body: JSON.stringify({ model: 'support', messages: [{ role: 'user', content: `hello ${index}` }] }),
      });
      assert.equal(response.status, 200);
      await response.arrayBuffer();
    }
  });

  after(async () => {
    await gateway.stop();
    await simulator.close();
  });

  test('a pairwise-judged run against the recorded answers: scores, intervals, verdicts, cost per month, latency', async () => {
    const created = await post('/admin/evaluations', { dataset: 'support', candidates: ['oracle', 'sloppy'], baseline: 'recorded', judge: 'judge', evaluators: ['exact-match', 'judge-pairwise'], concurrency: 3 });
    assert.equal(created.status, 202);
    const { id, progress } = (await created.json()) as { id: string; progress: { total: number } };
    assert.equal(progress.total, 18);
    const summary = await until(id, (current) => current.status !== 'running');
    assert.equal(summary.status, 'done');
    assert.deepEqual(summary.progress, { done: 18, total: 18 });
    assert.deepEqual(summary.traffic.requestsPerMonth, 5);
    exact(summary.traffic.costPerMonthUsd, 5 * premiumCall, 'traffic cost per month');
    const [oracle, sloppy] = summary.candidates;
    assert.ok(oracle && sloppy);
    // Both answers right: the position-biased judge says "A" in both orders, which is inconsistent, so a tie.
    assert.deepEqual(oracle.verdicts, { win: 0, tie: 6, loss: 0, judged: 6 });
    assert.equal(oracle.evaluators['exact-match']?.mean, 1);
    assert.equal(oracle.evaluators['judge-pairwise']?.mean, 0.5);
    near(oracle.score.mean, 0.75, 'oracle score');
    // Wilson for 6 of 6: centre (1 + 0.32012) / 1.64025 = 0.80483, half 1.19492 · √(3.8415 / 144) = 0.19517.
    near(oracle.asGoodAsBaseline.low, 0.6097, 'oracle as good, low');
    // sloppy misses Q3 and Q6; the judge prefers the baseline in both orders there: two losses.
    assert.deepEqual(sloppy.verdicts, { win: 0, tie: 4, loss: 2, judged: 6 });
    near(sloppy.evaluators['exact-match']?.mean, 4 / 6, 'sloppy exact');
    // Item scores 0.75 ×4 and 0 ×2: mean 0.5, s² = 0.15, half-width t(5) 2.571 · √(0.15 / 6) = 0.40651.
    near(sloppy.score.low, 0.0935, 'sloppy score low');
    near(sloppy.score.high, 0.9065, 'sloppy score high');
    assert.equal(sloppy.score.method, 't');
    exact(oracle.costPerRequestUsd, oracleCall, 'oracle per request');
    exact(oracle.costPerMonthUsd, 5 * oracleCall, 'oracle per month');
    exact(oracle.savingPerMonthUsd, 5 * premiumCall - 5 * oracleCall, 'oracle saving');
    exact(sloppy.costPerMonthUsd, 5 * sloppyCall, 'sloppy per month');
    exact(oracle.judgeCostUsd, 12 * judgeCall, 'oracle judge cost');
    assert.ok(oracle.latencyMs.p50 !== null && oracle.latencyMs.p95 !== null && oracle.latencyMs.p95 >= oracle.latencyMs.p50);
    exact(summary.spentUsd, 6 * oracleCall + 6 * sloppyCall + 24 * judgeCall, 'spent');

    const csv = await gateway.admin(`/admin/evaluations/${id}/results.csv`);
    assert.equal(csv.status, 200);
    const lines = (await csv.text()).trim().split('\n');
    assert.equal(lines.length, 4);
    assert.match(lines[0] as string, /^candidate,answered,errors,score,score_low,score_high,score_method,win,tie,loss,as_good_as_baseline/);
    assert.match(lines[2] as string, /^sloppy,6,0,0.5,0.0935,0.9065,t,0,4,2,0.6667,/);
    assert.match(lines[3] as string, /^baseline:recorded,6,0,/);

    const routerData = await gateway.admin(`/admin/evaluations/${id}/router-data`);
    const rows = (await routerData.text()).trim().split('\n').map((line) => JSON.parse(line) as { prompt: string; scores: Record<string, number> });
    assert.equal(rows.length, 6);
    assert.deepEqual(rows[2], { prompt: 'user: Q3: What is 3 + 3? (answer: 6)', scores: { oracle: 0.75, sloppy: 0 } });
    assert.deepEqual(rows[0]?.scores, { oracle: 0.75, sloppy: 0.75 });
  });

  test('every evaluation call is in the ledger as the evaluation customer, and the margin report leaves it out', async () => {
    await gateway.running.gateway.ledger.flush();
    const usage = (await (await gateway.admin('/admin/usage?groupBy=customer')).json()) as { rows: Array<{ group: string | null; requests: number }> };
    const evaluation = usage.rows.find((row) => row.group === evaluationCustomer);
    assert.ok(evaluation && evaluation.requests >= 36, JSON.stringify(usage.rows));
    const margin = (await (await gateway.admin('/admin/reports/margin')).json()) as { rows: Array<{ customer: string | null; costUsd: number }>; total: { costUsd: number }; evaluationCostUsd: number };
    assert.deepEqual(margin.rows.map((row) => row.customer), ['acme']);
    exact(margin.total.costUsd, 5 * premiumCall, 'margin total');
    assert.ok(margin.evaluationCostUsd >= 6 * oracleCall + 6 * sloppyCall + 24 * judgeCall - 1e-12);
  });

  test('bad input is refused with 400 naming the field', async () => {
    const cases: Array<[unknown, string]> = [
      [{ dataset: 'support', candidates: ['oracle', 'gpt-nope'] }, 'candidates[1]'],
      [{ dataset: 'support', candidates: [] }, 'candidates'],
      [{ dataset: 'empty', candidates: ['oracle'] }, 'dataset'],
      [{ dataset: 'nothing-here', candidates: ['oracle'] }, 'dataset'],
      [{ dataset: 'support', version: 9, candidates: ['oracle'] }, 'version'],
      [{ dataset: 'support', candidates: ['oracle'], evaluators: ['vibes'] }, 'evaluators[0]'],
      [{ dataset: 'support', candidates: ['oracle'], evaluators: [{ type: 'sentiment' }] }, 'evaluators[0].type'],
      [{ dataset: 'support', candidates: ['oracle'], evaluators: [{ type: 'regex', pattern: '(' }] }, 'evaluators[0].pattern'],
      [{ dataset: 'support', candidates: ['oracle'], evaluators: ['judge-pointwise'] }, 'judge'],
      [{ dataset: 'support', candidates: ['oracle'], judge: 'nobody' }, 'judge'],
      [{ dataset: 'support', candidates: ['oracle'], baseline: 'nobody' }, 'baseline'],
      [{ dataset: 'support', candidates: ['oracle'], concurrency: 0 }, 'concurrency'],
    ];
    for (const [body, param] of cases) {
      const response = await post('/admin/evaluations', body);
      const error = ((await response.json()) as { error: { param: string; type: string } }).error;
      assert.equal(response.status, 400, JSON.stringify(body));
      assert.equal(error.param, param, JSON.stringify(body));
    }
    assert.equal((await gateway.admin('/admin/evaluations/eval_missing')).status, 404);
  });

  test('a spend cap stops starting calls before the next could pass it, and says so', async () => {
    // The first call reserves its upper bound (prompt estimate at $1 plus 7 output tokens at $2 per million), later
    // ones the most a call to the same model cost so far: $0.000026. Three calls fit under 3.5 calls' worth.
    datasets.add('capped', [1, 2, 3, 4, 5, 6].map((n) => ({ ...arithmeticItem(n, 'support'), request: { ...arithmeticItem(n, 'support').request, maxTokens: 7 } })));
    const before = simulator.received.length;
    const created = (await (await post('/admin/evaluations', { dataset: 'capped', candidates: ['oracle'], evaluators: ['exact-match'], concurrency: 1, maxSpendUsd: 3.5 * oracleCall })).json()) as { id: string };
    const stopped = await until(created.id, (current) => current.status !== 'running');
    assert.equal(stopped.status, 'stopped');
    assert.match(stopped.message ?? '', /^spend cap of \$0\.000091 reached: spent \$0\.000078, 7 of 12 pairs done$/);
    exact(stopped.spentUsd, 3 * oracleCall, 'spent');
    assert.equal(simulator.received.length - before, 3);
    assert.deepEqual(stopped.progress, { done: 7, total: 12 });
  });
});
