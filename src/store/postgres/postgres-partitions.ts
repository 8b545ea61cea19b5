import type pg from 'pg';
import { partitionedTables } from './postgres-partition-sql.js';

interface Partition {
  name: string;
  /** Inclusive lower bound, epoch ms; -Infinity for MINVALUE. */
  from: number;
  /** Exclusive upper bound, epoch ms. */
  to: number;
}

/** Bounded so no statement of the clean-up holds its row locks long. */
const deleteBatch = 5_000;

const lockTimeoutMs = 2_000;

/** Any fixed number works; every replica must use the same one. */
const upkeepLockId = 7_346_190_212;

function monthStart(year: number, month: number): number {
  return Date.UTC(year, month, 1);
}

function bound(text: string): number {
  return text === 'MINVALUE' ? Number.NEGATIVE_INFINITY : text === 'MAXVALUE' ? Number.POSITIVE_INFINITY : Number(text.replace(/'/g, ''));
}

/** The range partitions of a table (the default partition has no range and is left out). */
async function rangePartitions(client: pg.PoolClient, table: string): Promise<Partition[]> {
  const result = await client.query<{ name: string; bounds: string }>(
    `SELECT c.relname AS name, pg_get_expr(c.relpartbound, c.oid) AS bounds FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
     WHERE i.inhparent = $1::regclass`,
    [table],
  );
  const partitions: Partition[] = [];
  for (const row of result.rows) {
    const match = /FROM \(([^)]+)\) TO \(([^)]+)\)/.exec(row.bounds);
    if (match) partitions.push({ name: row.name, from: bound(match[1] as string), to: bound(match[2] as string) });
  }
  return partitions;
}

async function withUpkeepLock<T>(pool: pg.Pool, work: (client: pg.PoolClient) => Promise<T>): Promise<T | undefined> {
  const client = await pool.connect();
  try {
    const locked = await client.query<{ locked: boolean }>('SELECT pg_try_advisory_lock($1) AS locked', [upkeepLockId]);
    if (!locked.rows[0]?.locked) return undefined;
    // Creating or dropping a partition locks the parent table: give up rather than queue behind a long query, with
    // every request's insert queued behind us. The next sweep tries again.
    await client.query(`SET lock_timeout = '${lockTimeoutMs}ms'`);
    try {
      return await work(client);
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw error;
    } finally {
      await client.query('RESET lock_timeout');
      await client.query('SELECT pg_advisory_unlock($1)', [upkeepLockId]);
    }
  } finally {
    client.release();
  }
}

/**
 * Creates the partitions of this month and the next `monthsAhead` where no partition covers them yet. Replicas take
 * turns on an advisory lock; one that finds it taken skips, since the holder does the same work.
 */
export async function ensurePartitions(pool: pg.Pool, now: number, monthsAhead = 2): Promise<string[]> {
  const created = await withUpkeepLock(pool, async (client) => {
    const made: string[] = [];
    const date = new Date(now);
    for (const table of partitionedTables) {
      const existing = await rangePartitions(client, table);
      for (let offset = 0; offset <= monthsAhead; offset += 1) {
        const from = monthStart(date.getUTCFullYear(), date.getUTCMonth() + offset);
        const to = monthStart(date.getUTCFullYear(), date.getUTCMonth() + offset + 1);
        if (existing.some((partition) => partition.from < to && partition.to > from)) continue;
        const month = new Date(from);
        const name = `${table}_y${month.getUTCFullYear()}m${String(month.getUTCMonth() + 1).padStart(2, '0')}`;
        await client.query(`CREATE TABLE ${name} PARTITION OF ${table} FOR VALUES FROM (${from}) TO (${to})`);
        made.push(name);
      }
    }
    return made;
  });
  return created ?? [];
}

/**
 * Deletes the ledger rows that started before `before`: whole partitions below it are dropped (a catalog change,
 * not a scan), and the rest (the partition that straddles `before`, and the default one) goes in batches of
 * {@link deleteBatch} rows, each its own statement. Tags go with their requests. Returns the requests deleted, or
 * undefined when another replica is doing it.
 */
export async function deleteLedgerBefore(pool: pg.Pool, before: number): Promise<number | undefined> {
  return withUpkeepLock(pool, async (client) => {
    let deleted = 0;
    for (const table of partitionedTables) {
      for (const partition of await rangePartitions(client, table)) {
        if (partition.to > before) continue;
        if (table === 'requests') {
          deleted += Number((await client.query<{ count: number }>(`SELECT COUNT(*) AS count FROM ${partition.name}`)).rows[0]?.count ?? 0);
          await client.query(`DELETE FROM request_tags t USING ${partition.name} r WHERE t.request_id = r.id`);
        }
        await client.query(`DROP TABLE ${partition.name}`);
      }
    }
    for (;;) {
      await client.query('BEGIN');
      const removed = await client.query<{ id: string }>(
        `WITH doomed AS (SELECT id, started_at FROM requests WHERE started_at < $1 LIMIT ${deleteBatch})
         DELETE FROM requests r USING doomed d WHERE r.id = d.id AND r.started_at = d.started_at RETURNING r.id`,
        [before],
      );
      const ids = removed.rows.map((row) => row.id);
      if (ids.length > 0) {
        await client.query('DELETE FROM attempts WHERE request_id = ANY($1)', [ids]);
        await client.query('DELETE FROM request_tags WHERE request_id = ANY($1)', [ids]);
      }
      await client.query('COMMIT');
      deleted += ids.length;
      if (ids.length < deleteBatch) break;
    }
    return deleted;
  });
}
