import type { ResilienceConfig } from '../config/schema.js';

export type BreakerState = 'closed' | 'open' | 'half-open';

/** A circuit opening (at `openedAt`, epoch ms) or closing, as other replicas learn of it. */
export type BreakerTransition = { state: 'open'; openedAt: number } | { state: 'closed' };

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

  constructor(
    private readonly options: ResilienceConfig['breaker'],
    /** Told when this breaker's own outcomes open or close it, not when another replica's do. */
    private readonly onTransition?: (transition: BreakerTransition) => void,
  ) {}

  /**
   * Takes a transition another replica made. An open circuit only moves to a later opening, so an old message
   * cannot shorten a cooldown; each replica then lets its own probe through when the cooldown ends.
   */
  applyShared(transition: BreakerTransition): void {
    if (transition.state === 'closed') {
      if (this.state !== 'closed') this.close();
      this.consecutiveFailures = 0;
      return;
    }
    if (this.state === 'open' && this.openedAt >= transition.openedAt) return;
    this.state = 'open';
    this.openedAt = transition.openedAt;
    this.probeInFlight = false;
  }

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
      if (this.state === 'half-open') {
        this.close();
        this.onTransition?.({ state: 'closed' });
      }
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
    this.onTransition?.({ state: 'open', openedAt: now });
  }

  private close(): void {
    this.state = 'closed';
    this.probeInFlight = false;
    this.outcomes.length = 0;
  }
}
