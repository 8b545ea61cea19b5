import type { ResilienceConfig } from '../config/schema.js';

export type BreakerState = 'closed' | 'open' | 'half-open';

/**
 * One deployment's circuit. Opens after consecutive failures or a high error rate over a recent window; after the
 * cooldown it lets one probe through (half-open) and closes again when the probe succeeds.
 */
export class CircuitBreaker {
  private state: BreakerState = 'closed';
  private consecutiveFailures = 0;
  private readonly outcomes: boolean[] = [];
  private openedAt = 0;
  private probeInFlight = false;
  private opens = 0;

  constructor(private readonly options: ResilienceConfig['breaker']) {}

  /** Whether a request may go to this deployment now. A half-open circuit admits one probe at a time. */
  allows(now: number): boolean {
    if (this.state === 'closed') return true;
    if (this.state === 'open') {
      if (now - this.openedAt < this.options.cooldownMs) return false;
      this.state = 'half-open';
      this.probeInFlight = false;
    }
    if (this.probeInFlight) return false;
    this.probeInFlight = true;
    return true;
  }

  record(success: boolean, now: number): void {
    this.outcomes.push(success);
    if (this.outcomes.length > this.options.windowSize) this.outcomes.shift();
    if (success) {
      this.consecutiveFailures = 0;
      if (this.state === 'half-open') this.close();
      return;
    }
    this.consecutiveFailures += 1;
    if (this.state === 'half-open' || this.shouldOpen()) this.open(now);
  }

  snapshot(now: number): { state: BreakerState; consecutiveFailures: number; errorRate: number; opens: number; retryInMs: number | null } {
    const failures = this.outcomes.filter((outcome) => !outcome).length;
    return {
      state: this.state === 'open' && now - this.openedAt >= this.options.cooldownMs ? 'half-open' : this.state,
      consecutiveFailures: this.consecutiveFailures,
      errorRate: this.outcomes.length === 0 ? 0 : failures / this.outcomes.length,
      opens: this.opens,
      retryInMs: this.state === 'open' ? Math.max(0, this.options.cooldownMs - (now - this.openedAt)) : null,
    };
  }

  private shouldOpen(): boolean {
    if (this.consecutiveFailures >= this.options.consecutiveFailures) return true;
    if (this.outcomes.length < this.options.minimumRequests) return false;
    const failures = this.outcomes.filter((outcome) => !outcome).length;
    return failures / this.outcomes.length >= this.options.errorRate;
  }

  private open(now: number): void {
    this.state = 'open';
    this.openedAt = now;
    this.probeInFlight = false;
    this.opens += 1;
  }

  private close(): void {
    this.state = 'closed';
    this.probeInFlight = false;
    this.outcomes.length = 0;
  }
}
