import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import type { RequestRecord } from '../../src/ledger/ledger-record.js';
import { rollupTableRows } from '../../src/store/rollup-table.js';
import { ledgerRows, SqliteLedgerRepository, type LedgerRows } from '../../src/store/sqlite/sqlite-ledger.js';
import { sqliteMigrations } from '../../src/store/sqlite/sqlite-schema.js';
import { machineFacts } from '../report.js';
import { repoRoot } from '../targets.js';

/**
 * What keeping the rollups costs the ledger writer: the CPU the gateway's event loop spends turning each batch into
 * rollup rows, and the write rate of the SQLite writer with and without the rollup upserts, in the same run.
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

function writeRate(file: string, batches: LedgerRows[]): number {
  const database = new Database(file);
  database.pragma('journal_mode = WAL');
  database.pragma('synchronous = NORMAL');
  for (let index = 0; index < sqliteMigrations.length; index += 1) database.exec(sqliteMigrations[index] as string);
  const repository = new SqliteLedgerRepository(database);
  const started = performance.now();
  for (const rows of batches) repository.insertRows(rows);
  const seconds = (performance.now() - started) / 1000;
  database.close();
  return batches.reduce((sum, rows) => sum + rows.requests.length, 0) / seconds;
}

function main(): void {
  const argv = process.argv.slice(2);
  const total = option(argv, 'records', 200_000);
  const batch = option(argv, 'batch', 500);
  const all = records(total, Date.UTC(2027, 1, 1));
  const chunks: RequestRecord[][] = [];
  for (let start = 0; start < all.length; start += batch) chunks.push(all.slice(start, start + batch));
  const flag = (value: boolean) => (value ? 1 : 0);
  const rollupPass = () => {
    const started = performance.now();
    for (const chunk of chunks) {
      rollupTableRows(chunk, flag);
    }
    return ((performance.now() - started) * 1000) / total;
  };
  // The first pass warms the code up; the second is the one reported.
  rollupPass();
  const rollupMicros = rollupPass();
  chunks.map((chunk) => ledgerRows(chunk));
  const started = performance.now();
  const withRollups = chunks.map((chunk) => ledgerRows(chunk));
  const allRowsMicros = ((performance.now() - started) * 1000) / total;
  const withoutRollups = withRollups.map((rows) => ({ ...rows, rollups: { hour: [], day: [] } }));
  const folder = mkdtempSync(join(tmpdir(), 'switchyard-rollup-cost-'));
  const rates: Record<string, number[]> = { without: [], with: [] };
  try {
    // Alternating, three of each, so drift in the machine's load hits both alike.
    for (let round = 0; round < 3; round += 1) {
      rates.without?.push(writeRate(join(folder, `without-${round}.db`), withoutRollups));
      rates.with?.push(writeRate(join(folder, `with-${round}.db`), withRollups));
    }
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
  const median = (values: number[]) => [...values].sort((left, right) => left - right)[Math.floor(values.length / 2)] as number;
  const lines = [
    `# What keeping the rollups costs the ledger writer`,
    '',
    `Command: \`${`node dist/bench/ledger-scale/rollup-cost.js ${argv.join(' ')}`.trim()}\` (after \`npx tsc -p tsconfig.json\`), ${new Date().toISOString()}.`,
    `Machine: ${JSON.stringify(machineFacts())}.`,
    '',
    `${total.toLocaleString('en-US')} records (500 customers, two models each) in batches of ${batch}.`,
    '',
    `- On the gateway's event loop: rollup rows of both tables take ${rollupMicros.toFixed(2)} µs per record (second pass over the records, after a warm-up pass); all the rows of a batch (requests, attempts, tags and rollups) ${allRowsMicros.toFixed(2)} µs per record.`,
    `- SQLite writer (WAL, synchronous = NORMAL; on its own thread in the gateway), records written per second, three alternating runs each: without the rollup upserts ${rates.without?.map((rate) => rate.toFixed(0)).join(', ')} (median ${median(rates.without ?? []).toFixed(0)}), with them ${rates.with?.map((rate) => rate.toFixed(0)).join(', ')} (median ${median(rates.with ?? []).toFixed(0)}).`,
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
