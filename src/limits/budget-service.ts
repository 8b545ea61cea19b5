import { GatewayError } from '../core/errors.js';
import { periodAt, type PeriodWindow } from './budget-period.js';
import { fromMicroUsd, toMicroUsd, type CounterStore } from './counter-store.js';
import { defaultAlertAt, type BudgetPeriod, type BudgetScopeKind, type BudgetSpec } from './limit-types.js';

export interface BudgetScope {
  kind: BudgetScopeKind;
  id: string;
  budget: BudgetSpec;
}

/** A budget crossed one of its `alertAt` fractions: reported once per scope, period and threshold. */
export interface ThresholdEvent {
  kind: BudgetScopeKind;
  id: string;
  period: BudgetPeriod;
  periodId: string;
  /** The fraction crossed, as configured (0.8 = 80%). */
  threshold: number;
  limitUsd: number;
  /** Spend counted when the crossing was seen; for hard budgets it includes requests still in flight. */
  spentUsd: number;
  hard: boolean;
}

export interface BudgetServiceOptions {
  store: CounterStore;
  now?: () => number;
  onThreshold?: (event: ThresholdEvent) => void | Promise<void>;
  /** Failures of `onThreshold`, which never fail a request. */
  onError?: (error: unknown) => void;
  /** How long a period's counter outlives its period, so late settlements still land (default 7 days). */
  graceMs?: number;
}

export interface AdmitRequest {
  scopes: readonly BudgetScope[];
  /** The most the request can cost (see `upperBoundCost`). */
  reserveUsd: number;
}

/** Money held for one admitted request: settle it with the real cost, or release it if nothing was spent. */
export interface Reservation {
  readonly reservedUsd: number;
  /** Replaces the reservation with `actualUsd` on every scope and reports thresholds crossed. Once only. */
  settle(actualUsd: number): Promise<void>;
  /** Refunds the reservation (the request failed before costing anything). Once only. */
  release(): Promise<void>;
}

export interface BudgetUsage {
  periodId: string;
  limitUsd: number;
  /** Settled spend plus, for hard budgets, reservations of requests in flight. */
  spentUsd: number;
  remainingUsd: number;
}

interface Hold {
  scope: BudgetScope;
  key: string;
  period: PeriodWindow;
  limit: number;
  /** Micro-dollars held at admission: the reservation on hard budgets, 0 on soft ones. */
  reserved: number;
}

const firedMemoLimit = 10_000;

/**
 * Budgets per key, team and customer, counted in integer micro-dollars in a `CounterStore`.
 *
 * Hard budgets reserve the request's upper-bound cost before it runs, atomically per scope, and refuse it
 * when the reservation would pass the limit; settlement then swaps the reservation for the real cost. So
 * reserved plus settled spend never passes a hard limit, and real spend passes it only by what admitted
 * requests cost beyond their reservation. Soft budgets never refuse: they count real cost at settlement
 * and report their thresholds.
 */
export class BudgetService {
  private readonly store: CounterStore;
  private readonly now: () => number;
  private readonly graceMs: number;
  private readonly fired = new Set<string>();

  constructor(private readonly options: BudgetServiceOptions) {
    this.store = options.store;
    this.now = options.now ?? Date.now;
    this.graceMs = options.graceMs ?? 7 * 24 * 60 * 60 * 1000;
  }

  /** Reserves `reserveUsd` on every hard scope or throws `budget_exceeded` naming the first scope that refused. */
  async admit(request: AdmitRequest): Promise<Reservation> {
    const now = this.now();
    const amount = toMicroUsd(Math.max(0, request.reserveUsd));
    const holds = request.scopes.map((scope) => this.hold(scope, now, scope.budget.hard ? amount : 0));
    const hard = holds.filter((hold) => hold.scope.budget.hard);
    const results = await Promise.allSettled(hard.map((hold) => this.store.reserve(hold.key, amount, hold.limit, this.ttl(hold))));
    const refused = results.findIndex((result) => result.status === 'rejected' || !result.value.allowed);
    if (refused === -1) return this.reservation(holds, amount);
    const taken = hard.filter((_, index) => {
      const result = results[index];
      return result?.status === 'fulfilled' && result.value.allowed;
    });
    await Promise.allSettled(taken.map((hold) => this.store.adjust(hold.key, -amount, this.ttl(hold))));
    const failure = results[refused];
    if (failure?.status === 'rejected') throw failure.reason;
    throw budgetExceeded(hard[refused] as Hold, amount);
  }

