import type pg from 'pg';
import { keyColumnNames, keyFromRow, keyToColumns, keyUpdateColumns } from '../key-row.js';
import type { KeyRepository } from '../store.js';

type Row = Record<string, unknown>;

export function postgresKeys(pool: pg.Pool): KeyRepository {
  const get = async (id: string) => {
    const row = (await pool.query<Row>('SELECT * FROM keys WHERE id = $1', [id])).rows[0];
    return row ? keyFromRow(row) : undefined;
  };
  return {
    async insert(key) {
      await pool.query(`INSERT INTO keys (${keyColumnNames.join(', ')}) VALUES (${keyColumnNames.map((_, index) => `$${index + 1}`).join(', ')})`, keyToColumns(key));
    },
    async list() {
      return (await pool.query<Row>('SELECT * FROM keys ORDER BY created_at')).rows.map(keyFromRow);
    },
    get,
    async findByHash(hash) {
      const row = (await pool.query<Row>('SELECT * FROM keys WHERE hash = $1 OR previous_hash = $1 LIMIT 1', [hash])).rows[0];
      return row ? keyFromRow(row) : undefined;
    },
    async revoke(id, at) {
      const result = await pool.query('UPDATE keys SET revoked_at = COALESCE(revoked_at, $1) WHERE id = $2', [at, id]);
      return (result.rowCount ?? 0) > 0;
    },
    async update(id, update) {
      const columns = keyUpdateColumns(update);
      if (columns.length > 0) {
        const assignments = columns.map(([name], index) => `${name} = $${index + 1}`).join(', ');
        await pool.query(`UPDATE keys SET ${assignments} WHERE id = $${columns.length + 1}`, [...columns.map(([, value]) => value), id]);
      }
      return get(id);
    },
    async rotate(id, rotation) {
      const result = await pool.query(
        'UPDATE keys SET previous_hash = hash, hash = $1, prefix = $2, previous_valid_until = $3 WHERE id = $4 AND revoked_at IS NULL',
        [rotation.hash, rotation.prefix, rotation.previousValidUntil, id],
      );
      return (result.rowCount ?? 0) > 0 ? get(id) : undefined;
    },
  };
}
