import type pg from 'pg';
import { chainWalkSql, contiguousChain, ownerSql, responseFromRow, responseToRow, type ResponseRow } from '../response-body.js';
import type { ResponseRepository } from '../store.js';

export function postgresResponses(pool: pg.Pool): ResponseRepository {
  return {
    async insert(response) {
      const row = await responseToRow(response);
      await pool.query(
        'INSERT INTO responses (id, key_id, team, previous_response_id, created_at, body) VALUES ($1, $2, $3, $4, $5, $6)',
        [row.id, row.key_id, row.team, row.previous_response_id, row.created_at, row.body],
      );
    },
    async get(id, owner, since) {
      const result = await pool.query<ResponseRow>(
        `SELECT * FROM responses WHERE id = $1 AND created_at >= $2 AND ${ownerSql.postgres('$3::TEXT', '$4::TEXT')}`,
        [id, since, owner.keyId, owner.team],
      );
      const row = result.rows[0];
      return row ? responseFromRow(row) : undefined;
    },
    async chain(id, owner, options) {
      const result = await pool.query<ResponseRow>(
        `${chainWalkSql('$1', '$2::INTEGER')}
         SELECT responses.* FROM walk JOIN responses ON responses.id = walk.id WHERE created_at >= $3 AND ${ownerSql.postgres('$4::TEXT', '$5::TEXT')}`,
        [id, options.maxLength, options.since, owner.keyId, owner.team],
      );
      return contiguousChain(id, result.rows);
    },
    async delete(id, owner) {
      const result = await pool.query(`DELETE FROM responses WHERE id = $1 AND ${ownerSql.postgres('$2::TEXT', '$3::TEXT')}`, [id, owner.keyId, owner.team]);
      return (result.rowCount ?? 0) > 0;
    },
    async sweep(before) {
      const result = await pool.query('DELETE FROM responses WHERE created_at < $1', [before]);
      return result.rowCount ?? 0;
    },
  };
}
