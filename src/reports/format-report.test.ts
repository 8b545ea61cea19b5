import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { fixtureContext, fixtureRecords, fixtureRevenue, november } from './fixture-ledger.js';
import { formatMarginReport, formatSpendReport, formatUsd } from './format-report.js';
import { marginReport } from './margin-report.js';
import { monthRange } from './periods.js';
import { rollupRecords } from './rollup-records.js';
import { spendReport } from './spend-report.js';

describe('report formatting', () => {
  test('dollars: cents from $1, four digits from a cent, six below', () => {
    assert.equal(formatUsd(1234.5), '$1,234.50');
    assert.equal(formatUsd(-0.19), '-$0.1900');
    assert.equal(formatUsd(0.000123), '$0.000123');
    assert.equal(formatUsd(0), '$0.00');
    assert.equal(formatUsd(null), '-');
  });

  test('the margin table has one line per customer and a total', () => {
    const range = monthRange('2026-11', '2026-11');
    const text = formatMarginReport(marginReport(range, rollupRecords(fixtureRecords, { bucket: 'day', from: range.start, to: range.end }), fixtureRevenue));
    assert.match(text, /^Gross margin, 2026-11 \(UTC\)/);
    assert.match(text, /acme\s+\$10\.00\s+\$0\.0710\s+\$9\.93\s+99\.3%\s+4\s+9,500/);
    assert.match(text, /globex\s+\$0\.00\s+\$0\.1900\s+-\$0\.1900\s+-\s+2\s+18,000/);
    assert.match(text, /TOTAL\s+\$15\.00\s+\$0\.2610\s+\$14\.74\s+98\.3%\s+7\s+27,500/);
    assert.match(text, /Shadow spend \(not charged to any customer\): \$0\.0200/);
  });

  test('the spend table lists groups, savings and the route comparison', () => {
    const rows = rollupRecords(fixtureRecords, { bucket: 'day', from: november, to: november + 30 * 86_400_000 });
    const text = formatSpendReport(spendReport(rows, { from: november, to: november + 30 * 86_400_000, groupBy: 'cloud', context: fixtureContext }));
    assert.match(text, /anthropic\s+\$0\.2400\s+2\s+15,000/);
    assert.match(text, /Saved by routing:\s+\$0\.0270/);
    assert.match(text, /smart\s+big\s+2\s+\$0\.0630\s+\$0\.0900\s+\$0\.0270/);
  });
});
