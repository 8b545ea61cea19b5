import type pg from 'pg';
import { inTransaction } from './postgres-transaction.js';
import type { AttemptRecord, RequestRecord, UsageQuery, UsageRow } from '../../ledger/ledger-record.js';
import { attemptColumns, attemptRow, requestColumns, requestRow, tagColumns, tagRows, tagsFromColumn, routerFieldsFrom, usageGroupColumns } from '../ledger-columns.js';
import { rollupRowFrom, rollupSql } from '../rollup-sql.js';
import { seriesRowFrom, seriesSql } from '../series-sql.js';
import type { LedgerRepository } from '../store.js';
import { roundUsd } from '../../ledger/money.js';

const groupColumns = usageGroupColumns("to_char(to_timestamp(started_at / 1000.0) AT TIME ZONE 'UTC', 'YYYY-MM-DD')");

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
  return {
    async insertBatch(records) {
      if (records.length === 0) return;
      const requests = records.map((record) => requestRow(record, postgresFlag));
      const attempts = records.flatMap((record) => record.attempts.map((attempt) => attemptRow(record.id, attempt, postgresFlag)));
      const tags = records.flatMap(tagRows);
      await inTransaction(pool, async (client) => {
        await insertRows(client, 'requests', requestColumns, requests);
        if (attempts.length > 0) await insertRows(client, 'attempts', attemptColumns, attempts);
        if (tags.length > 0) await insertRows(client, 'request_tags', tagColumns, tags);
      });
    },

    async usage(query: UsageQuery): Promise<UsageRow[]> {
      const column = groupColumns[query.groupBy];
      const result = await pool.query<UsageRow>(
        `SELECT ${column} AS "group", COUNT(*) AS requests, COUNT(*) FILTER (WHERE status >= 400) AS errors,
          SUM(input_tokens + cached_input_tokens + cache_write_tokens)::BIGINT AS "inputTokens",
          SUM(cached_input_tokens)::BIGINT AS "cachedInputTokens", SUM(output_tokens)::BIGINT AS "outputTokens",
          SUM(reasoning_tokens)::BIGINT AS "reasoningTokens", SUM(cost_usd) AS "costUsd", SUM(saved_usd) AS "savedUsd"
         FROM requests WHERE started_at >= $1 AND started_at < $2 AND ($3::text IS NULL OR key_id = $3)
         GROUP BY 1 ORDER BY "costUsd" DESC, requests DESC`,
        [query.from ?? 0, query.to ?? Number.MAX_SAFE_INTEGER, query.keyId ?? null],
      );
      return result.rows.map((row) => ({ ...row, costUsd: roundUsd(row.costUsd), savedUsd: roundUsd(row.savedUsd) }));
    },

    async count() {
      const result = await pool.query<{ requests: number; attempts: number }>(
        'SELECT (SELECT COUNT(*) FROM requests) AS requests, (SELECT COUNT(*) FROM attempts) AS attempts',
      );
      const row = result.rows[0];
      return { requests: row?.requests ?? 0, attempts: row?.attempts ?? 0 };
    },

    async rollup(query) {
      const { text, values } = rollupSql(query, 'postgres');
      return (await pool.query<Row>(text, values)).rows.map(rollupRowFrom);
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
}
