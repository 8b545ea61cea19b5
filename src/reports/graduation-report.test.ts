import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { at, fixtureContext, fixtureRecords } from './fixture-ledger.js';
import { resolveGpuAssumptions } from './gpu-assumptions.js';
import { graduationReport } from './graduation-report.js';
import { rollupRecords } from './rollup-records.js';

const day = 86_400_000;
// "Now" is 6 November 00:00 UTC; the window is the 30 days before it.
const to = at(6, 0);
const window = { from: to - 30 * day, to, days: 30 };
const bigRows = rollupRecords(fixtureRecords, { bucket: 'hour', from: window.from, to, provider: 'an', upstreamModel: 'big-v1' });
const gpuRows = rollupRecords(fixtureRecords, { bucket: 'hour', from: window.from, to, provider: 'gpu' });
const target = { kind: 'model' as const, name: 'big' };

describe('graduation report', () => {
  test('defaults from the configured GPU provider: staying on the API is far cheaper at this volume', () => {
    const assumptions = resolveGpuAssumptions({}, fixtureContext, gpuRows);
    // hosting: 2 GPUs at $2.50 each, 1000 tokens/s for both together = 500 per GPU.
    assert.deepEqual(assumptions, {
      provider: 'gpu', gpuPricePerHour: 2.5, priceSource: 'config', tokensPerSecondPerGpu: 500, throughputSource: 'config', minimumGpus: 2, gpusSource: 'config',
    });
    const report = graduationReport({ target, rows: bigRows, window, assumptions });
    // big: a2 (2 Nov 10:30, 3000 tokens, $0.06) and b1 (5 Nov 12:00, 12000 tokens, $0.18).
    // First request's hour 2 Nov 10:00 to 6 Nov 00:00 = 3 days 14 h, so 4 measured days.
    assert.equal(report.window.measuredDays, 4);
    assert.equal(report.traffic.requests, 2);
    assert.equal(report.traffic.tokens, 15_000);
    assert.equal(report.traffic.costUsd, 0.24);
    assert.equal(report.traffic.tokensPerDay, 3750); // 15000 / 4
    assert.equal(report.traffic.tokensPerMonth, 112_500); // 3750 x 30
    assert.ok(Math.abs((report.traffic.apiUsdPerMillionTokens ?? 0) - 16) < 1e-9); // 0.24 / 15000 x 1e6
    assert.equal(report.traffic.peakHour, '2026-11-05T12:00:00.000Z');
    assert.equal(report.traffic.peakHourTokens, 12_000);
    assert.equal(report.traffic.peakTokensPerSecond, 12_000 / 3600);
    assert.equal(report.apiCostPerMonthUsd, 1.8); // 0.24 / 4 x 30
    // ceil(3.33 tokens/s / 500) = 1 GPU, but the model needs 2: 2 x $2.50 x 24 x 30 = $3600.
    assert.equal(report.gpusNeeded, 2);
    assert.equal(report.selfHostCostPerMonthUsd, 3600);
    assert.equal(report.breakEvenTokensPerMonth, 225_000_000); // 3600 / ($0.24 / 15000 tokens)
    assert.equal(report.monthlySavingUsd, -3598.2); // 1.8 - 3600
    assert.deepEqual(report.missing, []);
  });

  test('query figures win: a cheap, slow GPU needs two of them at the busiest hour and would save money', () => {
    const assumptions = resolveGpuAssumptions({ gpuPricePerHour: 0.001, gpus: 1, tokensPerSecond: 2 }, fixtureContext, gpuRows);
    assert.equal(assumptions.priceSource, 'query');
    assert.equal(assumptions.throughputSource, 'query');
    assert.equal(assumptions.gpusSource, 'query');
    const report = graduationReport({ target, rows: bigRows, window, assumptions });
    // max(1, ceil(3.33 / 2)) = 2 GPUs; 2 x 0.001 x 720 h = $1.44 a month; 1.8 - 1.44 = 0.36 saved.
    assert.equal(report.gpusNeeded, 2);
    assert.equal(report.selfHostCostPerMonthUsd, 1.44);
    assert.equal(report.monthlySavingUsd, 0.36);
    assert.equal(report.breakEvenTokensPerMonth, 90_000); // 1.44 / 0.000016
  });

  test('without a configured throughput, the GPU provider\'s own requests are measured', () => {
    const context = { ...fixtureContext, selfHosted: [{ name: 'gpu', hosting: { gpus: 2, pricePerHour: 2.5 } }] };
    const assumptions = resolveGpuAssumptions({}, context, gpuRows);
    // b2: 6000 tokens in 2 s = 3000 tokens/s over 2 GPUs = 1500 per GPU.
    assert.equal(assumptions.tokensPerSecondPerGpu, 1500);
    assert.equal(assumptions.throughputSource, 'measured');
    assert.equal(resolveGpuAssumptions({}, context, []).throughputSource, null);
  });

  test('with nothing to price self-hosting by, the API side is still reported and what is missing is named', () => {
    const assumptions = resolveGpuAssumptions({}, { ...fixtureContext, selfHosted: [] }, []);
    assert.deepEqual(assumptions, {
      provider: null, gpuPricePerHour: null, priceSource: null, tokensPerSecondPerGpu: null, throughputSource: null, minimumGpus: 1, gpusSource: 'default',
    });
    const report = graduationReport({ target, rows: bigRows, window, assumptions });
    assert.equal(report.apiCostPerMonthUsd, 1.8);
    assert.equal(report.selfHostCostPerMonthUsd, null);
    assert.equal(report.monthlySavingUsd, null);
    assert.equal(report.missing.length, 2);
  });

  test('a route\'s traffic, and an empty window', () => {
    const routeRows = rollupRecords(fixtureRecords, { bucket: 'hour', from: window.from, to, route: 'smart' });
    const report = graduationReport({ target: { kind: 'route', name: 'smart' }, rows: routeRows, window, assumptions: resolveGpuAssumptions({}, fixtureContext, []) });
    // a1, a2 and the cache hit a4: 4500 tokens for $0.063, from 2 Nov 10:00, so 4 measured days: 0.063 / 4 x 30.
    assert.equal(report.traffic.requests, 3);
    assert.equal(report.traffic.tokens, 4500);
    assert.equal(report.apiCostPerMonthUsd, 0.4725);
    const empty = graduationReport({ target, rows: [], window, assumptions: resolveGpuAssumptions({}, fixtureContext, []) });
    assert.equal(empty.window.measuredDays, 1);
    assert.equal(empty.traffic.peakHour, null);
    assert.equal(empty.breakEvenTokensPerMonth, null);
    assert.equal(empty.gpusNeeded, 2);
  });
});
