import { Counter, Gauge, type Registry } from 'prom-client';
import type { Config } from '../config/schema.js';
import type { LedgerWriter } from '../ledger/ledger-writer.js';
import type { BudgetScope, BudgetService, BudgetUsage } from '../limits/budget-service.js';
import type { DeploymentHealth } from '../routing/deployment-health.js';
import type { ModelRegistry } from '../routing/model-registry.js';
import type { Store } from '../store/store.js';

export interface StateSources {
  config: Config;
  registry: ModelRegistry;
  health: DeploymentHealth;
  ledger: LedgerWriter;
  budgets: BudgetService;
  store: Store;
}

const circuitValue: Record<string, number> = { closed: 0, 'half-open': 1, open: 2 };

/** Gauges read when scraped: circuits, the ledger queue and budgets. Nothing here runs on the request path. */
export function registerStateMetrics(registry: Registry, sources: StateSources): void {
  const registers = [registry];
  new Gauge({
    name: 'switchyard_circuit_state',
    help: 'Circuit breaker of each deployment that has seen traffic: 0 closed, 1 half-open, 2 open.',
    labelNames: ['model', 'provider'],
    registers,
    // Summed over --workers it would mean nothing; the worst state of any worker does.
    aggregator: 'max',
    collect() {
      this.reset();
      for (const [model, entry] of Object.entries(sources.health.snapshot())) {
        const provider = sources.registry.deployment(model)?.provider ?? '';
        this.labels(model, provider).set(circuitValue[String(entry.state)] ?? 0);
      }
    },
  });
  new Gauge({
    name: 'switchyard_ledger_queue_depth',
    help: 'Ledger records waiting to be written.',
    registers,
    collect() {
      this.set(sources.ledger.stats().queued);
    },
  });
  new Gauge({
    name: 'switchyard_ledger_write_lag_seconds',
    help: 'Age of the oldest ledger record not yet written (0 when the queue is empty).',
    registers,
    aggregator: 'max',
    collect() {
      const oldest = sources.ledger.stats().oldestQueuedAt;
      this.set(oldest === null ? 0 : Math.max(0, Date.now() - oldest) / 1000);
    },
  });
  let written = 0;
  new Counter({
    name: 'switchyard_ledger_records_written_total',
    help: 'Ledger records written to the store.',
    registers,
    collect() {
      const now = sources.ledger.stats().written;
      if (now > written) this.inc(now - written);
      written = now;
    },
  });
  registerBudgetGauge(registry, sources);
}

/** Every configured budget: teams from the config, keys and (when customer labels are on) customers from the store. */
async function budgetScopes(sources: StateSources): Promise<BudgetScope[]> {
  const scopes: BudgetScope[] = [];
  for (const [team, limits] of Object.entries(sources.config.teams)) if (limits.budget) scopes.push({ kind: 'team', id: team, budget: limits.budget });
  for (const key of await sources.store.keys.list()) if (key.budget && key.revokedAt === null) scopes.push({ kind: 'key', id: key.id, budget: key.budget });
  if (sources.config.prometheus.customerLabels) {
    for (const customer of await sources.store.customers.list()) if (customer.budget) scopes.push({ kind: 'customer', id: customer.id, budget: customer.budget });
  }
  return scopes.slice(0, sources.config.prometheus.maxLabelValues);
}

function registerBudgetGauge(registry: Registry, sources: StateSources): void {
  // The registry collects every metric of a scrape in one turn of the event loop: both gauges share one read.
  let read: Promise<Array<{ scope: BudgetScope; usage: BudgetUsage }>> | undefined;
  const rows = () => {
    if (!read) {
      read = budgetScopes(sources).then((scopes) => Promise.all(scopes.map(async (scope) => ({ scope, usage: await sources.budgets.usage(scope) }))));
      setImmediate(() => {
        read = undefined;
      });
    }
    return read;
  };
  const gauge = (name: string, help: string, value: (usage: BudgetUsage) => number) =>
    new Gauge({
      name,
      help,
      labelNames: ['scope', 'id', 'period'],
      registers: [registry],
      // Every worker reads the same shared counters.
      aggregator: 'first',
      async collect() {
        this.reset();
        for (const { scope, usage } of await rows()) this.labels(scope.kind, scope.id, scope.budget.period).set(value(usage));
      },
    });
  gauge('switchyard_budget_limit_usd', 'Budget limit for the current period, in US dollars.', (usage) => usage.limitUsd);
  gauge('switchyard_budget_remaining_usd', 'Budget left in the current period, in US dollars (hard budgets count requests in flight as spent).', (usage) => usage.remainingUsd);
}
