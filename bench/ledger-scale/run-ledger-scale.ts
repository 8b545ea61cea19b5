import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';
import { parseConfig } from '../../src/config/load-config.js';
import { bundledPriceCatalog } from '../../src/ledger/price-catalog.js';
import { buildReportContext } from '../../src/reports/report-context.js';
import { monthRange } from '../../src/reports/periods.js';
import { runMarginReport, runSpendReport } from '../../src/reports/run-reports.js';
import { ModelRegistry } from '../../src/routing/model-registry.js';
import { openPostgresStore } from '../../src/store/postgres/postgres-store.js';
import { createTestSchema } from '../../src/store/postgres/postgres-test-database.js';
import { rollupBackfillSql } from '../../src/store/rollup-table.js';
import type { Store } from '../../src/store/store.js';
import { machineFacts } from '../report.js';
import { repoRoot } from '../targets.js';
import { bulkLoad, type LoadShape } from './ledger-scale-load.js';
import { renderLedgerScaleReport, type LedgerScaleReport, type Timing } from './ledger-scale-report.js';

/**
 * The ledger at scale on PostgreSQL: `--rows` requests (10 million by default) in one month, bulk-loaded into a fresh
 * schema, the hourly rollups filled, then the margin, spend and usage reports timed over that month.
 *   node dist/bench/ledger-scale/run-ledger-scale.js [--rows 10000000] [--runs 5] [--out bench/results]
 * PostgreSQL: SWITCHYARD_TEST_POSTGRES_URL, or the private server scripts/ensure-postgres.sh starts.
 */

function option(argv: string[], name: string, fallback: number): number {
  const index = argv.indexOf(`--${name}`);
  if (index === -1) return fallback;
  const value = Number(argv[index + 1]);
  if (!Number.isInteger(value) || value <= 0) throw new Error(`--${name}: expected a positive whole number, got "${argv[index + 1]}"`);
  return value;
}

async function time(name: string, runs: number, work: () => Promise<unknown>): Promise<Timing> {
  const samples: number[] = [];
  let rows = 0;
  for (let run = 0; run < runs; run += 1) {
    const started = performance.now();
    const result = await work();
    samples.push(performance.now() - started);
    rows = Array.isArray(result) ? result.length : typeof result === 'object' && result !== null && 'rows' in result && Array.isArray(result.rows) ? result.rows.length : 0;
  }
  const ordered = [...samples].sort((left, right) => left - right);
  return { name, runs, firstMs: samples[0] as number, medianMs: ordered[Math.floor(ordered.length / 2)] as number, maxMs: ordered.at(-1) as number, resultRows: rows };
}

async function reportTimings(store: Store, pool: pg.Pool, shape: LoadShape, runs: number): Promise<Timing[]> {
  const config = parseConfig({}, {});
  const context = buildReportContext(config, new ModelRegistry(config, bundledPriceCatalog()));
  const month = new Date(shape.from).toISOString().slice(0, 7);
  const range = monthRange(month, month);
  const window = { from: range.start, to: range.end };
  return [
    await time('margin report (period = the month)', runs, () => runMarginReport(store, range)),
    await time('spend report by provider', runs, () => runSpendReport(store, context, { ...window, groupBy: 'provider' })),
    await time('spend report by customer', runs, () => runSpendReport(store, context, { ...window, groupBy: 'customer' })),
    await time('usage by customer', runs, () => store.ledger.usage({ groupBy: 'customer', ...window })),
    await time('usage by day', runs, () => store.ledger.usage({ groupBy: 'day', ...window })),
    await time('usage by model, from/to off the hour (raw edges)', runs, () => store.ledger.usage({ groupBy: 'model', from: window.from + 1_234_567, to: window.to - 2_345_678 })),
    // What usage cost before the rollups: one GROUP BY over every raw row of the month.
    await time('for comparison: usage by customer over the raw rows', 1, () =>
      pool.query('SELECT customer, COUNT(*), SUM(cost_usd) FROM requests WHERE started_at >= $1 AND started_at < $2 GROUP BY 1', [window.from, window.to])),
  ];
}

async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  const rows = option(argv, 'rows', 10_000_000);
  const runs = option(argv, 'runs', 5);
  const outIndex = argv.indexOf('--out');
  const out = outIndex === -1 ? join(repoRoot, 'bench', 'results') : (argv[outIndex + 1] as string);
  const startedAt = new Date().toISOString();
  // February 2027: a month whose partitions the store creates ahead, as it would in production.
  const shape: LoadShape = { rows, from: Date.UTC(2027, 1, 1), spanMs: 28 * 86_400_000, customers: 500 };
  const schema = await createTestSchema();
  const pool = new pg.Pool({ connectionString: schema.url, max: 2 });
  const log = (line: string) => process.stdout.write(`${line}\n`);
  try {
    const store = await openPostgresStore(schema.url);
    try {
      await store.ledger.prepare(shape.from);
      const loadSeconds = await bulkLoad(pool, shape, 1_000_000, log);
      let started = performance.now();
      await pool.query(rollupBackfillSql('postgres'));
      const rollupSeconds = (performance.now() - started) / 1000;
      log(`rollups filled in ${rollupSeconds.toFixed(1)} s`);
      started = performance.now();
      await pool.query('ANALYZE');
      const analyzeSeconds = (performance.now() - started) / 1000;
      const counts = (await pool.query<{ requests: string; attempts: string; rollups: string }>(
        'SELECT (SELECT COUNT(*) FROM requests) AS requests, (SELECT COUNT(*) FROM attempts) AS attempts, (SELECT COUNT(*) FROM request_rollups) AS rollups',
      )).rows[0];
      const sizes = (await pool.query<{ name: string; bytes: string }>(
        `SELECT relname AS name, pg_total_relation_size(oid) AS bytes FROM pg_class WHERE relnamespace = current_schema()::regnamespace AND relkind IN ('r', 'p') AND relname LIKE ANY (ARRAY['requests_y%', 'attempts_y%', 'request_rollups']) ORDER BY 1`,
      )).rows;
      const timings = await reportTimings(store, pool, shape, runs);
      const version = (await pool.query<{ server_version: string }>('SHOW server_version')).rows[0]?.server_version ?? 'unknown';
      const report: LedgerScaleReport = {
        startedAt, commandLine: `node dist/bench/ledger-scale/run-ledger-scale.js ${argv.join(' ')}`.trim(), machine: machineFacts(), postgres: version,
        shape, loadSeconds, rollupSeconds, analyzeSeconds,
        counts: { requests: Number(counts?.requests), attempts: Number(counts?.attempts), rollups: Number(counts?.rollups) },
        sizes: sizes.map((row) => ({ name: row.name, bytes: Number(row.bytes) })), timings,
      };
      mkdirSync(out, { recursive: true });
      const base = join(out, `${startedAt.slice(0, 10)}-ledger-scale-${rows >= 1_000_000 ? `${rows / 1_000_000}m` : rows}`);
      writeFileSync(`${base}.json`, `${JSON.stringify(report, null, 2)}\n`);
      writeFileSync(`${base}.md`, renderLedgerScaleReport(report));
      log(renderLedgerScaleReport(report));
      log(`wrote ${base}.md`);
    } finally {
      await store.close();
    }
  } finally {
    await pool.end();
    await schema.drop();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`ledger-scale failed: ${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
