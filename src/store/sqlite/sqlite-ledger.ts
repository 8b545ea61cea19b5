import type Database from 'better-sqlite3';
import type { AttemptRecord, RequestRecord, UsageQuery, UsageRow } from '../../ledger/ledger-record.js';
import { attemptColumns, attemptRow, requestColumns, requestRow, tagColumns, tagRows, tagsFromColumn, routerFieldsFrom, usageGroupColumns } from '../ledger-columns.js';
import { rollupRowFrom, rollupSql } from '../rollup-sql.js';
import { seriesRowFrom, seriesSql } from '../series-sql.js';
import type { RollupQuery, RollupRow, SeriesQuery, SeriesRow } from '../store.js';
import { roundUsd } from '../../ledger/money.js';

const groupColumns = usageGroupColumns("strftime('%Y-%m-%d', started_at / 1000, 'unixepoch')");

type Row = Record<string, unknown>;

/** SQLite has no boolean type. */
const sqliteFlag = (flag: boolean) => (flag ? 1 : 0);

/** The rows of a batch of records, requests and attempts apart: what crosses to the writer thread (flat arrays clone far faster than records). */
export interface LedgerRows {
  requests: unknown[][];
  attempts: unknown[][];
  tags: unknown[][];
}

export function ledgerRows(records: RequestRecord[]): LedgerRows {
  const rows: LedgerRows = { requests: [], attempts: [], tags: [] };
  for (const record of records) {
    rows.requests.push(requestRow(record, sqliteFlag));
    if (record.tags) rows.tags.push(...tagRows(record));
    for (const attempt of record.attempts) rows.attempts.push(attemptRow(record.id, attempt, sqliteFlag));
  }
  return rows;
}

/** Rows per INSERT statement: multi-row inserts with positional values are several times cheaper than one row each. */
const rowsPerStatement = 50;

export class SqliteLedgerRepository {
  private readonly statements = new Map<string, Database.Statement>();
  private readonly writeRows: (rows: LedgerRows) => void;

  constructor(private readonly database: Database.Database) {
    this.writeRows = database.transaction((rows: LedgerRows) => {
      this.insertAll('requests', requestColumns, rows.requests);
      this.insertAll('attempts', attemptColumns, rows.attempts);
      if (rows.tags.length > 0) this.insertAll('request_tags', tagColumns, rows.tags);
    });
  }

  private insertAll(table: string, columns: string[], rows: unknown[][]): void {
    for (let start = 0; start < rows.length; start += rowsPerStatement) {
      const chunk = rows.slice(start, start + rowsPerStatement);
      this.insert(table, columns, chunk.length).run(chunk.flat());
    }
  }

  private insert(table: string, columns: string[], rows: number): Database.Statement {
    const key = `${table}:${rows}`;
    let statement = this.statements.get(key);
    if (!statement) {
      const placeholders = `(${columns.map(() => '?').join(', ')})`;
      statement = this.database.prepare(`INSERT INTO ${table} (${columns.join(', ')}) VALUES ${Array.from({ length: rows }, () => placeholders).join(', ')}`);
      this.statements.set(key, statement);
    }
    return statement;
  }

  insertBatch(records: RequestRecord[]): void {
    this.writeRows(ledgerRows(records));
  }

  /** Writes rows already flattened by `ledgerRows`, in one transaction. */
  insertRows(rows: LedgerRows): void {
    this.writeRows(rows);
  }

  usage(query: UsageQuery): UsageRow[] {
    const column = groupColumns[query.groupBy];
    const rows = this.database
      .prepare(
        `SELECT ${column} AS "group", COUNT(*) AS requests, SUM(CASE WHEN status >= 400 THEN 1 ELSE 0 END) AS errors,
          SUM(input_tokens + cached_input_tokens + cache_write_tokens) AS inputTokens, SUM(cached_input_tokens) AS cachedInputTokens,
          SUM(output_tokens) AS outputTokens, SUM(reasoning_tokens) AS reasoningTokens, SUM(cost_usd) AS costUsd, SUM(saved_usd) AS savedUsd
         FROM requests WHERE started_at >= @from AND started_at < @to AND (@keyId IS NULL OR key_id = @keyId)
         GROUP BY 1 ORDER BY costUsd DESC, requests DESC`,
      )
      .all({ from: query.from ?? 0, to: query.to ?? Number.MAX_SAFE_INTEGER, keyId: query.keyId ?? null }) as UsageRow[];
    return rows.map((row) => ({ ...row, costUsd: roundUsd(row.costUsd), savedUsd: roundUsd(row.savedUsd) }));
  }

  count(): { requests: number; attempts: number } {
    const requests = (this.database.prepare('SELECT COUNT(*) AS n FROM requests').get() as { n: number }).n;
    const attempts = (this.database.prepare('SELECT COUNT(*) AS n FROM attempts').get() as { n: number }).n;
    return { requests, attempts };
  }

  rollup(query: RollupQuery): RollupRow[] {
    const { text, values } = rollupSql(query, 'sqlite');
    return (this.database.prepare(text).all(...values) as Row[]).map(rollupRowFrom);
  }

  series(query: SeriesQuery): SeriesRow[] {
    const { text, values } = seriesSql(query, 'sqlite');
    return (this.database.prepare(text).all(...values) as Row[]).map(seriesRowFrom);
  }

  get(id: string): RequestRecord | undefined {
    const row = this.database.prepare('SELECT * FROM requests WHERE id = ?').get(id) as Row | undefined;
    if (!row) return undefined;
    const attempts = this.database.prepare('SELECT * FROM attempts WHERE request_id = ? ORDER BY attempt').all(id) as Row[];
    const record = fromRow(row);
    tagsFromColumn(record);
    return { ...routerFieldsFrom(record), attempts: attempts.map(attemptFromRow) } as RequestRecord;
  }
}

function camel(name: string): string {
  return name.replace(/_([a-z])/g, (_match, letter: string) => letter.toUpperCase());
}

export function fromRow(row: Row): Row {
  const result: Row = {};
  for (const [name, value] of Object.entries(row)) result[camel(name)] = value;
  for (const flag of ['stream', 'estimated', 'cacheHit', 'shadow']) if (flag in result) result[flag] = result[flag] === 1;
  return result;
}

function attemptFromRow(row: Row): AttemptRecord {
  const result = fromRow(row);
  delete result.requestId;
  return result as unknown as AttemptRecord;
}
