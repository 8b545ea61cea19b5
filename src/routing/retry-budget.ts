import type { ResilienceConfig } from '../config/schema.js';

const windowMs = 10_000;
const slots = 10;

/**
 * Caps retries of one deployment at a share of its requests over the last ten seconds (plus a small floor),
 * so an outage cannot turn into a retry storm. Counts live in one-second slots.
 */
export class RetryBudget {
  private readonly requests = new Array<number>(slots).fill(0);
  private readonly retries = new Array<number>(slots).fill(0);
  private slotTime = 0;

  constructor(private readonly options: ResilienceConfig['retryBudget']) {}

  recordRequest(now: number): void {
    this.advance(now);
    this.requests[this.slot(now)] += 1;
  }

  /** Takes one retry from the budget; false when the budget is spent. */
  tryRetry(now: number): boolean {
    this.advance(now);
    const requests = this.requests.reduce((sum, count) => sum + count, 0);
    const retries = this.retries.reduce((sum, count) => sum + count, 0);
    if (retries >= this.options.minimum + requests * this.options.ratio) return false;
    this.retries[this.slot(now)] += 1;
    return true;
  }

  retriesInWindow(now: number): number {
    this.advance(now);
    return this.retries.reduce((sum, count) => sum + count, 0);
  }

  private slot(now: number): number {
    return Math.floor(now / (windowMs / slots)) % slots;
  }

  /** Clears the slots that fell out of the window since the last call. */
  private advance(now: number): void {
    const current = Math.floor(now / (windowMs / slots));
    const elapsed = Math.min(slots, current - this.slotTime);
    for (let step = 1; step <= elapsed; step += 1) {
      const index = (this.slotTime + step) % slots;
      this.requests[index] = 0;
      this.retries[index] = 0;
    }
    this.slotTime = current;
  }
}
