import type pg from 'pg';
import { inTransaction } from './postgres-transaction.js';
import { deleteLedgerBefore, ensurePartitions } from './postgres-partitions.js';
import type { AttemptRecord, RequestRecord, UsageQuery, UsageRow } from '../../ledger/ledger-record.js';
import { attemptColumns, attemptRow, requestColumns, requestRow, tagColumns, tagRows, tagsFromColumn, routerFieldsFrom } from '../ledger-columns.js';
import { rollupRowFrom } from '../rollup-sql.js';
import { mergeRollupRows, rollupGrains, rollupReadSql, rollupTableColumns, rollupTableRows, rollupUpsertSql, usageFromRollup } from '../rollup-table.js';
import type { LedgerRepository } from '../store.js';
import { seriesRowFrom, seriesSql } from '../series-sql.js';
import { roundUsd } from '../../ledger/money.js';

const postgresFlag = (flag: boolean) => flag;

/** PostgreSQL accepts at most 65535 parameters in one statement. */
const maxParameters = 65_535;

type Row = Record<string, unknown>;

function camel(name: string): string {
  return name.replace(/_([a-z])/g, (_match, letter: string) => letter.toUpperCase());
}

export function fromRow(row: Row): Row {
  const result: Row = {};
  for (const [name, value] of Object.entries(row)) result[camel(name)] = value;
  return result;
}

function attemptFromRow(row: Row): AttemptRecord {
  const result = fromRow(row);
  delete result.requestId;
  return result as unknown as AttemptRecord;
}

/** Inserts rows with as few multi-row INSERT statements as the parameter limit allows (one for any usual batch). */
export async function insertRows(client: pg.PoolClient, table: string, columns: string[], rows: unknown[][]): Promise<void> {
  const perStatement = Math.floor(maxParameters / columns.length);
  for (let start = 0; start < rows.length; start += perStatement) {
    const chunk = rows.slice(start, start + perStatement);
    const tuples = chunk.map((_row, rowIndex) => {
      const offset = rowIndex * columns.length;
      return `(${columns.map((_column, columnIndex) => `$${offset + columnIndex + 1}`).join(', ')})`;
    });
    await client.query(`INSERT INTO ${table} (${columns.join(', ')}) VALUES ${tuples.join(', ')}`, chunk.flat());
  }
}

export function postgresLedger(pool: pg.Pool): LedgerRepository {
  const repository: LedgerRepository = {
    async insertBatch(records) {
      if (records.length === 0) return;
      const requests = records.map((record) => requestRow(record, postgresFlag));
      const attempts = records.flatMap((record) => record.attempts.map((attempt) => attemptRow(record.id, attempt, postgresFlag)));
      const tags = records.flatMap(tagRows);
      await inTransaction(pool, async (client) => {
        await insertRows(client, 'requests', requestColumns, requests);
        if (attempts.length > 0) await insertRows(client, 'attempts', attemptColumns, attempts);
        if (tags.length > 0) await insertRows(client, 'request_tags', tagColumns, tags);
        const perStatement = Math.floor(maxParameters / rollupTableColumns.length);
        const rollups = rollupTableRows(records, postgresFlag);
        for (const grain of rollupGrains) {
          const rows = rollups[grain];
          for (let start = 0; start < rows.length; start += perStatement) {
            const chunk = rows.slice(start, start + perStatement);
            await client.query(rollupUpsertSql(chunk.length, 'postgres', grain), chunk.flat());
          }
        }
      });
    },

    /** Read from the hourly rollups (and raw requests for partial hours at the ends of the range). */
    async usage(query: UsageQuery): Promise<UsageRow[]> {
      return usageFromRollup(await repository.rollup({ bucket: 'day', from: query.from ?? 0, to: query.to ?? Number.MAX_SAFE_INTEGER }), query);
    },

    async count() {
      const result = await pool.query<{ requests: number; attempts: number }>(
        'SELECT (SELECT COUNT(*) FROM requests) AS requests, (SELECT COUNT(*) FROM attempts) AS attempts',
      );
      const row = result.rows[0];
      return { requests: row?.requests ?? 0, attempts: row?.attempts ?? 0 };
    },

    async rollup(query) {
      const results = await Promise.all(rollupReadSql(query, 'postgres').map(({ text, values }) => pool.query<Row>(text, values)));
      return mergeRollupRows(results.map((result) => result.rows.map(rollupRowFrom)));
    },

    deleteBefore: (before) => deleteLedgerBefore(pool, before),

    async prepare(now) {
      await ensurePartitions(pool, now);
    },

    async series(query) {
      const { text, values } = seriesSql(query, 'postgres');
      return (await pool.query<Row>(text, values)).rows.map(seriesRowFrom);
    },

    async get(id) {
      const request = await pool.query<Row>('SELECT * FROM requests WHERE id = $1', [id]);
      const row = request.rows[0];
      if (!row) return undefined;
      const attempts = await pool.query<Row>('SELECT * FROM attempts WHERE request_id = $1 ORDER BY attempt', [id]);
      const record = fromRow(row);
      tagsFromColumn(record);
      return { ...routerFieldsFrom(record), attempts: attempts.rows.map(attemptFromRow) } as unknown as RequestRecord;
    },
  };
  return repository;
}
