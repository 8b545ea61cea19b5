import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import Database from 'better-sqlite3';
import type { AttemptRecord, RequestRecord } from '../../ledger/ledger-record.js';
import { rollupBackfillSql, rollupTableColumns, rollupTableRows } from '../rollup-table.js';
import { SqliteLedgerWriter } from './sqlite-ledger-writer.js';
import { openSqliteStore } from './sqlite-store.js';

// The SQLite writer thread aggregates each batch's rollups in SQL from the rows it has just inserted. These tests hold
// what it stores, after batches that add to existing combinations and batches from two writers at once, to the
// rollups of the raw rows (computed again by SQL over every request) and to the rows the JS builder makes of all the
// records. Costs are binary fractions, so every sum is exact whatever order it is taken in.

const minute = 60_000;
const start = Date.UTC(2025, 2, 1, 22, 40); // 22:40 to 01:20 the next day: four hours over two days.

function attempt(number: number, overrides: Partial<AttemptRecord> = {}): AttemptRecord {
  return {
    attempt: number, startedAt: start, provider: 'openai', upstreamModel: 'gpt-x-2025', model: 'gpt-x', status: 200, errorCode: null,
    inputTokens: 10, cachedInputTokens: 2, cacheWriteTokens: 1, outputTokens: 5, reasoningTokens: 3, costUsd: 0.125, latencyMs: 100, ttftMs: null, estimated: false, shadow: false, ...overrides,
  };
}

/** Request `index` of the mix: errors, cache hits, no team or customer or key, shadow attempts, router shadow decisions. */
function record(index: number): RequestRecord {
  const startedAt = start + (index % 160) * minute + Math.floor(index / 160);
  const shadowAttempts = index % 5 === 0 ? [attempt(2, { shadow: true, costUsd: 0.25 }), attempt(3, { shadow: true, costUsd: 0.0625 })] : index % 7 === 0 ? [attempt(2, { shadow: true, costUsd: 0.5 })] : [];
  const routed = index % 4 === 0 ? { score: 0.25, threshold: 0.5, choice: 'small', shadow: index % 8 === 0, choiceCostUsd: index % 12 === 0 ? null : 0.03125 } : undefined;
  return {
    id: `r${index}`, startedAt, endpoint: 'chat', keyId: index % 6 === 0 ? null : `k${index % 2}`, customer: index % 3 === 0 ? null : `c${index % 4}`, team: index % 9 === 0 ? null : 'red',
    requestedModel: index % 2 === 0 ? 'gpt-x' : 'claude-y', route: routed ? 'smart' : null, provider: index % 11 === 0 ? null : 'openai', upstreamModel: index % 11 === 0 ? null : 'gpt-x-2025',
    stream: false, status: index % 10 === 0 ? 502 : index % 13 === 0 ? 429 : 200, errorCode: index % 10 === 0 ? 'upstream_error' : null,
    inputTokens: 100 + index, cachedInputTokens: index % 3, cacheWriteTokens: index % 2, outputTokens: 20 + (index % 7), reasoningTokens: index % 5,
    costUsd: index % 10 === 0 ? 0 : 0.0078125 * (1 + (index % 4)), latencyMs: 50 + (index % 8) * 0.5, ttftMs: null, estimated: false, catalogVersion: 'test',
    cacheHit: index % 6 === 1, savedUsd: index % 6 === 1 ? 0.015625 : 0, attempts: [attempt(1, { costUsd: 0.001953125 }), ...shadowAttempts], ...(routed ? { router: routed } : {}),
  };
}

const records = Array.from({ length: 900 }, (_unused, index) => record(index));
const key = (row: unknown[]) => JSON.stringify(row.slice(0, 10));
const sorted = (rows: unknown[][]) => [...rows].sort((left, right) => (key(left) < key(right) ? -1 : 1));

function storedRollups(database: Database.Database): Record<'hour' | 'day', unknown[][]> {
  const read = (table: string) => sorted(database.prepare(`SELECT ${rollupTableColumns.join(', ')} FROM ${table}`).raw().all() as unknown[][]);
  return { hour: read('request_rollups'), day: read('request_rollups_daily') };
}

/** The rollups as they are stored, then as SQL computes them again from every raw row, on the same file. */
function storedAndRecomputed(file: string): { stored: Record<'hour' | 'day', unknown[][]>; recomputed: Record<'hour' | 'day', unknown[][]> } {
  const database = new Database(file);
  try {
    const stored = storedRollups(database);
    database.exec(`DELETE FROM request_rollups; DELETE FROM request_rollups_daily; ${rollupBackfillSql('sqlite')}`);
    return { stored, recomputed: storedRollups(database) };
  } finally {
    database.close();
  }
}

function assertRollupsOfAll(file: string): void {
  const { stored, recomputed } = storedAndRecomputed(file);
  const expected = rollupTableRows(records, (flag) => (flag ? 1 : 0));
  assert.ok(stored.hour.length > 40 && stored.day.length > 20, `${stored.hour.length} hourly and ${stored.day.length} daily rows`);
  assert.deepEqual(new Set(stored.hour.map((row) => row[0])).size, 4);
  assert.deepEqual(new Set(stored.day.map((row) => row[0])).size, 2);
  for (const grain of ['hour', 'day'] as const) {
    assert.deepEqual(stored[grain], recomputed[grain], `${grain}: stored rollups against those of the raw rows`);
    assert.deepEqual(stored[grain], sorted(expected[grain]), `${grain}: stored rollups against the JS rows of all records`);
  }
}

test('the writer thread stores the rollups of the raw rows, over batches that add to combinations already stored', async () => {
  const folder = await mkdtemp(join(tmpdir(), 'switchyard-rollup-batches-'));
  const file = join(folder, 'store.db');
  try {
    const store = await openSqliteStore(file);
    try {
      // Uneven batches, so most combinations exist before a later batch adds to them, and some start in a later one.
      for (const [from, to] of [[0, 1], [1, 200], [200, 210], [210, 640], [640, 900]] as const) await store.ledger.insertBatch(records.slice(from, to));
    } finally {
      await store.close();
    }
    assertRollupsOfAll(file);
  } finally {
    await rm(folder, { recursive: true, force: true });
  }
});

test('two writers on one file (two gateway processes) interleave batches without losing or doubling a rollup', async () => {
  const folder = await mkdtemp(join(tmpdir(), 'switchyard-rollup-writers-'));
  const file = join(folder, 'store.db');
  try {
    // Opening the store creates the schema; its own writer is one of the two.
    const store = await openSqliteStore(file);
    const other = new SqliteLedgerWriter(file);
    try {
      const batches = Array.from({ length: 30 }, (_unused, index) => records.slice(index * 30, index * 30 + 30));
      await Promise.all(batches.map((batch, index) => (index % 2 === 0 ? store.ledger.insertBatch(batch) : other.insertBatch(batch))));
    } finally {
      await other.close();
      await store.close();
    }
    assertRollupsOfAll(file);
  } finally {
    await rm(folder, { recursive: true, force: true });
  }
});
