import { Worker } from 'node:worker_threads';
import type { RequestRecord } from '../../ledger/ledger-record.js';
import type { ResponseRow } from '../response-body.js';
import { ledgerRows, type LedgerRows } from './sqlite-ledger.js';

interface Reply {
  id: number;
  /** Rows a sweep deleted. */
  changes?: number;
  error?: { message: string; code?: string };
}

/**
 * Writes ledger batches and stored responses on a worker thread with its own connection to the database file, so
 * inserts, commits and WAL checkpoints never block the event loop that serves requests. Reads stay on the main connection.
 */
export class SqliteLedgerWriter {
  private readonly worker: Worker;
  private readonly pending = new Map<number, { resolve: (changes: number) => void; reject: (error: Error) => void }>();
  private nextId = 0;

  constructor(file: string) {
    // A small young generation: the thread only turns batches into inserts, and its memory counts in the gateway's.
    this.worker = new Worker(new URL('./sqlite-ledger-thread.js', import.meta.url), { workerData: { file }, resourceLimits: { maxYoungGenerationSizeMb: 4 } });
    this.worker.unref();
    this.worker.on('message', (reply: Reply) => {
      const waiting = this.pending.get(reply.id);
      if (!waiting) return;
      this.pending.delete(reply.id);
      if (reply.error) waiting.reject(Object.assign(new Error(reply.error.message), { code: reply.error.code }));
      else waiting.resolve(reply.changes ?? 0);
    });
    this.worker.on('error', (error) => {
      for (const waiting of this.pending.values()) waiting.reject(error);
      this.pending.clear();
    });
  }

  async insertBatch(records: RequestRecord[]): Promise<void> {
    await this.send({ rows: ledgerRows(records) });
  }

  async insertResponse(row: ResponseRow): Promise<void> {
    await this.send({ response: row });
  }

  /** Deletes captures past their retention on the writer thread, since a large sweep would hold the event loop. */
  deleteExpiredCaptures(now: number): Promise<number> {
    return this.send({ sweepBefore: now });
  }

  /** One batch of the ledger retention (see SqliteLedgerRepository.deleteBatchBefore), on the writing connection. */
  deleteLedgerBatch(before: number): Promise<number> {
    return this.send({ ledgerBefore: before });
  }

  /** Capture rows (see `captureRowValues`), written by the same thread so compressed bodies never block the event loop. */
  async insertCaptures(captures: unknown[][]): Promise<void> {
    await this.send({ captures });
  }

  private send(message: { rows: LedgerRows } | { response: ResponseRow } | { captures: unknown[][] } | { sweepBefore: number } | { ledgerBefore: number }): Promise<number> {
    const id = this.nextId++;
    const written = new Promise<number>((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.worker.ref();
      this.worker.postMessage({ id, ...message });
    });
    return written.finally(() => {
      if (this.pending.size === 0) this.worker.unref();
    });
  }

  async close(): Promise<void> {
    await this.worker.terminate();
  }
}
