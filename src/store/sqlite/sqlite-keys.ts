import type Database from 'better-sqlite3';
import { keyColumnNames, keyFromRow, keyToColumns, keyUpdateColumns } from '../key-row.js';
import type { KeyRepository } from '../store.js';

type Row = Record<string, unknown>;

export function sqliteKeys(database: Database.Database): KeyRepository {
  const insert = database.prepare(`INSERT INTO keys (${keyColumnNames.join(', ')}) VALUES (${keyColumnNames.map(() => '?').join(', ')})`);
  const list = database.prepare('SELECT * FROM keys ORDER BY created_at');
  const byId = database.prepare('SELECT * FROM keys WHERE id = ?');
  const byHash = database.prepare('SELECT * FROM keys WHERE hash = ? OR previous_hash = ? LIMIT 1');
  const revoke = database.prepare('UPDATE keys SET revoked_at = COALESCE(revoked_at, ?) WHERE id = ?');
  const rotate = database.prepare('UPDATE keys SET previous_hash = hash, hash = ?, prefix = ?, previous_valid_until = ? WHERE id = ? AND revoked_at IS NULL');
  const get = (id: string) => {
    const row = byId.get(id) as Row | undefined;
    return row ? keyFromRow(row) : undefined;
  };
  return {
    async insert(key) {
      insert.run(...keyToColumns(key));
    },
    async list() {
      return (list.all() as Row[]).map(keyFromRow);
    },
    async get(id) {
      return get(id);
    },
    async findByHash(hash) {
      const row = byHash.get(hash, hash) as Row | undefined;
      return row ? keyFromRow(row) : undefined;
    },
    async revoke(id, at) {
      return revoke.run(at, id).changes > 0;
    },
    async update(id, update) {
      const columns = keyUpdateColumns(update);
      if (columns.length > 0) {
        database.prepare(`UPDATE keys SET ${columns.map(([name]) => `${name} = ?`).join(', ')} WHERE id = ?`).run(...columns.map(([, value]) => value), id);
      }
      return get(id);
    },
    async rotate(id, rotation) {
      return rotate.run(rotation.hash, rotation.prefix, rotation.previousValidUntil, id).changes > 0 ? get(id) : undefined;
    },
  };
}
