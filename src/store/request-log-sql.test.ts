import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import Database from 'better-sqlite3';
import type { CaptureFilter } from '../quality/captured-request.js';
import { requestLogSql } from './request-log-sql.js';
import { sqliteMigrations } from './sqlite/sqlite-schema.js';

function migrated(): Database.Database {
  const database = new Database(':memory:');
  for (const migration of sqliteMigrations) database.exec(migration);
  return database;
}

function plan(database: Database.Database, filter: CaptureFilter, after?: { startedAt: number; id: string }): string {
  const { text, values } = requestLogSql({ filter, limit: 51, ...(after ? { after } : {}) }, 'sqlite');
  const rows = database.prepare(`EXPLAIN QUERY PLAN ${text}`).all(...values) as Array<{ detail: string }>;
  return rows.map((row) => row.detail).join('\n');
}

describe('the request log query walks an index in the order it pages', () => {
  const database = migrated();

  test('no filter: the newest-first index, no sort of the table', () => {
    const detail = plan(database, {}, { startedAt: 1, id: 'x' });
    assert.match(detail, /requests_newest/);
    assert.doesNotMatch(detail, /USE TEMP B-TREE FOR ORDER BY/);
  });

  for (const [field, index] of [['model', 'requests_model_newest'], ['keyId', 'requests_key_newest'], ['customer', 'requests_customer_newest'], ['route', 'requests_route_newest']] as const) {
    test(`${field}: its own index, already in page order`, () => {
      const detail = plan(database, { [field]: 'value', from: 0, status: 'error', tags: { team: 'support' }, feedback: [{ metric: 'resolved', value: true }] });
      assert.match(detail, new RegExp(index));
      assert.doesNotMatch(detail, /USE TEMP B-TREE FOR ORDER BY/);
    });
  }

  test('tag and feedback conditions are primary-key lookups', () => {
    const detail = plan(database, { tags: { team: 'support' }, feedback: [{ metric: 'rating', op: 'gte', value: 4 }] });
    assert.match(detail, /SEARCH t EXISTS USING .*\(request_id=\? AND name=\?\)/);
    assert.match(detail, /SEARCH f EXISTS USING .*\(request_id=\? AND metric=\?\)/);
  });

  test('both dialects take the same parameters in the same order', () => {
    const filter: CaptureFilter = { from: 1, to: 2, model: 'm', status: 500, tags: { a: 'b' }, feedback: [{ metric: 'r', op: 'lte', value: 3 }, { metric: 'ok', value: false }] };
    const sqlite = requestLogSql({ filter, limit: 10, after: { startedAt: 5, id: 'id' } }, 'sqlite');
    const postgres = requestLogSql({ filter, limit: 10, after: { startedAt: 5, id: 'id' } }, 'postgres');
    assert.deepEqual(sqlite.values, postgres.values);
    assert.deepEqual(sqlite.values, [1, 2, 'm', 500, 'a', 'b', 'r', 3, 'ok', 0, 5, 5, 'id', 10]);
    assert.equal((postgres.text.match(/\$\d+/g) ?? []).length, sqlite.values.length);
  });
});
