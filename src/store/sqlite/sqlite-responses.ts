import type Database from 'better-sqlite3';
import { chainWalkSql, contiguousChain, ownerSql, responseFromRow, responseToRow, type ResponseRow } from '../response-body.js';
import type { ResponseRepository } from '../store.js';

/** The insert alone, for the writer thread's connection. */
export function sqliteResponseInserter(database: Database.Database): (row: ResponseRow) => void {
  const insertOne = database.prepare(
    `INSERT INTO responses (id, key_id, team, previous_response_id, created_at, body)
     VALUES (@id, @key_id, @team, @previous_response_id, @created_at, @body)`,
  );
  return (row) => void insertOne.run(row);
}

/** Stored responses on the main connection; `write`, when given, performs inserts elsewhere (the writer thread). */
export function sqliteResponses(database: Database.Database, write?: (row: ResponseRow) => Promise<void>): ResponseRepository {
  const insertHere = sqliteResponseInserter(database);
  const getOne = database.prepare(`SELECT * FROM responses WHERE id = @id AND created_at >= @since AND ${ownerSql.sqlite}`);
  const walk = database.prepare(
    `${chainWalkSql('@id', '@max')}
     SELECT responses.* FROM walk JOIN responses ON responses.id = walk.id WHERE created_at >= @since AND ${ownerSql.sqlite}`,
  );
  const deleteOne = database.prepare(`DELETE FROM responses WHERE id = @id AND ${ownerSql.sqlite}`);
  const sweepOld = database.prepare('DELETE FROM responses WHERE created_at < ?');
  return {
    async insert(response) {
      const row = await responseToRow(response);
      if (write) await write(row);
      else insertHere(row);
    },
    async get(id, owner, since) {
      const row = getOne.get({ id, since, keyId: owner.keyId, team: owner.team }) as ResponseRow | undefined;
      return row ? responseFromRow(row) : undefined;
    },
    async chain(id, owner, options) {
      const rows = walk.all({ id, max: options.maxLength, since: options.since, keyId: owner.keyId, team: owner.team }) as ResponseRow[];
      return contiguousChain(id, rows);
    },
    async delete(id, owner) {
      return deleteOne.run({ id, keyId: owner.keyId, team: owner.team }).changes > 0;
    },
    async sweep(before) {
      return sweepOld.run(before).changes;
    },
  };
}