  /** Where a scope stands in its current period. */
  async usage(scope: BudgetScope): Promise<BudgetUsage> {
    const hold = this.hold(scope, this.now(), 0);
    const spent = await this.store.get(hold.key);
    const remaining = fromMicroUsd(Math.max(0, hold.limit - spent));
    return { periodId: hold.period.id, limitUsd: scope.budget.usd, spentUsd: fromMicroUsd(spent), remainingUsd: remaining };
  }

  private reservation(holds: readonly Hold[], amount: number): Reservation {
    let done = false;
    const once = (): boolean => {
      const first = !done;
      done = true;
      return first;
    };
    return {
      reservedUsd: fromMicroUsd(amount),
      settle: async (actualUsd) => {
        if (!once()) return;
        const actual = toMicroUsd(Math.max(0, actualUsd));
        await Promise.all(holds.map((hold) => this.settleHold(hold, actual)));
      },
      release: async () => {
        if (once()) await Promise.all(holds.map((hold) => this.releaseHold(hold)));
      },
    };
  }

  private async settleHold(hold: Hold, actual: number): Promise<void> {
    const delta = actual - hold.reserved;
    const alerts = hold.scope.budget.alertAt ?? defaultAlertAt;
    if (delta === 0 && (alerts.length === 0 || !hold.scope.budget.hard)) return;
    const total = await this.store.adjust(hold.key, delta, this.ttl(hold));
    await this.reportThresholds(hold, total, alerts);
  }

  private async releaseHold(hold: Hold): Promise<void> {
    if (hold.reserved !== 0) await this.store.adjust(hold.key, -hold.reserved, this.ttl(hold));
  }

  private hold(scope: BudgetScope, now: number, reserved: number): Hold {
    const period = periodAt(scope.budget.period, now);
    const key = `budget:${scope.kind}:${encodeURIComponent(scope.id)}:${period.id}`;
    return { scope, key, period, limit: toMicroUsd(scope.budget.usd), reserved };
  }

  private ttl(hold: Hold): number {
    if (!Number.isFinite(hold.period.endsAt)) return 0;
    return Math.max(1_000, hold.period.endsAt + this.graceMs - this.now());
  }

  private async reportThresholds(hold: Hold, total: number, alerts: readonly number[]): Promise<void> {
    for (const threshold of alerts) {
      if (total <= 0 || total < threshold * hold.limit) continue;
      const alertKey = `${hold.key}:alert:${threshold}`;
      if (this.fired.has(alertKey)) continue;
      // The first replica to claim the marker reports; the others only remember that it was reported.
      const claim = await this.store.reserve(alertKey, 1, 1, this.ttl(hold));
      if (this.fired.size >= firedMemoLimit) this.fired.clear();
      this.fired.add(alertKey);
      if (claim.allowed) this.emit(hold, threshold, total);
    }
  }

  private emit(hold: Hold, threshold: number, total: number): void {
    const { scope, period } = hold;
    const event: ThresholdEvent = {
      kind: scope.kind,
      id: scope.id,
      period: scope.budget.period,
      periodId: period.id,
      threshold,
      limitUsd: scope.budget.usd,
      spentUsd: fromMicroUsd(total),
      hard: scope.budget.hard,
    };
    try {
      const result = this.options.onThreshold?.(event);
      if (result instanceof Promise) result.catch((error: unknown) => this.options.onError?.(error));
    } catch (error) {
      this.options.onError?.(error);
    }
  }
}

function budgetExceeded(hold: Hold, amount: number): GatewayError {
  const { scope, period } = hold;
  const when = scope.budget.period === 'lifetime' ? 'lifetime' : `${scope.budget.period} (${period.id})`;
  return new GatewayError(
    'budget_exceeded',
    `Budget exceeded: the ${when} budget of ${dollars(scope.budget.usd)} for ${scope.kind} "${scope.id}" has no room for this request, which may cost up to ${dollars(fromMicroUsd(amount))}.`,
  );
}

function dollars(usd: number): string {
  return usd >= 0.01 || usd === 0 ? `$${usd.toFixed(2)}` : `$${usd.toFixed(6)}`;
}
