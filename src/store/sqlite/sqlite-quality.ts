import type Database from 'better-sqlite3';
import type { UsageQuery } from '../../ledger/ledger-record.js';
import { usageGroupColumns } from '../ledger-columns.js';
import type { CaptureRepository, CaptureRow, FeedbackRepository } from '../quality-store.js';
import { captureColumns, captureFromRow, captureValues, compressCaptureValues, feedbackFromRow, feedbackNumber, feedbackSummarySql, requestLogRowFrom, requestLogSql } from '../request-log-sql.js';

type Row = Record<string, unknown>;

const groupColumns = usageGroupColumns("strftime('%Y-%m-%d', started_at / 1000, 'unixepoch')");

const sqliteFlag = (flag: boolean) => (flag ? 1 : 0);

/** Capture rows as flat values: what crosses to the writer thread. */
export function captureRowValues(rows: CaptureRow[]): unknown[][] {
  return rows.map((row) => captureValues(row, sqliteFlag));
}

/** Rows per INSERT statement: as for the ledger, multi-row inserts cost far less per row than one statement each. */
const rowsPerStatement = 50;

/** Compresses and writes capture rows on a connection, in one transaction; used by the writer thread (and the main connection of an in-memory database). */
export function captureInserter(database: Database.Database): (rows: unknown[][]) => void {
  const statements = new Map<number, Database.Statement>();
  const placeholders = `(${captureColumns.map(() => '?').join(', ')})`;
  const statementFor = (count: number) => {
    let statement = statements.get(count);
    if (!statement) {
      statement = database.prepare(`INSERT OR REPLACE INTO captures (${captureColumns.join(', ')}) VALUES ${Array.from({ length: count }, () => placeholders).join(', ')}`);
      statements.set(count, statement);
    }
    return statement;
  };
  return database.transaction((rows: unknown[][]) => {
    for (let start = 0; start < rows.length; start += rowsPerStatement) {
      const chunk = rows.slice(start, start + rowsPerStatement);
      statementFor(chunk.length).run(chunk.flatMap((row) => compressCaptureValues(row)));
    }
  });
}

/** Work the writer thread of a file database does instead of this connection. */
export interface CaptureThread {
  insert(rows: unknown[][]): Promise<void>;
  deleteExpired(now: number): Promise<number>;
}

/** A file database writes and sweeps on its writer thread; an in-memory one does both on this connection. */
export function sqliteCaptures(database: Database.Database, thread?: CaptureThread): CaptureRepository {
  const insertHere = captureInserter(database);
  const byId = database.prepare('SELECT * FROM captures WHERE request_id = ?');
  const expired = database.prepare('DELETE FROM captures WHERE expires_at <= ?');
  const counted = database.prepare('SELECT COUNT(*) AS n FROM captures');
  return {
    async insertBatch(rows) {
      if (rows.length === 0) return;
      const values = captureRowValues(rows);
      if (thread) await thread.insert(values);
      else insertHere(values);
    },
    async get(requestId) {
      const row = byId.get(requestId) as Row | undefined;
      return row ? (captureFromRow(row) ?? undefined) : undefined;
    },
    async deleteExpired(now) {
      return thread ? thread.deleteExpired(now) : expired.run(now).changes;
    },
    async count() {
      return (counted.get() as { n: number }).n;
    },
    async listRequests(query) {
      const { text, values } = requestLogSql(query, 'sqlite');
      return (database.prepare(text).all(...values) as Row[]).map(requestLogRowFrom);
    },
  };
}

export function sqliteFeedback(database: Database.Database): FeedbackRepository {
  const insert = database.prepare('INSERT INTO feedback (id, request_id, metric, value, num_value, comment, key_id, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)');
  const latest = database.prepare(
    `INSERT INTO feedback_latest (request_id, metric, feedback_id, value, num_value, given_at) VALUES (?, ?, ?, ?, ?, ?)
     ON CONFLICT (request_id, metric) DO UPDATE SET feedback_id = excluded.feedback_id, value = excluded.value,
       num_value = excluded.num_value, given_at = excluded.given_at WHERE excluded.given_at >= feedback_latest.given_at`,
  );
  const write = database.transaction((values: { feedback: unknown[]; latest: unknown[] }) => {
    insert.run(values.feedback);
    latest.run(values.latest);
  });
  const forRequest = database.prepare('SELECT * FROM feedback WHERE request_id = ? ORDER BY created_at, id');
  return {
    async insert(feedback) {
      const value = JSON.stringify(feedback.value);
      const number = feedbackNumber(feedback.value);
      write({
        feedback: [feedback.id, feedback.requestId, feedback.metric, value, number, feedback.comment, feedback.keyId, feedback.createdAt],
        latest: [feedback.requestId, feedback.metric, feedback.id, value, number, feedback.createdAt],
      });
    },
    async listFor(requestId) {
      return (forRequest.all(requestId) as Row[]).map(feedbackFromRow);
    },
    async latestFor(requestIds) {
      if (requestIds.length === 0) return [];
      const rows = database
        .prepare(`SELECT f.* FROM feedback_latest l JOIN feedback f ON f.id = l.feedback_id WHERE l.request_id IN (${requestIds.map(() => '?').join(', ')}) ORDER BY f.request_id, f.metric`)
        .all(...requestIds) as Row[];
      return rows.map(feedbackFromRow);
    },
    async summary(query: UsageQuery) {
      const rows = database.prepare(feedbackSummarySql(groupColumns[query.groupBy], 'sqlite')).all(query.from ?? 0, query.to ?? Number.MAX_SAFE_INTEGER) as Row[];
      return rows.map((row) => ({ group: (row.group as string | null) ?? null, metric: row.metric as string, count: Number(row.count), mean: row.mean === null ? null : Number(row.mean) }));
    },
  };
}
