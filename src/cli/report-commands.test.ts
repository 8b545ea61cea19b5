import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { cliSandbox } from './cli-sandbox.js';

describe('switchyard revenue and report commands', () => {
  const sandbox = cliSandbox('switchyard-cli-');
  const folder = sandbox.folder;
  const run = sandbox.run;

  after(() => sandbox.remove());

  test('a CSV with a bad line is refused with its line number, and nothing is imported', () => {
    writeFileSync(join(folder, 'bad.csv'), 'customer,period,usd\nacme,2026-11,100\n"Globex, Inc.",2026-11,-5\ninitech,2026-11,7\n');
    const refused = run('revenue', 'import', 'bad.csv');
    assert.equal(refused.status, 1);
    assert.match(refused.stderr, /bad\.csv: 1 problem, nothing imported/);
    assert.match(refused.stderr, /line 3: usd: expected a number >= 0, got "-5"/);
    assert.equal(run('revenue', 'list', '--json').stdout.trim(), '[]');
  });

  test('a good CSV is imported, listed, and shows in the margin report', () => {
    writeFileSync(join(folder, 'good.csv'), 'customer,period,usd\nacme,2026-11,100\n"Globex, Inc.",2026-11,1234.5\n');
    const imported = run('revenue', 'import', 'good.csv');
    assert.equal(imported.status, 0, imported.stderr);
    assert.match(imported.stdout, /Imported 2 revenue rows \(\$1,334\.50\) from good\.csv/);
    const listed = run('revenue', 'list', '--period', '2026-11');
    assert.match(listed.stdout, /2026-11\s+Globex, Inc\.\s+\$1,234\.50/);
    const margin = run('report', 'margin', '--period', '2026-11');
    assert.equal(margin.status, 0, margin.stderr);
    assert.match(margin.stdout, /Globex, Inc\.\s+\$1,234\.50\s+\$0\.00\s+\$1,234\.50\s+100\.0%/);
    assert.match(margin.stdout, /TOTAL\s+\$1,334\.50/);
    const json = JSON.parse(run('report', 'margin', '--period', '2026-11', '--json').stdout) as { total: { revenueUsd: number } };
    assert.equal(json.total.revenueUsd, 1334.5);
  });

  test('report arguments are checked', () => {
    assert.match(run('report', 'margin', '--period', '11/2026').stderr, /period: expected a month as YYYY-MM/);
    assert.match(run('report', 'graduation').stderr, /give either model or route/);
    assert.match(run('report', 'profit').stderr, /switchyard report margin/);
  });
});
