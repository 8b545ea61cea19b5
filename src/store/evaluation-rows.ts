import type { EvaluationRecord, EvaluationResult, EvaluationSpec, EvaluationStatus } from '../quality/evaluation-types.js';

type Row = Record<string, unknown>;

/** The evaluation tables, the same in both drivers (`INTEGER` holds epoch ms in SQLite; PostgreSQL uses BIGINT). */
export function evaluationTables(integer: 'INTEGER' | 'BIGINT'): string {
  return `CREATE TABLE IF NOT EXISTS evaluations (
     id TEXT PRIMARY KEY, created_at ${integer} NOT NULL, updated_at ${integer} NOT NULL, status TEXT NOT NULL,
     spec TEXT NOT NULL, total INTEGER NOT NULL, message TEXT);
   CREATE TABLE IF NOT EXISTS evaluation_results (
     evaluation_id TEXT NOT NULL, item_id TEXT NOT NULL, candidate TEXT NOT NULL, finished_at ${integer} NOT NULL,
     data TEXT NOT NULL, PRIMARY KEY (evaluation_id, item_id, candidate));`;
}

export function evaluationColumns(evaluation: EvaluationRecord): unknown[] {
  return [evaluation.id, evaluation.createdAt, evaluation.updatedAt, evaluation.status, JSON.stringify(evaluation.spec), evaluation.total, evaluation.message];
}

export function evaluationFromRow(row: Row): EvaluationRecord {
  return {
    id: row.id as string,
    createdAt: Number(row.created_at),
    updatedAt: Number(row.updated_at),
    status: row.status as EvaluationStatus,
    spec: JSON.parse(row.spec as string) as EvaluationSpec,
    total: Number(row.total),
    message: (row.message as string | null) ?? null,
  };
}

/** The key columns, then the whole result as JSON. */
export function resultColumns(result: EvaluationResult): unknown[] {
  return [result.evaluationId, result.itemId, result.candidate, result.finishedAt, JSON.stringify(result)];
}

export function resultFromRow(row: Row): EvaluationResult {
  return JSON.parse(row.data as string) as EvaluationResult;
}
