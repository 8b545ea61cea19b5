/**
 * How late the event loop runs, from a timer that should fire every `intervalMs`: the delay of its latest tick.
 * One late tick is enough to read as overload, and one on-time tick clears it, so shedding follows the loop closely.
 */
export class EventLoopLag {
  private expectedAt = 0;
  private timer: NodeJS.Timeout | undefined;
  /** Milliseconds the latest tick was late by. */
  latestMs = 0;

  constructor(private readonly intervalMs = 100) {}

  start(): void {
    if (this.timer) return;
    this.expectedAt = performance.now() + this.intervalMs;
    this.timer = setInterval(() => {
      const now = performance.now();
      this.latestMs = Math.max(0, now - this.expectedAt);
      this.expectedAt = now + this.intervalMs;
    }, this.intervalMs).unref();
  }

  /** The loop's delay as a request would meet it now: the latest tick's, or how overdue the next tick is. */
  currentMs(): number {
    return Math.max(this.latestMs, performance.now() - this.expectedAt);
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }
}
