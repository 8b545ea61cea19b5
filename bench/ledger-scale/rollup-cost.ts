import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import type { RequestRecord } from '../../src/ledger/ledger-record.js';
import { rollupGrains, rollupTableRows, rollupUpsertSql, type RollupGrain } from '../../src/store/rollup-table.js';
import { ledgerRows, SqliteLedgerRepository, type LedgerRows } from '../../src/store/sqlite/sqlite-ledger.js';
import { sqliteMigrations } from '../../src/store/sqlite/sqlite-schema.js';
import { machineFacts } from '../report.js';
import { repoRoot } from '../targets.js';

/**
 * What keeping the rollups costs: the CPU the gateway's event loop spends turning each batch into rows (the SQLite
 * driver's, which no longer include rollup rows, and the rollup rows the PostgreSQL driver still builds there), and
 * the write rate of the SQLite writer without rollups, with the rollups it aggregates in SQL, and with rollup rows
 * built in JS beforehand and upserted (what it did before), in the same run.
 *   node dist/bench/ledger-scale/rollup-cost.js [--records 200000] [--batch 500]
 */

const models = ['gpt-4o-mini', 'gpt-4o', 'claude-sonnet', 'claude-haiku', 'llama-70b', 'mistral-large'];

function records(count: number, from: number): RequestRecord[] {
  return Array.from({ length: count }, (_value, index) => {
    const customer = (index * 7919) % 500;
    const model = models[(customer + (index % 3 === 0 ? 1 : 0)) % models.length] as string;
    return {
      id: `req-${index}`, startedAt: from + index * 50, endpoint: 'chat', keyId: `key-${customer}`, customer: `customer-${customer}`, team: `team-${customer % 10}`,
      requestedModel: model, route: null, provider: 'openai', upstreamModel: model, stream: index % 4 === 0, status: index % 50 === 0 ? 502 : 200, errorCode: null,
      inputTokens: 100 + (index % 900), cachedInputTokens: index % 50, cacheWriteTokens: 0, outputTokens: 20 + (index % 400), reasoningTokens: 0, costUsd: 0.000123,
      latencyMs: 200, ttftMs: 80, estimated: false, catalogVersion: 'bench', cacheHit: index % 20 === 0, savedUsd: 0,
      attempts: [{ attempt: 1, startedAt: from + index * 50, provider: 'openai', upstreamModel: model, model, status: 200, errorCode: null, inputTokens: 100, cachedInputTokens: 0, cacheWriteTokens: 0, outputTokens: 20, reasoningTokens: 0, costUsd: 0.000123, latencyMs: 200, ttftMs: 80, estimated: false, shadow: false }],
    };
  });
}

function option(argv: string[], name: string, fallback: number): number {
  const index = argv.indexOf(`--${name}`);
  return index === -1 ? fallback : Number(argv[index + 1]);
}

type Rollups = 'none' | 'sql' | 'rows';

/** Rollup rows per upsert statement when they are built in JS. */
const rollupRowsPerStatement = 50;

function writeRate(file: string, batches: LedgerRows[], rollups: Rollups, rollupRows: Array<Record<RollupGrain, unknown[][]>>): number {
  const database = new Database(file);
  database.pragma('journal_mode = WAL');
  database.pragma('synchronous = NORMAL');
  for (let index = 0; index < sqliteMigrations.length; index += 1) database.exec(sqliteMigrations[index] as string);
  const repository = new SqliteLedgerRepository(database, { rollups: rollups === 'sql' });
  const statements = new Map<string, Database.Statement>();
  const upsert = (grain: RollupGrain, count: number) => {
    const key = `${grain}:${count}`;
    if (!statements.has(key)) statements.set(key, database.prepare(rollupUpsertSql(count, 'sqlite', grain)));
    return statements.get(key) as Database.Statement;
  };
  // The rows path: the batch's rows and its JS-built rollup rows in one transaction, as the writer did before.
  const withRows = database.transaction((rows: LedgerRows, rollupsOfBatch: Record<RollupGrain, unknown[][]>) => {
    repository.insertRows(rows);
    for (const grain of rollupGrains) {
      const all = rollupsOfBatch[grain];
      for (let start = 0; start < all.length; start += rollupRowsPerStatement) {
        const chunk = all.slice(start, start + rollupRowsPerStatement);
        upsert(grain, chunk.length).run(chunk.flat());
      }
    }
  });
  const started = performance.now();
  batches.forEach((rows, index) => (rollups === 'rows' ? withRows.immediate(rows, rollupRows[index] as Record<RollupGrain, unknown[][]>) : repository.insertRows(rows)));
  const seconds = (performance.now() - started) / 1000;
  database.close();
  return batches.reduce((sum, rows) => sum + rows.requests.length, 0) / seconds;
}

