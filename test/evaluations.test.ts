import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { parseConfig } from '../src/config/load-config.js';
import { silentLogger } from '../src/core/logger.js';
import { EvaluationService } from '../src/quality/evaluation-service.js';
import type { EvaluationSummary } from '../src/quality/evaluation-summary.js';
import { evaluationCustomer } from '../src/quality/evaluation-types.js';
import { startGateway } from '../src/server/start-server.js';
import { evaluationServiceOf } from '../src/server/admin/evaluation-routes.js';
import { parseArgs } from '../src/cli/parse-args.js';
import { runEvalCommand } from '../src/cli/eval-command.js';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startJudgeSimulator, type JudgeSimulator } from './simulators/judge-simulator.js';
import { arithmeticItem, MemoryDatasets } from './support/memory-datasets.js';
import { evaluationConfig } from './support/evaluation-config.js';
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

  test('no more calls are at work at once than the concurrency allows', async () => {
    simulator.delayMs = 20;
    simulator.maxInFlight = 0;
    try {
      const created = (await (await post('/admin/evaluations', { dataset: 'support', candidates: ['oracle', 'sloppy'], evaluators: ['exact-match'], concurrency: 2 })).json()) as { id: string };
      assert.equal((await until(created.id, (current) => current.status !== 'running')).status, 'done');
      assert.equal(simulator.maxInFlight, 2);
    } finally {
      simulator.delayMs = 0;
    }
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

  test('the graduation report says how well the self-hosted candidate answered, and the spend report prices each candidate', async () => {
    const created = (await (await post('/admin/evaluations', { dataset: 'support', candidates: ['llama', 'sloppy'], baseline: 'premium', judge: 'judge', evaluators: ['judge-pairwise'] })).json()) as { id: string };
    const summary = await until(created.id, (current) => current.status !== 'running');
    assert.equal(summary.status, 'done');
    const graduation = (await (await gateway.admin(`/admin/reports/graduation?route=support&gpuPricePerHour=0.00001&evaluation=${created.id}`)).json()) as {
      apiCostPerMonthUsd: number; selfHostCostPerMonthUsd: number; monthlySavingUsd: number; traffic: { requests: number }; quality: { candidate: string; statement: string; asGoodAsBaseline: { rate: number; items: number } };
    };
    // The route's own traffic only (the evaluation's calls are left out): 5 requests at $0.00026, all this hour,
    // so 1 measured day: 0.0013 x 30 = $0.039 a month; 2 GPUs (the model's floor) x $0.00001 x 720 h = $0.0144.
    assert.equal(graduation.traffic.requests, 5);
    exact(graduation.apiCostPerMonthUsd, 0.039, 'api per month');
    exact(graduation.selfHostCostPerMonthUsd, 0.0144, 'self-host per month');
    exact(graduation.monthlySavingUsd, 0.0246, 'saving');
    // llama answers every item as premium does: 6 ties of 6, Wilson 100% with low end 60.97%: ±39.
    assert.equal(graduation.quality.candidate, 'llama');
    assert.deepEqual([graduation.quality.asGoodAsBaseline.rate, graduation.quality.asGoodAsBaseline.items], [1, 6]);
    assert.equal(graduation.quality.statement, 'llama on 2xH100 answered 100% ±39 of `support` as well as premium and would save $0.02 a month at today\'s volume');
    const sloppy = (await (await gateway.admin(`/admin/reports/graduation?route=support&gpuPricePerHour=0.00001&evaluation=${created.id}&candidate=sloppy`)).json()) as { quality: { statement: string } };
    // sloppy: 4 ties and 2 losses; Wilson(4, 6) = 0.6667 from 0.3000 to 0.9032: ±37.
    assert.match(sloppy.quality.statement, /^sloppy answered 67% ±37 of `support` as well as premium and would save \$0\.02 a month/);
    const badCandidate = await gateway.admin(`/admin/reports/graduation?route=support&evaluation=${created.id}&candidate=oracle`);
    assert.equal(badCandidate.status, 400);
    assert.equal(((await badCandidate.json()) as { error: { param: string } }).error.param, 'candidate');
    assert.equal((await gateway.admin('/admin/reports/graduation?route=support&evaluation=eval_nope')).status, 404);

    const spend = (await (await gateway.admin(`/admin/reports/spend?evaluation=${created.id}`)).json()) as { evaluation: { target: string; requests: number; costUsd: number; candidates: Array<{ candidate: string; costPerRequestUsd: number; wouldHaveCostUsd: number; differenceUsd: number }> } };
    assert.equal(spend.evaluation.target, 'support');
    assert.equal(spend.evaluation.requests, 5);
    exact(spend.evaluation.costUsd, 5 * premiumCall, 'spend traffic');
    const sloppyRow = spend.evaluation.candidates.find((row) => row.candidate === 'sloppy');
    exact(sloppyRow?.costPerRequestUsd, sloppyCall, 'sloppy per request');
    exact(sloppyRow?.wouldHaveCostUsd, 5 * sloppyCall, 'sloppy would have cost');
    exact(sloppyRow?.differenceUsd, 5 * premiumCall - 5 * sloppyCall, 'sloppy difference');
  });

  test('the CLI runs an evaluation in process, prints progress, a CSV and router training data', async () => {
    const out: string[] = [];
    const err: string[] = [];
    const args = parseArgs(['--dataset', 'support', '--candidates', 'oracle,sloppy', '--baseline', 'recorded', '--evaluators', 'exact-match', '--concurrency', '2', '--format', 'csv', '--router-data', '-']);
    const summary = await runEvalCommand(args, { gateway: gateway.running.gateway, datasets, stdout: (text) => out.push(text), stderr: (text) => err.push(text) });
    assert.equal(summary.status, 'done');
    const text = out.join('');
    assert.match(text, /^candidate,answered,errors,score,/);
    assert.match(text, /\noracle,6,0,1,0\.6097,1,wilson,0,6,0,1,/);
    assert.match(text, /\{"prompt":"user: Q6: What is 6 \+ 6\? \(answer: 12\)","scores":\{"oracle":1,"sloppy":0\}\}\n$/);
    assert.match(err.join(''), /progress: 18\/18 pairs/);
    await assert.rejects(runEvalCommand(parseArgs(['--dataset', 'support', '--candidates', 'nobody']), { gateway: gateway.running.gateway, datasets, stdout: () => undefined, stderr: () => undefined }), /candidates\[0\]/);
    const table: string[] = [];
    await runEvalCommand(parseArgs(['--dataset', 'support', '--candidates', 'oracle', '--evaluators', 'exact-match']), { gateway: gateway.running.gateway, datasets, stdout: (line) => table.push(line), stderr: () => undefined });
    assert.match(table.join(''), /oracle\s+100\.0% ±39\.0\s+100\.0% ±39\.0\s+0\/6\/0/);
  });
});

