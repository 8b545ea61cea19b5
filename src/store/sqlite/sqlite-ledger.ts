import type Database from 'better-sqlite3';
import type { AttemptRecord, RequestRecord, UsageQuery, UsageRow } from '../../ledger/ledger-record.js';
import { attemptColumns, attemptRow, requestColumns, requestRow, tagColumns, tagRows, tagsFromColumn, routerFieldsFrom } from '../ledger-columns.js';
import { rollupRowFrom } from '../rollup-sql.js';
import { mergeRollupRows, rollupBatchUpsertSql, rollupGrains, rollupReadSql, usageFromRollup } from '../rollup-table.js';
import type { RollupQuery, RollupRow, SeriesQuery, SeriesRow } from '../store.js';
import { seriesRowFrom, seriesSql } from '../series-sql.js';
import { roundUsd } from '../../ledger/money.js';

type Row = Record<string, unknown>;

/** SQLite has no boolean type. */
const sqliteFlag = (flag: boolean) => (flag ? 1 : 0);

/** The rows of a batch of records, requests and attempts apart: what crosses to the writer thread (flat arrays clone far faster than records). */
export interface LedgerRows {
  requests: unknown[][];
  attempts: unknown[][];
  tags: unknown[][];
}

/**
 * Flattens a batch of records; this runs on the gateway's event loop for every ledger batch. The rollup rows are not
 * computed here: the writer aggregates them in SQL from the rows it has just inserted (see `SqliteLedgerRepository`).
 */
export function ledgerRows(records: RequestRecord[]): LedgerRows {
  const rows: LedgerRows = { requests: [], attempts: [], tags: [] };
  for (const record of records) {
    rows.requests.push(requestRow(record, sqliteFlag));
    if (record.tags) rows.tags.push(...tagRows(record));
    for (const attempt of record.attempts) rows.attempts.push(attemptRow(record.id, attempt, sqliteFlag));
  }
  return rows;
}

/** Requests per retention transaction: small, so ledger batches get the write lock between them. */
export const retentionBatch = 2_000;

/** Rows per INSERT statement: multi-row inserts with positional values are several times cheaper than one row each. */
const rowsPerStatement = 50;

export class SqliteLedgerRepository {
  private readonly statements = new Map<string, Database.Statement>();
  private readonly writeRows: (rows: LedgerRows) => void;
  private readonly deleteBatch: (before: number) => number;

  /** `rollups: false` skips the rollup upserts, which only the benchmark of what they cost wants. */
  constructor(private readonly database: Database.Database, options: { rollups?: boolean } = {}) {
    const rollups = options.rollups ?? true;
    this.deleteBatch = database.transaction((before: number) => this.deleteBatchNow(before));
    // The batch's rollups are summed by SQLite over the rows whose rowid is above the largest before the batch, so the
    // transaction begins IMMEDIATE: it holds the write lock from the start, and no other connection (another gateway
    // process on the same file) can insert between reading those rowids and the rollup upserts.
    const write = database.transaction((rows: LedgerRows) => {
      const before = this.statement('rowids', () => 'SELECT (SELECT COALESCE(MAX(rowid), 0) FROM requests) AS requests, (SELECT COALESCE(MAX(rowid), 0) FROM attempts) AS attempts').get() as { requests: number; attempts: number };
      this.insertAll('requests', requestColumns, rows.requests);
      this.insertAll('attempts', attemptColumns, rows.attempts);
      if (rows.tags.length > 0) this.insertAll('request_tags', tagColumns, rows.tags);
      if (rollups) for (const grain of rollupGrains) this.statement(`rollups:${grain}`, () => rollupBatchUpsertSql(grain)).run(before);
    });
    this.writeRows = (rows) => write.immediate(rows);
  }

  private insertAll(table: string, columns: string[], rows: unknown[][]): void {
    for (let start = 0; start < rows.length; start += rowsPerStatement) {
      const chunk = rows.slice(start, start + rowsPerStatement);
      this.insert(table, columns, chunk.length).run(chunk.flat());
    }
  }

  private insert(table: string, columns: string[], rows: number): Database.Statement {
    const placeholders = `(${columns.map(() => '?').join(', ')})`;
    return this.statement(`${table}:${rows}`, () => `INSERT INTO ${table} (${columns.join(', ')}) VALUES ${Array.from({ length: rows }, () => placeholders).join(', ')}`);
  }

  private statement(key: string, text: () => string): Database.Statement {
    let statement = this.statements.get(key);
    if (!statement) {
      statement = this.database.prepare(text());
      this.statements.set(key, statement);
    }
    return statement;
  }

  /**
   * Deletes up to {@link retentionBatch} requests that started before `before`, with their attempts and tags, in one
   * short transaction; returns how many. The caller repeats until fewer come back, so writers get turns in between.
   */
  deleteBatchBefore(before: number): number {
    return this.deleteBatch(before);
  }

  private deleteBatchNow(before: number): number {
    const ids = JSON.stringify((this.statement('retention:ids', () => `SELECT id FROM requests WHERE started_at < ? LIMIT ${retentionBatch}`).all(before) as Array<{ id: string }>).map((row) => row.id));
    for (const table of ['request_tags', 'attempts']) this.statement(`retention:${table}`, () => `DELETE FROM ${table} WHERE request_id IN (SELECT value FROM json_each(?))`).run(ids);
    return this.statement('retention:requests', () => 'DELETE FROM requests WHERE id IN (SELECT value FROM json_each(?))').run(ids).changes;
  }

  insertBatch(records: RequestRecord[]): void {
    this.writeRows(ledgerRows(records));
  }

  /** Writes rows already flattened by `ledgerRows`, in one transaction. */
  insertRows(rows: LedgerRows): void {
    this.writeRows(rows);
  }

  /** Read from the hourly rollups (and raw requests for partial hours at the ends of the range). */
  usage(query: UsageQuery): UsageRow[] {
    return usageFromRollup(this.rollup({ bucket: 'day', from: query.from ?? 0, to: query.to ?? Number.MAX_SAFE_INTEGER }), query);
  }

  count(): { requests: number; attempts: number } {
    const requests = (this.database.prepare('SELECT COUNT(*) AS n FROM requests').get() as { n: number }).n;
    const attempts = (this.database.prepare('SELECT COUNT(*) AS n FROM attempts').get() as { n: number }).n;
    return { requests, attempts };
  }

  rollup(query: RollupQuery): RollupRow[] {
    return mergeRollupRows(rollupReadSql(query, 'sqlite').map(({ text, values }) => (this.database.prepare(text).all(...values) as Row[]).map(rollupRowFrom)));
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
