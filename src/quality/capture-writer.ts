import type { Logger } from '../core/logger.js';
import type { CaptureRepository } from '../store/quality-store.js';
import type { CaptureSettings } from './capture-config.js';
import { encodeCapture, type PendingCapture } from './capture-encoding.js';

export interface CaptureStats {
  /** Requests chosen by a capture policy's sample. */
  sampled: number;
  written: number;
  /** Dropped because the queue was full (or, after a failed write, had no room to take the batch back). */
  dropped: number;
  queued: number;
  /** Being encoded or written right now. */
  writing: number;
  failedWrites: number;
  /** Captures deleted by the retention sweep since start. */
  swept: number;
  /** The most captures the queue held at once since start. */
  peakQueued: number;
}

/**
 * Takes captures from the request path and writes them in batches. Redaction, serialisation and compression all
 * happen here, after the answer left. The queue is bounded: when it is full a new capture is dropped and counted;
 * a request never waits for capture (unlike the ledger, which applies back-pressure: captures are a sample, money
 * is not).
 */
export class CaptureWriter {
  private queue: PendingCapture[] = [];
  private timer: NodeJS.Timeout | undefined;
  private sweepTimer: NodeJS.Timeout | undefined;
  private writing: Promise<void> | undefined;
  private lastFailed = false;
  private readonly counts = { sampled: 0, written: 0, dropped: 0, writing: 0, failedWrites: 0, swept: 0, peakQueued: 0 };

  constructor(
    private readonly repository: CaptureRepository,
    private readonly settings: CaptureSettings,
    private readonly logger: Logger,
  ) {}

  start(): void {
    this.timer ??= setInterval(() => void this.flushOnce(), this.settings.flushIntervalMs);
    this.timer.unref();
    this.sweepTimer ??= setInterval(() => void this.sweep().catch((error: unknown) => this.logger.error('capture retention sweep failed', { error })), this.settings.sweepIntervalMs);
    this.sweepTimer.unref();
  }

  /** Queues one sampled capture; false when the queue was full and the capture was dropped. */
  offer(capture: PendingCapture): boolean {
    this.counts.sampled += 1;
    if (this.queue.length >= this.settings.maxQueued) {
      this.counts.dropped += 1;
      return false;
    }
    this.queue.push(capture);
    if (this.queue.length > this.counts.peakQueued) this.counts.peakQueued = this.queue.length;
    if (this.queue.length >= this.settings.batchSize && !this.writing) void this.flushOnce();
    return true;
  }

  stats(): CaptureStats {
    return { ...this.counts, queued: this.queue.length };
  }

  /** Deletes the captures past their retention; returns how many. */
  async sweep(now = Date.now()): Promise<number> {
    const deleted = await this.repository.deleteExpired(now);
    this.counts.swept += deleted;
    return deleted;
  }

  /** Writes everything queued so far. */
  async flush(): Promise<void> {
    while (this.writing || this.queue.length > 0) {
      if (this.writing) await this.writing;
      else await this.flushOnce();
      if (this.queue.length > 0 && this.lastFailed) break;
    }
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    if (this.sweepTimer) clearInterval(this.sweepTimer);
    this.timer = undefined;
    this.sweepTimer = undefined;
    await this.flush();
    if (this.queue.length > 0) this.logger.warn('captures not persisted at shutdown', { captures: this.queue.length });
  }

  private flushOnce(): Promise<void> {
    if (this.writing || this.queue.length === 0) return this.writing ?? Promise.resolve();
    const batch = this.queue.splice(0, this.settings.batchSize);
    this.counts.writing = batch.length;
    this.writing = this.write(batch).finally(() => {
      this.counts.writing = 0;
      this.writing = undefined;
    });
    return this.writing;
  }

  private async write(batch: PendingCapture[]): Promise<void> {
    try {
      const rows = batch.map((capture) => encodeCapture(capture, this.settings.maxBodyBytes));
      await this.repository.insertBatch(rows);
      this.counts.written += batch.length;
      this.lastFailed = false;
    } catch (error) {
      this.lastFailed = true;
      this.counts.failedWrites += 1;
      const room = Math.max(0, this.settings.maxQueued - this.queue.length);
      const kept = batch.slice(0, room);
      this.counts.dropped += batch.length - kept.length;
      this.queue.unshift(...kept);
      this.logger.error('capture write failed; captures stay queued while there is room', { captures: batch.length, error });
    }
  }
}
