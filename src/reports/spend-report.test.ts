import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { RequestRecord } from '../ledger/ledger-record.js';
import { at, fixtureContext, fixtureRecords, november } from './fixture-ledger.js';
import { monthEnd } from './periods.js';
import { rollupRecords } from './rollup-records.js';
import { spendReport, type SpendGroup } from './spend-report.js';

const to = monthEnd('2026-11');
const rows = rollupRecords(fixtureRecords, { bucket: 'day', from: november, to });
const report = (groupBy: SpendGroup, context = fixtureContext) => spendReport(rows, { from: november, to, groupBy, context });
const summary = (groupBy: SpendGroup) => report(groupBy).rows.map((row) => [row.group, row.costUsd, row.requests, row.tokens]);

describe('spend report', () => {
  test('by provider: cost, requests and tokens, highest cost first; shadow spend stays with its request but apart', () => {
    const spend = report('provider');
    // an: a2 + b1 = 0.06 + 0.18 = 0.24, tokens 3000 + 12000; oa: a1 + a3 + n1 = 0.003 + 0.008 + 0 = 0.011, tokens 1500 + 5000;
    // gpu: b2 = 0.01, 6000 tokens; the cache hit a4 counts with the provider of the answer it replayed, at no cost.
    assert.deepEqual(spend.rows.map((row) => [row.group, row.costUsd, row.requests, row.tokens, row.cacheHits, row.shadowCostUsd]), [
      ['an', 0.24, 2, 15_000, 0, 0],
      ['oa', 0.011, 4, 6500, 1, 0.02],
      ['gpu', 0.01, 1, 6000, 0, 0],
    ]);
    assert.deepEqual(spend.total, { requests: 7, tokens: 27_500, costUsd: 0.261, shadowCostUsd: 0.02 });
    assert.deepEqual(spend.rows[0]?.series, [
      { day: '2026-11-02', requests: 1, tokens: 3000, costUsd: 0.06 },
      { day: '2026-11-05', requests: 1, tokens: 12_000, costUsd: 0.18 },
    ]);
    assert.equal(spend.from, '2026-11-01T00:00:00.000Z');
  });

  test('by cloud: hosting.cloud for the GPU provider, the vendor for APIs', () => {
    assert.deepEqual(summary('cloud'), [['anthropic', 0.24, 2, 15_000], ['openai', 0.011, 4, 6500], ['coreweave', 0.01, 1, 6000]]);
  });

  test('by model: the configured name of the served model, else provider/upstream, else the name asked for', () => {
    assert.deepEqual(summary('model'), [['big', 0.24, 2, 15_000], ['small', 0.011, 4, 6500], ['llama', 0.01, 1, 6000]]);
    const unconfigured = spendReport(rows, { from: november, to, groupBy: 'model', context: { ...fixtureContext, models: [] } });
    assert.deepEqual(unconfigured.rows.map((row) => row.group), ['an/big-v1', 'oa/small-v1', 'gpu/llama-70b']);
    const early = rollupRecords([{ ...(fixtureRecords[6] as RequestRecord), provider: null, upstreamModel: null, requestedModel: 'asked' }], { bucket: 'day', from: november, to });
    assert.deepEqual(spendReport(early, { from: november, to, groupBy: 'model', context: fixtureContext }).rows.map((row) => row.group), ['asked']);
  });

  test('by customer, key, route and day', () => {
    assert.deepEqual(summary('customer'), [['globex', 0.19, 2, 18_000], ['acme', 0.071, 4, 9500], [null, 0, 1, 0]]);
    assert.deepEqual(summary('key'), [['k2', 0.19, 2, 18_000], ['k1', 0.071, 4, 9500], [null, 0, 1, 0]]);
    // smart: a1 + a2 + a4 = 0.063; the rest went to no route: 0.008 + 0.18 + 0.01 + 0 = 0.198.
    assert.deepEqual(summary('route'), [[null, 0.198, 4, 23_000], ['smart', 0.063, 3, 4500]]);
    assert.deepEqual(summary('day'), [
      ['2026-11-05', 0.19, 2, 18_000],
      ['2026-11-02', 0.063, 2, 4500],
      ['2026-11-03', 0.008, 2, 5000],
      ['2026-11-06', 0, 1, 0],
    ]);
  });

  test('savings: the cache, and routing against the route first target', () => {
    const { savings } = report('provider');
    assert.equal(savings.cacheUsd, 0.003);
    // smart without its cache hit: 3000 input + 1500 output tokens cost 0.063; at big ($10/$40) they would cost
    // (3000 x 10 + 1500 x 40) / 1e6 = 0.09, so routing saved 0.09 - 0.063 = 0.027.
    assert.deepEqual(savings.routes, [{ route: 'smart', baselineModel: 'big', requests: 2, costUsd: 0.063, baselineUsd: 0.09, savedUsd: 0.027 }]);
    assert.equal(savings.routingUsd, 0.027);
    assert.equal(savings.totalUsd, 0.03);
    assert.equal(report('provider').rows.find((row) => row.group === 'oa')?.cacheSavedUsd, 0.003);
  });

  test('a route whose first target has no price has no routing saving rather than a made-up one', () => {
    const context = { ...fixtureContext, routes: { smart: { target: 'mystery' } } };
    const { savings } = spendReport(rows, { from: november, to, groupBy: 'route', context });
    assert.deepEqual(savings.routes, [{ route: 'smart', baselineModel: 'mystery', requests: 2, costUsd: 0.063, baselineUsd: null, savedUsd: null }]);
    assert.equal(savings.routingUsd, 0);
  });

  test('a per-request fee counts once per request', () => {
    const context = { ...fixtureContext, routes: { smart: { target: 'big', price: { input: 10, output: 40, perRequest: 0.01 } } } };
    const { savings } = spendReport(rows, { from: november, to, groupBy: 'route', context });
    // 0.09 + 2 requests x 0.01 = 0.11; saved 0.11 - 0.063 = 0.047.
    assert.equal(savings.routes[0]?.baselineUsd, 0.11);
    assert.equal(savings.routes[0]?.savedUsd, 0.047);
  });

  test('hourly rows give the same totals as daily ones', () => {
    const hourly = rollupRecords(fixtureRecords, { bucket: 'hour', from: november, to: at(30, 23) });
    const fromHours = spendReport(hourly, { from: november, to, groupBy: 'customer', context: fixtureContext });
    assert.deepEqual(fromHours.rows.map((row) => [row.group, row.costUsd]), summary('customer').map((row) => [row[0], row[1]]));
  });
});
