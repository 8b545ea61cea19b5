import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { RequestRecord } from '../ledger/ledger-record.js';
import { summariseEvaluation, trafficVolume } from '../quality/evaluation-summary.js';
import { baselineCandidate, evaluationCustomer, type EvaluationRecord, type EvaluationResult } from '../quality/evaluation-types.js';
import { evaluatedSpend, graduationCandidate, graduationQuality, hostingLabel } from './evaluation-reports.js';
import { at, fixtureContext, fixtureRecords } from './fixture-ledger.js';
import { resolveGpuAssumptions } from './gpu-assumptions.js';
import { graduationReport } from './graduation-report.js';
import { rollupRecords } from './rollup-records.js';

const day = 86_400_000;
const now = at(6, 0);

const evaluation: EvaluationRecord = {
  id: 'eval_1', createdAt: now, updatedAt: now, status: 'done', total: 1200, message: null,
  spec: { dataset: 'support', version: 3, candidates: ['small', 'llama'], baseline: 'big', evaluators: [], concurrency: 4, target: 'smart' },
};

function result(itemId: string, candidate: string, verdict: EvaluationResult['verdict'], costUsd: number): EvaluationResult {
  return { evaluationId: 'eval_1', itemId, candidate, status: 200, errorCode: null, answer: { text: 'ok', toolCalls: [] }, scores: { judge: verdict === 'loss' ? 0 : 1 }, verdict, costUsd, judgeCostUsd: 0, latencyMs: 100, requestIds: [], finishedAt: now };
}

// 400 items: llama wins 100, ties 264 and loses 36 against big; small loses half. Each llama answer cost $0.0001.
const results: EvaluationResult[] = [];
for (let index = 0; index < 400; index += 1) {
  const id = `item-${index}`;
  results.push(result(id, baselineCandidate, null, 0.001));
  results.push(result(id, 'llama', index < 100 ? 'win' : index < 364 ? 'tie' : 'loss', 0.0001));
  results.push(result(id, 'small', index % 2 === 0 ? 'tie' : 'loss', 0.00002));
}

// Route smart in the fixture ledger: a1 ($0.003), a2 ($0.06) and the cache hit a4 ($0): 3 requests, $0.063.
const evaluationCall = { ...(fixtureRecords[0] as RequestRecord), id: 'ev-call', customer: evaluationCustomer, costUsd: 5 };
const rows = rollupRecords([...fixtureRecords, evaluationCall], { bucket: 'day', from: now - 30 * day, to: now });
const summary = summariseEvaluation(evaluation, results, trafficVolume(rows, 'smart', now));

describe('evaluation figures in the finance reports', () => {
  test('volume is the target route over 30 days without evaluation calls; per month = cost per request x requests', () => {
    assert.deepEqual([summary.traffic.requestsPerMonth, summary.traffic.costPerMonthUsd], [3, 0.063]);
    const llama = summary.candidates.find((row) => row.candidate === 'llama');
    assert.equal(llama?.costPerRequestUsd, 0.0001);
    assert.equal(llama?.costPerMonthUsd, 0.0003);
    assert.equal(llama?.savingPerMonthUsd, 0.0627);
  });

  test('graduation: "answered 91% ±3 as well as" from Wilson(364, 400), with the self-hosting saving', () => {
    // p = 0.91, centre 0.906098, half-width 0.028183: from 0.87791 to 0.93428; the longer side is 0.0321, so ±3.
    const bigRows = rollupRecords(fixtureRecords, { bucket: 'hour', from: now - 30 * day, to: now, provider: 'an', upstreamModel: 'big-v1' });
    const assumptions = resolveGpuAssumptions({ gpuPricePerHour: 0.001, gpus: 1, tokensPerSecond: 2 }, fixtureContext, []);
    const report = graduationReport({ target: { kind: 'model', name: 'big' }, rows: bigRows, window: { from: now - 30 * day, to: now, days: 30 }, assumptions });
    assert.equal(report.monthlySavingUsd, 0.36);
    assert.equal(graduationCandidate(summary, fixtureContext, undefined), 'llama');
    assert.equal(hostingLabel(fixtureContext, 'small'), null);
    const quality = graduationQuality({ report, summary, candidate: 'llama', context: fixtureContext });
    assert.ok(Math.abs(quality.asGoodAsBaseline.low - 0.87791) < 5e-5 && Math.abs(quality.asGoodAsBaseline.high - 0.93428) < 5e-5);
    assert.equal(quality.statement, 'llama on 2xH100 answered 91% ±3 of `support` as well as big and would save $0.36 a month at today\'s volume');
    // Without a self-hosting price, the evaluation's own figures: $0.063 - $0.0003 a month.
    const unpriced = graduationQuality({ report: { ...report, monthlySavingUsd: null }, summary, candidate: 'small', context: fixtureContext });
    assert.equal(unpriced.monthlySavingUsd, 0.06294);
    assert.equal(unpriced.statement, 'small answered 50% ±5 of `support` as well as big and would save $0.06 a month at today\'s volume');
  });

  test('spend: each candidate priced on the same traffic', () => {
    assert.deepEqual(evaluatedSpend(rows, summary), {
      evaluationId: 'eval_1', target: 'smart', requests: 3, costUsd: 0.063,
      candidates: [
        { candidate: 'small', costPerRequestUsd: 0.00002, wouldHaveCostUsd: 0.00006, differenceUsd: 0.06294 },
        { candidate: 'llama', costPerRequestUsd: 0.0001, wouldHaveCostUsd: 0.0003, differenceUsd: 0.0627 },
      ],
    });
  });
});
