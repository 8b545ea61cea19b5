import type { Logger } from '../core/logger.js';
import type { LedgerRepository } from '../store/store.js';

const dayMs = 86_400_000;

export interface LedgerUpkeepOptions {
  /** Requests older than this many days are deleted; kept for ever when absent. */
  retentionDays?: number;
  intervalMs: number;
}

/**
 * Runs the ledger's upkeep at start and then every `intervalMs` off the request path: partitions created ahead
 * (PostgreSQL) and, with `retentionDays`, the deletion of older requests.
 */
export class LedgerUpkeep {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;

  constructor(
    private readonly ledger: LedgerRepository,
    private readonly options: LedgerUpkeepOptions,
    private readonly logger: Logger,
  ) {}

  start(): void {
    void this.runOnce();
    this.timer = setInterval(() => void this.runOnce(), this.options.intervalMs);
    this.timer.unref();
  }

  /** One pass now (a pass already under way is awaited instead of started twice); failures are logged. */
  runOnce(now = Date.now()): Promise<void> {
    this.running ??= this.pass(now).finally(() => {
      this.running = undefined;
    });
    return this.running;
  }

  private async pass(now: number): Promise<void> {
    try {
      await this.ledger.prepare(now);
      if (this.options.retentionDays === undefined) return;
      const before = now - this.options.retentionDays * dayMs;
      const started = performance.now();
      const deleted = await this.ledger.deleteBefore(before);
      if (deleted === undefined) return;
      this.logger.info('ledger retention', { before: new Date(before).toISOString(), deleted, ms: Math.round(performance.now() - started) });
    } catch (error) {
      this.logger.error('ledger upkeep failed', { error });
    }
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    await this.running;
  }
}
