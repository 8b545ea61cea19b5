import type Database from 'better-sqlite3';
import { evaluationColumns, evaluationFromRow, resultColumns, resultFromRow } from '../evaluation-rows.js';
import type { EvaluationRepository } from '../store.js';

type Row = Record<string, unknown>;

export function sqliteEvaluations(database: Database.Database): EvaluationRepository {
  const insertOne = database.prepare('INSERT INTO evaluations (id, created_at, updated_at, status, spec, total, message) VALUES (?, ?, ?, ?, ?, ?, ?)');
  const getOne = database.prepare('SELECT * FROM evaluations WHERE id = ?');
  const listAll = database.prepare('SELECT * FROM evaluations ORDER BY created_at DESC, id DESC');
  const setStatus = database.prepare('UPDATE evaluations SET status = ?, message = ?, updated_at = ? WHERE id = ?');
  const saveOne = database.prepare(
    'INSERT INTO evaluation_results (evaluation_id, item_id, candidate, finished_at, data) VALUES (?, ?, ?, ?, ?) ON CONFLICT DO NOTHING',
  );
  const listResults = database.prepare('SELECT data FROM evaluation_results WHERE evaluation_id = ? ORDER BY finished_at, item_id, candidate');
  return {
    async insert(evaluation) {
      insertOne.run(...evaluationColumns(evaluation));
    },
    async get(id) {
      const row = getOne.get(id) as Row | undefined;
      return row ? evaluationFromRow(row) : undefined;
    },
    async list() {
      return (listAll.all() as Row[]).map(evaluationFromRow);
    },
    async setStatus(id, update) {
      return setStatus.run(update.status, update.message, update.updatedAt, id).changes > 0;
    },
    async saveResult(result) {
      return saveOne.run(...resultColumns(result)).changes > 0;
    },
    async results(evaluationId) {
      return (listResults.all(evaluationId) as Row[]).map(resultFromRow);
    },
  };
}
