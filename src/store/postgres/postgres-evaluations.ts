import type pg from 'pg';
import { evaluationColumns, evaluationFromRow, resultColumns, resultFromRow } from '../evaluation-rows.js';
import type { EvaluationRepository } from '../store.js';

type Row = Record<string, unknown>;

export function postgresEvaluations(pool: pg.Pool): EvaluationRepository {
  return {
    async insert(evaluation) {
      await pool.query('INSERT INTO evaluations (id, created_at, updated_at, status, spec, total, message) VALUES ($1, $2, $3, $4, $5, $6, $7)', evaluationColumns(evaluation));
    },
    async get(id) {
      const row = (await pool.query<Row>('SELECT * FROM evaluations WHERE id = $1', [id])).rows[0];
      return row ? evaluationFromRow(row) : undefined;
    },
    async list() {
      return (await pool.query<Row>('SELECT * FROM evaluations ORDER BY created_at DESC, id COLLATE "C" DESC')).rows.map(evaluationFromRow);
    },
    async setStatus(id, update) {
      const result = await pool.query('UPDATE evaluations SET status = $1, message = $2, updated_at = $3 WHERE id = $4', [update.status, update.message, update.updatedAt, id]);
      return (result.rowCount ?? 0) > 0;
    },
    async saveResult(result) {
      const written = await pool.query(
        'INSERT INTO evaluation_results (evaluation_id, item_id, candidate, finished_at, data) VALUES ($1, $2, $3, $4, $5) ON CONFLICT DO NOTHING',
        resultColumns(result),
      );
      return (written.rowCount ?? 0) > 0;
    },
    async results(evaluationId) {
      const rows = await pool.query<Row>(
        'SELECT data FROM evaluation_results WHERE evaluation_id = $1 ORDER BY finished_at, item_id COLLATE "C", candidate COLLATE "C"',
        [evaluationId],
      );
      return rows.rows.map(resultFromRow);
    },
  };
}
