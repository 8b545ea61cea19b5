import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import Database from 'better-sqlite3';
import pg from 'pg';
import { migratePostgres, postgresMigrations } from './postgres/postgres-schema.js';
import { openPostgresStore } from './postgres/postgres-store.js';
import { createTestSchema, queryTestSchema } from './postgres/postgres-test-database.js';
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

const sampleEntry = { at: 1, actor: { id: 'key_a', role: 'admin' as const }, action: 'key.revoke', target: 'key_b', clientAddress: null, before: null, after: null };

test('SQLite refuses UPDATE and DELETE on the audit log itself', async () => {
  const folder = await mkdtemp(join(tmpdir(), 'switchyard-audit-'));
  try {
    const file = join(folder, 'audit.db');
    const store = openSqliteStore(file);
    await store.audit.append(sampleEntry);
    await store.close();
    const database = new Database(file);
    try {
      assert.throws(() => database.exec("UPDATE audit_log SET action = 'nothing'"), /append-only/);
      assert.throws(() => database.exec('DELETE FROM audit_log'), /append-only/);
      assert.equal((database.prepare('SELECT action FROM audit_log').get() as { action: string }).action, 'key.revoke');
    } finally {
      database.close();
    }
  } finally {
    await rm(folder, { recursive: true, force: true });
  }
});

test('PostgreSQL refuses UPDATE and DELETE on the audit log itself', async () => {
  const schema = await createTestSchema();
  try {
    const store = await openPostgresStore(schema.url);
    try {
      await store.audit.append(sampleEntry);
    } finally {
      await store.close();
    }
    await assert.rejects(queryTestSchema(schema, "UPDATE audit_log SET action = 'nothing'"), /append-only/);
    await assert.rejects(queryTestSchema(schema, 'DELETE FROM audit_log'), /append-only/);
    assert.deepEqual(await queryTestSchema(schema, 'SELECT action FROM audit_log'), [{ action: 'key.revoke' }]);
  } finally {
    await schema.drop();
  }
});
