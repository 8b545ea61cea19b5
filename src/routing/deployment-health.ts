import type { ResilienceConfig } from '../config/schema.js';
import { CircuitBreaker, type BreakerTransition } from './circuit-breaker.js';
import type { DeploymentStats } from './policies.js';
import { RetryBudget } from './retry-budget.js';

const latencySmoothing = 0.2;

interface Entry {
  breaker: CircuitBreaker;
  budget: RetryBudget;
  requests: number;
  failures: number;
  lastError: string | null;
  lastErrorAt: number | null;
  latencyMs: number | undefined;
}

/** Breakers, retry budgets, latency averages and counts per deployment (by model name), in this process. */
export class DeploymentHealth implements DeploymentStats {
  private readonly entries = new Map<string, Entry>();
  /** Where this replica's breaker transitions go, so that other replicas follow them (see shared-breakers.ts). */
  private share: ((model: string, transition: BreakerTransition) => void) | undefined;

  constructor(private readonly options: ResilienceConfig) {}

  shareTransitions(share: (model: string, transition: BreakerTransition) => void): void {
    this.share = share;
  }

  /** A transition another replica made on this deployment's circuit. */
  applyShared(model: string, transition: BreakerTransition): void {
    this.entry(model).breaker.applyShared(transition);
  }

  private entry(model: string): Entry {
    let entry = this.entries.get(model);
    if (!entry) {
      const breaker = new CircuitBreaker(this.options.breaker, (transition) => this.share?.(model, transition));
      entry = { breaker, budget: new RetryBudget(this.options.retryBudget), requests: 0, failures: 0, lastError: null, lastErrorAt: null, latencyMs: undefined };
      this.entries.set(model, entry);
    }
    return entry;
  }

  allows(model: string, now = Date.now()): boolean {
    return this.entry(model).breaker.allows(now);
  }

  recordAttempt(model: string, outcome: { success: boolean; countsAgainstHealth: boolean; error?: string; latencyMs?: number }, now = Date.now()): void {
    const entry = this.entry(model);
    if (outcome.success && outcome.latencyMs !== undefined) {
      entry.latencyMs = entry.latencyMs === undefined ? outcome.latencyMs : entry.latencyMs + latencySmoothing * (outcome.latencyMs - entry.latencyMs);
    }
    entry.requests += 1;
    entry.budget.recordRequest(now);
    if (!outcome.success) {
      entry.failures += 1;
      entry.lastError = outcome.error ?? null;
      entry.lastErrorAt = now;
    }
    // Client mistakes (400, 404) say nothing about the deployment's health.
    if (outcome.success || outcome.countsAgainstHealth) entry.breaker.record(outcome.success, now);
  }

  /** Moving average of time to first token (or latency) of successful attempts. */
  latencyMs(model: string): number | undefined {
    return this.entries.get(model)?.latencyMs;
  }

  tryRetry(model: string, now = Date.now()): boolean {
    return this.entry(model).budget.tryRetry(now);
  }

  snapshot(now = Date.now()): Record<string, Record<string, unknown>> {
    const result: Record<string, Record<string, unknown>> = {};
    for (const [model, entry] of this.entries) {
      result[model] = {
        ...entry.breaker.snapshot(now),
        requests: entry.requests,
        failures: entry.failures,
        retriesLast10s: entry.budget.retriesInWindow(now),
        latencyMs: entry.latencyMs === undefined ? null : Math.round(entry.latencyMs * 1000) / 1000,
        lastError: entry.lastError,
        lastErrorAt: entry.lastErrorAt === null ? null : new Date(entry.lastErrorAt).toISOString(),
      };
    }
    return result;
  }
}
