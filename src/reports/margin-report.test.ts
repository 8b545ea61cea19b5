import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { fixtureRecords, fixtureRevenue, november } from './fixture-ledger.js';
import { marginReport } from './margin-report.js';
import { monthRange } from './periods.js';
import { rollupRecords } from './rollup-records.js';
import type { RequestRecord } from '../ledger/ledger-record.js';
import { evaluationCustomer } from '../quality/evaluation-types.js';

const november2026 = monthRange('2026-11', '2026-11');
const usage = rollupRecords(fixtureRecords, { bucket: 'day', from: november2026.start, to: november2026.end });

describe('margin report', () => {
  test('per customer: revenue of the month minus the AI cost of its requests', () => {
    const report = marginReport(november2026, usage, fixtureRevenue);
    assert.deepEqual(report.rows, [
      // acme: $10 revenue; cost a1 + a2 + a3 + a4 = 0.003 + 0.06 + 0.008 + 0 = 0.071 (a3's shadow not included);
      // margin 10 - 0.071 = 9.929 = 99.29 %; tokens 1500 + 3000 + 5000 + 0 = 9500.
      { customer: 'acme', revenueUsd: 10, costUsd: 0.071, marginUsd: 9.929, marginPercent: 99.29, requests: 4, tokens: 9500 },
      // initech paid $5 and sent nothing: 100 % margin.
      { customer: 'initech', revenueUsd: 5, costUsd: 0, marginUsd: 5, marginPercent: 100, requests: 0, tokens: 0 },
      // globex: no November revenue (its $100 is October's); cost 0.18 + 0.01 = 0.19; tokens 12000 + 6000.
      { customer: 'globex', revenueUsd: 0, costUsd: 0.19, marginUsd: -0.19, marginPercent: null, requests: 2, tokens: 18_000 },
      { customer: null, revenueUsd: 0, costUsd: 0, marginUsd: 0, marginPercent: null, requests: 1, tokens: 0 },
    ]);
    // 15 - 0.261 = 14.739, and 14.739 / 15 = 98.26 %.
    assert.deepEqual(report.total, { revenueUsd: 15, costUsd: 0.261, marginUsd: 14.739, marginPercent: 98.26, requests: 7, tokens: 27_500 });
    assert.equal(report.shadowCostUsd, 0.02);
    assert.equal(report.from, '2026-11');
  });

  test('a range of months adds their revenue and cost; October brings o1 ($1) and globex ($100)', () => {
    const range = monthRange('2026-10', '2026-11');
    const report = marginReport(range, rollupRecords(fixtureRecords, { bucket: 'day', from: range.start, to: range.end }), fixtureRevenue);
    const acme = report.rows.find((row) => row.customer === 'acme');
    const globex = report.rows.find((row) => row.customer === 'globex');
    assert.equal(acme?.costUsd, 1.071);
    assert.equal(globex?.marginUsd, 99.81);
    assert.equal(report.total.revenueUsd, 115);
  });

  test('evaluation spend is in no customer row and not in the total; it is reported apart', () => {
    const evaluation = { ...fixtureRecords[0], id: 'ev1', customer: evaluationCustomer, costUsd: 0.5, attempts: [] } as RequestRecord;
    const withEvaluation = rollupRecords([...fixtureRecords, evaluation], { bucket: 'day', from: november2026.start, to: november2026.end });
    const report = marginReport(november2026, withEvaluation, fixtureRevenue);
    const plain = marginReport(november2026, usage, fixtureRevenue);
    assert.deepEqual(report.rows, plain.rows);
    assert.deepEqual(report.total, plain.total);
    assert.equal(report.evaluationCostUsd, 0.5);
    assert.equal(plain.evaluationCostUsd, 0);
  });

  test('rows outside the range are ignored even when handed in', () => {
    const all = rollupRecords(fixtureRecords, { bucket: 'day', from: 0, to: november + 90 * 86_400_000 });
    assert.deepEqual(marginReport(november2026, all, fixtureRevenue), marginReport(november2026, usage, fixtureRevenue));
  });
});
