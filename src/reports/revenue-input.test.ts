import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { parseCsv, readRevenueCsv, readRevenueRows } from './revenue-input.js';

describe('revenue input', () => {
  test('rows: each problem names its row index and field', () => {
    const { rows, problems } = readRevenueRows([
      { customer: 'acme', period: '2026-11', usd: 10 },
      { customer: '', period: '2026-13', usd: -1 },
      { customer: 'globex', period: '2026-11', usd: Number.POSITIVE_INFINITY, note: 'x' },
      'acme,2026-11,3',
      { customer: 'acme', period: '2026-11', usd: 12 },
    ]);
    assert.deepEqual(rows.map((row) => row.usd), [10, 12]);
    assert.deepEqual(problems.map((problem) => `${problem.row}.${problem.field}`), ['1.customer', '1.period', '1.usd', '2.usd', '2.note', '3.(row)', '4.period']);
    assert.match(problems[6]?.message ?? '', /repeats acme 2026-11 of row 0/);
  });

  test('CSV: quoted fields with commas, escaped quotes and line breaks; CRLF; a byte-order mark; any column order', () => {
    const text = '\uFEFFperiod,customer,usd\r\n2026-11,"Acme, Inc.",1200.50\r\n2026-11,"The ""Best"" Co",$99\r\n\r\n2026-10,"Multi\nLine",0\r\n';
    assert.deepEqual(readRevenueCsv(text), [
      { customer: 'Acme, Inc.', period: '2026-11', usd: 1200.5 },
      { customer: 'The "Best" Co', period: '2026-11', usd: 99 },
      { customer: 'Multi\nLine', period: '2026-10', usd: 0 },
    ]);
    assert.deepEqual(parseCsv('a,b\n"x\ny",z\nlast,row').map((record) => record.line), [1, 2, 4]);
  });

  test('CSV: every bad line is reported with its line number and nothing is returned', () => {
    const text = ['customer,period,usd', 'acme,2026-11,10', 'globex,Nov 2026,5', 'initech,2026-11,ten', 'hooli,2026-11', 'acme,2026-11,11'].join('\n');
    assert.throws(() => readRevenueCsv(text), (error: Error) => {
      assert.match(error.message, /^4 problems, nothing imported/);
      assert.match(error.message, /line 3: period: expected a month as YYYY-MM, got "Nov 2026"/);
      assert.match(error.message, /line 4: usd: expected a number >= 0, got "ten"/);
      assert.match(error.message, /line 5: expected 3 fields, got 2/);
      assert.match(error.message, /line 6: repeats acme 2026-11 of line 2/);
      return true;
    });
  });

  test('CSV: a missing header or an unclosed quote is refused', () => {
    assert.throws(() => readRevenueCsv(''), /empty/);
    assert.throws(() => readRevenueCsv('name,month,amount\nacme,2026-11,1'), /line 1: expected the header customer,period,usd/);
    assert.throws(() => readRevenueCsv('customer,period,usd\n"acme,2026-11,1'), /line 2: a quoted field is not closed/);
  });
});
