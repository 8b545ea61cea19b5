import type { Logger } from '../core/logger.js';
import type { LedgerRepository } from '../store/store.js';
import type { RequestRecord } from './ledger-record.js';

export interface LedgerWriterOptions {
  flushIntervalMs: number;
  batchSize: number;
  /** When this many records wait, `hasRoom()` turns false and the server refuses new work (503) until the store catches up. */
  maxQueued: number;
}

/**
 * Collects ledger records in memory and writes them in batches off the request path.
 * A failed write keeps its records queued for the next attempt; nothing is dropped.
 */
export class LedgerWriter {
  private queue: RequestRecord[] = [];
  private timer: NodeJS.Timeout | undefined;
  private writing: Promise<void> | undefined;
  private written = 0;
  private readonly listeners: Array<(record: RequestRecord) => void> = [];

  constructor(
    private readonly repository: LedgerRepository,
    private readonly options: LedgerWriterOptions,
    private readonly logger: Logger,
  ) {}

  start(): void {
    this.timer ??= setInterval(() => void this.flushOnce(), this.options.flushIntervalMs);
    this.timer.unref();
  }

  /** Calls `listener` with every record as it is queued (metrics and traces read the figures from it). */
  onRecord(listener: (record: RequestRecord) => void): void {
    this.listeners.push(listener);
  }

  enqueue(record: RequestRecord): void {
    this.queue.push(record);
    for (const listener of this.listeners) {
      try {
        listener(record);
      } catch (error) {
        this.logger.error('a ledger record listener failed', { requestId: record.id, error });
      }
    }
    if (this.queue.length >= this.options.batchSize && !this.writing) void this.flushOnce();
  }

  hasRoom(): boolean {
    return this.queue.length < this.options.maxQueued;
  }

  /** `oldestQueuedAt`: when the oldest record still waiting was queued (its request's end), epoch ms; null when none waits. */
  stats(): { queued: number; written: number; oldestQueuedAt: number | null } {
    const oldest = this.queue[0];
    return { queued: this.queue.length, written: this.written, oldestQueuedAt: oldest ? Math.round(oldest.startedAt + oldest.latencyMs) : null };
  }

  /** Writes everything queued so far, waiting for a write already under way. */
  async flush(): Promise<void> {
    while (this.writing || this.queue.length > 0) {
      if (this.writing) await this.writing;
      else await this.flushOnce();
      if (this.queue.length > 0 && this.lastFailed) break;
    }
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    await this.flush();
    // Last resort when the store stays down at shutdown: the records go to the log in full, to be replayed.
    for (const record of this.queue) this.logger.error('ledger record not persisted at shutdown', { record });
  }

  private lastFailed = false;

  private flushOnce(): Promise<void> {
    if (this.writing || this.queue.length === 0) return this.writing ?? Promise.resolve();
    const batch = this.queue.splice(0, this.options.batchSize);
    this.writing = this.write(batch).finally(() => {
      this.writing = undefined;
    });
    return this.writing;
  }

  private async write(batch: RequestRecord[]): Promise<void> {
    try {
      await this.repository.insertBatch(batch);
      this.written += batch.length;
      this.lastFailed = false;
    } catch (error) {
      this.lastFailed = true;
      await this.isolate(batch, error);
    }
  }

  /** After a failed batch, write records one by one so one bad record cannot hold back the rest. */
  private async isolate(batch: RequestRecord[], batchError: unknown): Promise<void> {
    const retry: RequestRecord[] = [];
    for (const record of batch) {
      try {
        await this.repository.insertBatch([record]);
        this.written += 1;
      } catch (error) {
        if (isDuplicate(error)) {
          this.logger.error('ledger record rejected by the store as a duplicate', { requestId: record.id, error });
          continue;
        }
        retry.push(record);
      }
    }
    if (retry.length > 0) {
      this.logger.error('ledger write failed; records stay queued and will be retried', { records: retry.length, error: batchError });
      this.queue.unshift(...retry);
    } else {
      this.lastFailed = false;
    }
  }
}

function isDuplicate(error: unknown): boolean {
  const code = (error as { code?: unknown })?.code;
  return code === 'SQLITE_CONSTRAINT_PRIMARYKEY' || code === '23505';
}