const modeNames: Record<Rollups, string> = {
  none: 'without rollups',
  sql: 'with the rollups aggregated in SQL from the rows just inserted (what the writer does)',
  rows: 'with rollup rows built in JS beforehand and upserted (what it did before; building them not counted)',
};

function main(): void {
  const argv = process.argv.slice(2);
  const total = option(argv, 'records', 200_000);
  const batch = option(argv, 'batch', 500);
  const all = records(total, Date.UTC(2027, 1, 1));
  const chunks: RequestRecord[][] = [];
  for (let start = 0; start < all.length; start += batch) chunks.push(all.slice(start, start + batch));
  const flag = (value: boolean) => (value ? 1 : 0);
  // Each pass runs twice, keeping nothing: the first warms the code up, the second is the one reported.
  const microsPerRecord = (pass: (chunk: RequestRecord[]) => unknown): number => {
    for (const chunk of chunks) pass(chunk);
    const started = performance.now();
    for (const chunk of chunks) pass(chunk);
    return ((performance.now() - started) * 1000) / total;
  };
  const rollupMicros = microsPerRecord((chunk) => rollupTableRows(chunk, flag));
  const batchMicros = microsPerRecord((chunk) => ledgerRows(chunk));
  const rollupRows = chunks.map((chunk) => rollupTableRows(chunk, flag));
  const batchRows = chunks.map((chunk) => ledgerRows(chunk));
  const folder = mkdtempSync(join(tmpdir(), 'switchyard-rollup-cost-'));
  const rates: Record<Rollups, number[]> = { none: [], sql: [], rows: [] };
  const modes: Rollups[] = ['none', 'sql', 'rows'];
  try {
    // Alternating, three of each, so drift in the machine's load hits all alike.
    for (let round = 0; round < 3; round += 1) {
      for (const mode of modes) rates[mode].push(writeRate(join(folder, `${mode}-${round}.db`), batchRows, mode, rollupRows));
    }
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
  const median = (values: number[]) => [...values].sort((left, right) => left - right)[Math.floor(values.length / 2)] as number;
  const lines = [
    `# What keeping the rollups costs the ledger`,
    '',
    `Command: \`${`node dist/bench/ledger-scale/rollup-cost.js ${argv.join(' ')}`.trim()}\` (after \`npx tsc -p tsconfig.json\`), ${new Date().toISOString()}.`,
    `Machine: ${JSON.stringify(machineFacts())}.`,
    '',
    `${total.toLocaleString('en-US')} records (500 customers, two models each) in batches of ${batch}.`,
    '',
    `- On the gateway's event loop (second pass over the records, after a warm-up pass): the SQLite driver's rows of a batch (requests, attempts and tags; no rollup rows, which its writer aggregates in SQL) take ${batchMicros.toFixed(2)} µs per record; rollup rows of both tables built in JS (what the PostgreSQL driver still does there, and the SQLite one did before) ${rollupMicros.toFixed(2)} µs per record.`,
    `- SQLite writer (WAL, synchronous = NORMAL; on its own thread in the gateway), records written per second, three alternating runs each: ${modes.map((mode) => `${modeNames[mode]} ${rates[mode].map((rate) => rate.toFixed(0)).join(', ')} (median ${median(rates[mode]).toFixed(0)})`).join('; ')}.`,
    '',
  ];
  const text = lines.join('\n');
  const outIndex = argv.indexOf('--out');
  const out = outIndex === -1 ? join(repoRoot, 'bench', 'results') : (argv[outIndex + 1] as string);
  mkdirSync(out, { recursive: true });
  const file = join(out, `${new Date().toISOString().slice(0, 10)}-rollup-cost.md`);
  writeFileSync(file, text);
  process.stdout.write(`${text}\nwrote ${file}\n`);
}

main();
