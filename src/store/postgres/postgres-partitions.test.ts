import assert from 'node:assert/strict';
import { test } from 'node:test';
import pg from 'pg';
import type { RequestRecord } from '../../ledger/ledger-record.js';
import { rollupRecords } from '../../reports/rollup-records.js';
import { attemptColumns, attemptRow, requestColumns, requestRow, tagColumns, tagRows } from '../ledger-columns.js';
import { insertRows } from './postgres-ledger.js';
import { migratePostgres, postgresMigrations } from './postgres-schema.js';
import { openPostgresStore } from './postgres-store.js';
import { createTestSchema, queryTestSchema, type TestSchema } from './postgres-test-database.js';

const hour = 3_600_000;
const day = 24 * hour;
const january2030 = Date.UTC(2030, 0, 1);
const february2030 = Date.UTC(2030, 1, 1);

function record(id: string, startedAt: number, tags?: Record<string, string>): RequestRecord {
  return {
    id, startedAt, endpoint: 'chat', keyId: 'k1', customer: 'acme', team: 'red', requestedModel: 'gpt-x', route: null, provider: 'openai',
    upstreamModel: 'gpt-x-2025', stream: false, status: 200, errorCode: null, inputTokens: 10, cachedInputTokens: 0, cacheWriteTokens: 0,
    outputTokens: 5, reasoningTokens: 0, costUsd: 0.25, latencyMs: 100, ttftMs: null, estimated: false, catalogVersion: 'test', cacheHit: false, savedUsd: 0,
    attempts: [{ attempt: 1, startedAt, provider: 'openai', upstreamModel: 'gpt-x-2025', model: 'gpt-x', status: 200, errorCode: null, inputTokens: 10, cachedInputTokens: 0, cacheWriteTokens: 0, outputTokens: 5, reasoningTokens: 0, costUsd: 0.25, latencyMs: 100, ttftMs: null, estimated: false, shadow: false }],
    ...(tags ? { tags } : {}),
  };
}

async function partitionsOf(schema: TestSchema, table: string): Promise<string[]> {
  const rows = await queryTestSchema<{ name: string }>(schema, `SELECT c.relname AS name FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid WHERE i.inhparent = '${table}'::regclass ORDER BY 1`);
  return rows.map((row) => row.name);
}

test('postgres: partitions are created ahead by month, and retention drops whole months and deletes the rest in batches', async () => {
  const schema = await createTestSchema();
  const store = await openPostgresStore(schema.url);
  try {
    await store.ledger.prepare(january2030 + 10 * day);
    await store.ledger.prepare(january2030 + 11 * day);
    for (const table of ['requests', 'attempts']) {
      const names = await partitionsOf(schema, table);
      for (const month of ['01', '02', '03']) assert.ok(names.includes(`${table}_y2030m${month}`), `${table} has a partition for 2030-${month}: ${names.join(', ')}`);
      assert.ok(names.includes(`${table}_default`));
    }
    const january = Array.from({ length: 40 }, (_value, index) => record(`jan-${index}`, january2030 + index * hour, index % 4 === 0 ? { team: 'x' } : undefined));
    const earlyFebruary = Array.from({ length: 10 }, (_value, index) => record(`feb-early-${index}`, february2030 + index * hour, { team: 'y' }));
    const lateFebruary = Array.from({ length: 5 }, (_value, index) => record(`feb-late-${index}`, february2030 + 20 * day + index * hour, { team: 'z' }));
    await store.ledger.insertBatch([...january, ...earlyFebruary, ...lateFebruary]);
    assert.equal((await queryTestSchema<{ n: number }>(schema, 'SELECT COUNT(*)::int AS n FROM requests_y2030m01'))[0]?.n, 40, 'January rows are in their partition');

    assert.equal(await store.ledger.deleteBefore(february2030 + 15 * day), january.length + earlyFebruary.length);
    for (const table of ['requests', 'attempts']) assert.ok(!(await partitionsOf(schema, table)).includes(`${table}_y2030m01`), `${table}_y2030m01 was dropped`);
    const left = await queryTestSchema<{ id: string }>(schema, 'SELECT id FROM requests ORDER BY id');
    assert.deepEqual(left.map((row) => row.id), lateFebruary.map((item) => item.id).sort());
    const tags = await queryTestSchema<{ value: string; n: number }>(schema, 'SELECT value, COUNT(*)::int AS n FROM request_tags GROUP BY value ORDER BY value');
    assert.deepEqual(tags, [{ value: 'z', n: 5 }], 'tags went with their requests');
    assert.equal((await queryTestSchema<{ n: number }>(schema, 'SELECT COUNT(*)::int AS n FROM attempts'))[0]?.n, 5);
    const rolled = await store.ledger.rollup({ bucket: 'day', from: january2030, to: february2030 });
    assert.deepEqual(rolled.map((row) => row.requests).reduce((sum, value) => sum + value, 0), 40, 'January stays in the rollups');
  } finally {
    await store.close();
    await schema.drop();
  }
});

test('postgres: a database from before partitioning and rollups is upgraded in place, its rows kept and rolled up', async () => {
  const schema = await createTestSchema();
  const before = Date.UTC(2025, 2, 1);
  const records = Array.from({ length: 30 }, (_value, index) => record(`old-${index}`, before + index * 37 * 60_000, index % 3 === 0 ? { kind: 'tagged' } : undefined));
  const pool = new pg.Pool({ connectionString: schema.url, max: 2 });
  try {
    // The schema as the release before this one left it, with rows written the way it wrote them.
    await migratePostgres(pool, postgresMigrations.slice(0, postgresMigrations.length - 2));
    const client = await pool.connect();
    try {
      await insertRows(client, 'requests', requestColumns, records.map((item) => requestRow(item, (flag) => flag)));
      await insertRows(client, 'attempts', attemptColumns, records.flatMap((item) => item.attempts.map((one) => attemptRow(item.id, one, (flag) => flag))));
      await insertRows(client, 'request_tags', tagColumns, records.flatMap(tagRows));
    } finally {
      client.release();
    }
  } finally {
    await pool.end();
  }
  const store = await openPostgresStore(schema.url);
  try {
    const kind = await queryTestSchema<{ relkind: string }>(schema, "SELECT relkind FROM pg_class WHERE relname = 'requests' AND relnamespace = current_schema()::regnamespace");
    assert.equal(kind[0]?.relkind, 'p', 'requests is a partitioned table');
    assert.ok((await partitionsOf(schema, 'requests')).includes('requests_legacy'));
    const query = { bucket: 'hour' as const, from: before, to: before + day };
    const sorted = <T>(rows: T[]) => [...rows].sort((left, right) => (JSON.stringify(left) < JSON.stringify(right) ? -1 : 1));
    assert.deepEqual(sorted(await store.ledger.rollup(query)), sorted(rollupRecords(records, query)), 'the rollup table was filled from the existing rows');
    const rollupRows = await queryTestSchema<{ n: number }>(schema, 'SELECT SUM(requests)::int AS n FROM request_rollups');
    assert.equal(rollupRows[0]?.n, records.length);
    assert.equal((await store.ledger.get('old-3'))?.attempts.length, 1);
    await store.ledger.insertBatch([record('after-upgrade', Date.now())]);
    assert.deepEqual(await store.ledger.count(), { requests: records.length + 1, attempts: records.length + 1 });
  } finally {
    await store.close();
    await schema.drop();
  }
});
