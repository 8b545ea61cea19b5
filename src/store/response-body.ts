import { promisify } from 'node:util';
import { gunzip, gzip } from 'node:zlib';
import type { StoredResponse } from './store.js';

const compress = promisify(gzip);
const decompress = promisify(gunzip);

/** The columns every driver keeps for a stored response; the body is JSON, gzipped off the main thread from 4 KiB. */
export interface ResponseRow {
  id: string;
  key_id: string | null;
  team: string | null;
  previous_response_id: string | null;
  created_at: number;
  body: Buffer;
}

/** The owner condition both drivers use: the same key, or a key of the same team when the owner has one. */
export const ownerSql = {
  sqlite: '(key_id IS @keyId OR (team IS NOT NULL AND team = @team))',
  postgres: (keyParam: string, teamParam: string) => `(key_id IS NOT DISTINCT FROM ${keyParam} OR (team IS NOT NULL AND team = ${teamParam}))`,
};

/** Bodies below this many bytes are kept as plain JSON: gzip saves little on them and costs more CPU than the insert. */
const compressFromBytes = 4096;

/** A gzip stream starts with 1f 8b; JSON text never does, so both forms read back without a flag. */
function isGzip(body: Buffer): boolean {
  return body.length >= 2 && body[0] === 0x1f && body[1] === 0x8b;
}

export async function responseToRow(response: StoredResponse): Promise<ResponseRow> {
  const json = JSON.stringify({ response: response.response, inputItems: response.inputItems, carry: response.carry });
  const body = json.length < compressFromBytes ? Buffer.from(json, 'utf8') : await compress(json);
  return {
    id: response.id, key_id: response.owner.keyId, team: response.owner.team, previous_response_id: response.previousResponseId,
    created_at: response.createdAt, body,
  };
}

export async function responseFromRow(row: ResponseRow): Promise<StoredResponse> {
  const stored = Buffer.isBuffer(row.body) ? row.body : Buffer.from(row.body);
  const body = JSON.parse((isGzip(stored) ? await decompress(stored) : stored).toString('utf8')) as { response: unknown; inputItems: unknown[]; carry: unknown };
  return {
    id: row.id, owner: { keyId: row.key_id, team: row.team }, previousResponseId: row.previous_response_id, createdAt: Number(row.created_at),
    response: body.response, inputItems: body.inputItems, carry: body.carry ?? null,
  };
}

/**
 * Rows of a chain walk, newest first, cut at the first gap: a link that was deleted, expired or is not the owner's
 * ends the conversation there, so what is returned is always contiguous, oldest first.
 */
export async function contiguousChain(headId: string, rows: ResponseRow[]): Promise<StoredResponse[]> {
  const byId = new Map(rows.map((row) => [row.id, row]));
  const picked: ResponseRow[] = [];
  let next: string | null = headId;
  while (next !== null) {
    const row = byId.get(next);
    if (!row) break;
    picked.push(row);
    byId.delete(next);
    next = row.previous_response_id;
  }
  return Promise.all(picked.reverse().map(responseFromRow));
}

/** Walks `previous_response_id` links from `$head`, up to `$max` rows; portable between SQLite and PostgreSQL. */
export function chainWalkSql(head: string, max: string): string {
  return `WITH RECURSIVE walk(id, depth) AS (
      SELECT id, 1 FROM responses WHERE id = ${head}
      UNION ALL
      SELECT responses.previous_response_id, walk.depth + 1 FROM responses JOIN walk ON responses.id = walk.id
      WHERE responses.previous_response_id IS NOT NULL AND walk.depth < ${max}
    )`;
}
