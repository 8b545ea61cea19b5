import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import Database from 'better-sqlite3';
import pg from 'pg';
import { migratePostgres, postgresMigrations } from './postgres/postgres-schema.js';
import { openPostgresStore } from './postgres/postgres-store.js';
import { createTestSchema } from './postgres/postgres-test-database.js';
import { sqliteMigrations } from './sqlite/sqlite-schema.js';
import { openSqliteStore } from './sqlite/sqlite-store.js';

const before = (migrations: string[]) => migrations.slice(0, migrations.findIndex((sql) => sql.includes('ADD COLUMN role')));
const oldKeyRow = `INSERT INTO keys (id, name, hash, prefix, models, team, tags, created_at) VALUES ('k_old', 'old', 'hash-old', 'sy-old', NULL, NULL, '{}', 1)`;

test('an SQLite database made before roles upgrades: its keys read as client keys and roles can be stored', async () => {
  const folder = await mkdtemp(join(tmpdir(), 'switchyard-upgrade-'));
  try {
    const file = join(folder, 'old.db');
    const database = new Database(file);
    const earlier = before(sqliteMigrations);
    assert.ok(earlier.length > 0 && earlier.length < sqliteMigrations.length);
    for (const sql of earlier) database.exec(sql);
    database.pragma(`user_version = ${earlier.length}`);
    database.exec(oldKeyRow);
    database.close();
    const store = openSqliteStore(file);
    try {
      const upgraded = await store.keys.get('k_old');
      assert.equal(upgraded?.role, null);
      assert.equal(upgraded?.allowedCidrs, null);
      assert.equal((await store.keys.findByHash('hash-old'))?.id, 'k_old');
    } finally {
      await store.close();
    }
  } finally {
    await rm(folder, { recursive: true, force: true });
  }
});

test('a PostgreSQL database made before roles upgrades the same way', async () => {
  const schema = await createTestSchema();
  try {
    const pool = new pg.Pool({ connectionString: schema.url, max: 1 });
    try {
      await migratePostgres(pool, before(postgresMigrations));
      await pool.query(oldKeyRow);
    } finally {
      await pool.end();
    }
    const store = await openPostgresStore(schema.url);
    try {
      assert.equal((await store.keys.get('k_old'))?.role, null);
      assert.equal((await store.keys.findByHash('hash-old'))?.id, 'k_old');
    } finally {
      await store.close();
    }
  } finally {
    await schema.drop();
  }
});
