import type pg from 'pg';
import { usageGroupColumns } from '../ledger-columns.js';
import type { CaptureRepository, FeedbackRepository } from '../quality-store.js';
import { captureColumns, captureFromRow, captureValues, compressCaptureValuesAsync, feedbackFromRow, feedbackNumber, feedbackSummarySql, requestLogRowFrom, requestLogSql } from '../request-log-sql.js';
import { insertRows } from './postgres-ledger.js';
import { inTransaction } from './postgres-transaction.js';

type Row = Record<string, unknown>;

const groupColumns = usageGroupColumns("to_char(to_timestamp(started_at / 1000.0) AT TIME ZONE 'UTC', 'YYYY-MM-DD')");

const postgresFlag = (flag: boolean) => flag;

export function postgresCaptures(pool: pg.Pool): CaptureRepository {
  return {
    async insertBatch(rows) {
      if (rows.length === 0) return;
      // A request id appears once per batch: the later row wins, as ON CONFLICT cannot touch one row twice.
      const unique = [...new Map(rows.map((row) => [row.requestId, row])).values()];
      // Compressed on zlib's thread pool, off the event loop.
      const values = await Promise.all(unique.map((row) => compressCaptureValuesAsync(captureValues(row, postgresFlag))));
      await inTransaction(pool, async (client) => {
        await client.query('DELETE FROM captures WHERE request_id = ANY($1)', [unique.map((row) => row.requestId)]);
        await insertRows(client, 'captures', captureColumns, values);
      });
    },
    async get(requestId) {
      const row = (await pool.query<Row>('SELECT * FROM captures WHERE request_id = $1', [requestId])).rows[0];
      return row ? (captureFromRow(row) ?? undefined) : undefined;
    },
    async deleteExpired(now) {
      return (await pool.query('DELETE FROM captures WHERE expires_at <= $1', [now])).rowCount ?? 0;
    },
    async count() {
      return Number((await pool.query<{ n: number }>('SELECT COUNT(*) AS n FROM captures')).rows[0]?.n ?? 0);
    },
    async listRequests(query) {
      const { text, values } = requestLogSql(query, 'postgres');
      return (await pool.query<Row>(text, values)).rows.map(requestLogRowFrom);
    },
  };
}

export function postgresFeedback(pool: pg.Pool): FeedbackRepository {
  return {
    async insert(feedback) {
      const value = JSON.stringify(feedback.value);
      const number = feedbackNumber(feedback.value);
      await inTransaction(pool, async (client) => {
        await client.query('INSERT INTO feedback (id, request_id, metric, value, num_value, comment, key_id, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)', [
          feedback.id, feedback.requestId, feedback.metric, value, number, feedback.comment, feedback.keyId, feedback.createdAt,
        ]);
        await client.query(
          `INSERT INTO feedback_latest (request_id, metric, feedback_id, value, num_value, given_at) VALUES ($1, $2, $3, $4, $5, $6)
           ON CONFLICT (request_id, metric) DO UPDATE SET feedback_id = EXCLUDED.feedback_id, value = EXCLUDED.value,
             num_value = EXCLUDED.num_value, given_at = EXCLUDED.given_at WHERE EXCLUDED.given_at >= feedback_latest.given_at`,
          [feedback.requestId, feedback.metric, feedback.id, value, number, feedback.createdAt],
        );
      });
    },
    async listFor(requestId) {
      return (await pool.query<Row>('SELECT * FROM feedback WHERE request_id = $1 ORDER BY created_at, id', [requestId])).rows.map(feedbackFromRow);
    },
    async latestFor(requestIds) {
      if (requestIds.length === 0) return [];
      const result = await pool.query<Row>(
        'SELECT f.* FROM feedback_latest l JOIN feedback f ON f.id = l.feedback_id WHERE l.request_id = ANY($1) ORDER BY f.request_id, f.metric',
        [requestIds],
      );
      return result.rows.map(feedbackFromRow);
    },
    async summary(query) {
      const result = await pool.query<Row>(feedbackSummarySql(groupColumns[query.groupBy], 'postgres'), [query.from ?? 0, query.to ?? Number.MAX_SAFE_INTEGER]);
      return result.rows.map((row) => ({ group: (row.group as string | null) ?? null, metric: row.metric as string, count: Number(row.count), mean: row.mean === null ? null : Number(row.mean) }));
    },
  };
}
