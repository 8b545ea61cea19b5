import Database from 'better-sqlite3';
import { parentPort, workerData } from 'node:worker_threads';
import type { ResponseRow } from '../response-body.js';
import { SqliteLedgerRepository, type LedgerRows } from './sqlite-ledger.js';
import { sqliteResponseInserter } from './sqlite-responses.js';
import { captureInserter } from './sqlite-quality.js';

// The writing side of the SQLite ledger and stored responses: one connection; ledger batches and stored responses
// arrive as messages, each written in one transaction.
const database = new Database((workerData as { file: string }).file);
database.pragma('journal_mode = WAL');
database.pragma('synchronous = NORMAL');
database.pragma('busy_timeout = 5000');
const ledger = new SqliteLedgerRepository(database);
const responses = sqliteResponseInserter(database);
const insertCaptures = captureInserter(database);
const deleteExpired = database.prepare('DELETE FROM captures WHERE expires_at <= ?');

parentPort?.on('message', (message: { id: number; rows?: LedgerRows; response?: ResponseRow; captures?: unknown[][]; sweepBefore?: number; ledgerBefore?: number }) => {
  try {
    if (message.rows) ledger.insertRows(message.rows);
    // A Buffer crosses the thread boundary as a plain Uint8Array.
    if (message.response) responses({ ...message.response, body: Buffer.from(message.response.body) });
    if (message.captures) insertCaptures(message.captures);
    let changes = message.sweepBefore === undefined ? 0 : deleteExpired.run(message.sweepBefore).changes;
    if (message.ledgerBefore !== undefined) changes = ledger.deleteBatchBefore(message.ledgerBefore);
    parentPort?.postMessage({ id: message.id, changes });
  } catch (error) {
    const failure = error as { message?: string; code?: string };
    parentPort?.postMessage({ id: message.id, error: { message: failure.message ?? String(error), ...(failure.code ? { code: failure.code } : {}) } });
  }
});
