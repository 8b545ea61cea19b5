import type Database from 'better-sqlite3';
import { auditColumns, auditFromRow, auditListSql, auditValues, type AuditRepository } from '../audit-store.js';

export function sqliteAudit(database: Database.Database): AuditRepository {
  const insert = database.prepare(`INSERT INTO audit_log (${auditColumns.join(', ')}) VALUES (${auditColumns.map(() => '?').join(', ')})`);
  return {
    async append(entry) {
      const seq = Number(insert.run(...auditValues(entry)).lastInsertRowid);
      return { ...entry, seq };
    },
    async list(query) {
      const { text, values } = auditListSql(query, () => '?');
      return (database.prepare(text).all(...values) as Array<Record<string, unknown>>).map(auditFromRow);
    },
  };
}
