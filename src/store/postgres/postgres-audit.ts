import type pg from 'pg';
import { auditColumns, auditFromRow, auditListSql, auditValues, type AuditRepository } from '../audit-store.js';

export function postgresAudit(pool: pg.Pool): AuditRepository {
  const insert = `INSERT INTO audit_log (${auditColumns.join(', ')}) VALUES (${auditColumns.map((_, index) => `$${index + 1}`).join(', ')}) RETURNING seq`;
  return {
    async append(entry) {
      const result = await pool.query<{ seq: string | number }>(insert, auditValues(entry));
      return { ...entry, seq: Number(result.rows[0]?.seq) };
    },
    async list(query) {
      const { text, values } = auditListSql(query, (index) => `$${index}`);
      return (await pool.query<Record<string, unknown>>(text, values)).rows.map(auditFromRow);
    },
  };
}
