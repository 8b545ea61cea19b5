import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import Database from 'better-sqlite3';
import type { RequestRecord } from '../../ledger/ledger-record.js';
import { rollupRecords } from '../../reports/rollup-records.js';
import { requestColumns, requestRow } from '../ledger-columns.js';
import { sqliteMigrations } from './sqlite-schema.js';
import { openSqliteStore } from './sqlite-store.js';

const march1 = Date.UTC(2025, 2, 1);

function record(id: string, startedAt: number, overrides: Partial<RequestRecord> = {}): RequestRecord {
  return {
    id, startedAt, endpoint: 'chat', keyId: 'k1', customer: id.endsWith('1') ? null : 'acme', team: 'red', requestedModel: 'gpt-x', route: 'fast', provider: 'openai',
    upstreamModel: 'gpt-x-2025', stream: false, status: id.endsWith('7') ? 502 : 200, errorCode: null, inputTokens: 10, cachedInputTokens: 1, cacheWriteTokens: 0,
    outputTokens: 5, reasoningTokens: 2, costUsd: 0.125, latencyMs: 100, ttftMs: null, estimated: false, catalogVersion: 'test', cacheHit: false, savedUsd: 0.5,
    attempts: [], ...overrides,
  };
}

test('sqlite: a database from before the rollup table gets it filled from its requests on open', async () => {
  const folder = mkdtempSync(join(tmpdir(), 'switchyard-upgrade-'));
  const file = join(folder, 'store.db');
  const records = Array.from({ length: 40 }, (_value, index) => record(`r${index}`, march1 + index * 23 * 60_000));
  try {
    const database = new Database(file);
    // The schema as the release before this one left it, with rows written the way it wrote them.
    for (let index = 0; index < sqliteMigrations.length - 1; index += 1) database.exec(sqliteMigrations[index] as string);
    database.pragma(`user_version = ${sqliteMigrations.length - 1}`);
    const insert = database.prepare(`INSERT INTO requests (${requestColumns.join(', ')}) VALUES (${requestColumns.map(() => '?').join(', ')})`);
    for (const item of records) insert.run(requestRow(item, (flag) => (flag ? 1 : 0)));
    database.close();

    const store = openSqliteStore(file);
    try {
      const sorted = <T>(rows: T[]) => [...rows].sort((left, right) => (JSON.stringify(left) < JSON.stringify(right) ? -1 : 1));
      const query = { bucket: 'hour' as const, from: march1, to: march1 + 86_400_000 };
      assert.deepEqual(sorted(await store.ledger.rollup(query)), sorted(rollupRecords(records, query)));
      const usage = await store.ledger.usage({ groupBy: 'customer' });
      assert.deepEqual(usage.map((row) => [row.group, row.requests, row.errors]), [['acme', 36, 4], [null, 4, 0]]);
    } finally {
      await store.close();
    }
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
});