describe('a run killed mid-way resumes after a restart without paying twice', () => {
  test('finished pairs are skipped; every pair is paid exactly once', async () => {
    const simulator = await startJudgeSimulator();
    const config = parseConfig(evaluationConfig(simulator.url), {});
    const dataDir = mkdtempSync(join(tmpdir(), 'switchyard-eval-'));
    const datasets = new MemoryDatasets();
    datasets.add('support', [1, 2, 3, 4, 5, 6].map((n) => arithmeticItem(n, 'support')));
    try {
      const first = await startGateway({ config, logger: silentLogger, dataDir, host: '127.0.0.1', port: 0, adminKey });
      let id = '';
      const service: EvaluationService = new EvaluationService(first.gateway, datasets, (_id, progress) => {
        if (progress.done === 7) void service.stop(_id);
      });
      // A live baseline and a pointwise judge: 6 items x (baseline + 2 candidates) x (answer + judge) = 36 calls.
      id = (await service.create({ dataset: 'support', candidates: ['oracle', 'sloppy'], baseline: 'premium', judge: 'judge', evaluators: ['exact-match', 'judge-pointwise'], concurrency: 1 })).id;
      await service.wait(id);
      const killed = await service.summary(id);
      assert.equal(killed.status, 'running');
      assert.deepEqual(killed.progress, { done: 7, total: 18 });
      const paidBefore = simulator.received.length;
      assert.equal(paidBefore, 14);
      await first.shutdown(1_000);

      const second = await startGateway({ config, logger: silentLogger, dataDir, host: '127.0.0.1', port: 0, adminKey });
      second.gateway.datasets = datasets;
      try {
        const resumed = await fetch(`${second.url}/admin/evaluations/${id}/resume`, { method: 'POST', headers: { authorization: `Bearer ${adminKey}` } });
        assert.equal(resumed.status, 202);
        const finished = await evaluationServiceOf(second.gateway).wait(id);
        assert.equal(finished.status, 'done');
        assert.equal(simulator.received.length, 36);
        // Each answer was bought once: premium and oracle both call upstream `oracle` (twice per question), sloppy
        // once per question, and the judge once per answer.
        const asked = new Map<string, number>();
        for (const request of simulator.received) {
          const key = request.body.model === 'judge' ? 'judge' : `${String(request.body.model)}|${JSON.stringify(request.body.messages)}`;
          asked.set(key, (asked.get(key) ?? 0) + 1);
        }
        assert.equal(asked.get('judge'), 18);
        assert.deepEqual([...asked].filter(([key]) => key.startsWith('oracle|')).map(([, count]) => count), [2, 2, 2, 2, 2, 2]);
        assert.deepEqual([...asked].filter(([key]) => key.startsWith('sloppy|')).map(([, count]) => count), [1, 1, 1, 1, 1, 1]);
        const summary = (await (await fetch(`${second.url}/admin/evaluations/${id}`, { headers: { authorization: `Bearer ${adminKey}` } })).json()) as EvaluationSummary;
        assert.deepEqual(summary.progress, { done: 18, total: 18 });
        // Pointwise: 9 maps to 8/9 and 2 to 1/9; oracle's items score (1 + 8/9) / 2 each.
        near(summary.candidates[0]?.score.mean, (1 + 8 / 9) / 2, 'oracle score');
        assert.deepEqual(summary.candidates[1]?.verdicts, { win: 0, tie: 4, loss: 2, judged: 6 });
      } finally {
        await second.shutdown(1_000);
      }
    } finally {
      await simulator.close();
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
