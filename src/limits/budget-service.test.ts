import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';
import { GatewayError } from '../core/errors.js';
import { periodAt } from './budget-period.js';
import { BudgetService, type BudgetScope, type Reservation, type ThresholdEvent } from './budget-service.js';
import type { CounterStore } from './counter-store.js';
import type { BudgetSpec } from './limit-types.js';
import { MemoryCounterStore } from './memory-counter-store.js';
import { connectTestStore, dropTestPrefix, uniqueTestPrefix } from './redis-test-server.js';
import { upperBoundCost } from './upper-bound-cost.js';

const midNovember = Date.UTC(2026, 10, 15, 12);

function scope(kind: BudgetScope['kind'], id: string, budget: Partial<BudgetSpec> = {}): BudgetScope {
  return { kind, id, budget: { usd: 1, period: 'monthly', hard: true, ...budget } };
}

function isBudgetError(error: unknown): boolean {
  return error instanceof GatewayError && error.code === 'budget_exceeded' && error.status === 429;
}

/** Admits `count` requests at once across the services and answers how many got in. */
async function admitConcurrently(services: BudgetService[], scopes: BudgetScope[], count: number, reserveUsd: number): Promise<number> {
  const outcomes = await Promise.allSettled(
    Array.from({ length: count }, (_, index) => (services[index % services.length] as BudgetService).admit({ scopes, reserveUsd })),
  );
  for (const outcome of outcomes) if (outcome.status === 'rejected') assert.ok(isBudgetError(outcome.reason), String(outcome.reason));
  return outcomes.filter((outcome) => outcome.status === 'fulfilled').length;
}

describe('hard budgets under concurrency', () => {
  test('200 concurrent admissions against a budget worth 10 requests admit exactly 10 (memory)', async () => {
    const budgets = new BudgetService({ store: new MemoryCounterStore(), now: () => midNovember });
    const scopes = [scope('key', 'k1')];
    assert.equal(await admitConcurrently([budgets], scopes, 200, 0.1), 10);
    assert.equal((await budgets.usage(scopes[0] as BudgetScope)).spentUsd, 1);
  });

  const prefix = uniqueTestPrefix();
  const stores: CounterStore[] = [];
  after(async () => {
    await Promise.all(stores.map((store) => store.close()));
    await dropTestPrefix(prefix);
  });

  test('200 concurrent admissions through two replicas sharing Redis admit exactly 10', async () => {
    stores.push(await connectTestStore(prefix), await connectTestStore(prefix));
    const replicas = stores.map((store) => new BudgetService({ store, now: () => midNovember }));
    const scopes = [scope('team', 'research'), scope('customer', 'acme', { usd: 100 })];
    assert.equal(await admitConcurrently(replicas, scopes, 200, 0.1), 10);
    const [team, customer] = await Promise.all(scopes.map((each) => (replicas[1] as BudgetService).usage(each)));
    assert.equal(team?.spentUsd, 1);
    assert.equal(customer?.spentUsd, 1, 'reservations refused by the team are given back on the customer');
  });
});

describe('admission, settlement and release', () => {
  const budgets = () => new BudgetService({ store: new MemoryCounterStore(), now: () => midNovember });

  test('the refusal names the scope, its limit and its period', async () => {
    const service = budgets();
    const scopes = [scope('key', 'k1', { usd: 100 }), scope('team', 'ml', { usd: 0.5 })];
    await service.admit({ scopes, reserveUsd: 0.4 });
    await assert.rejects(service.admit({ scopes, reserveUsd: 0.2 }), (error: unknown) => {
      assert.ok(isBudgetError(error));
      assert.match((error as Error).message, /monthly \(2026-11\) budget of \$0\.50 for team "ml"/);
      assert.match((error as Error).message, /up to \$0\.20/);
      return true;
    });
    assert.equal((await service.usage(scopes[0] as BudgetScope)).spentUsd, 0.4, 'the key keeps only the admitted reservation');
  });

  test('settling with a smaller actual cost frees room for the next request', async () => {
    const service = budgets();
    const scopes = [scope('key', 'k1')];
    const first = await service.admit({ scopes, reserveUsd: 0.5 });
    await service.admit({ scopes, reserveUsd: 0.5 });
    await assert.rejects(service.admit({ scopes, reserveUsd: 0.3 }), isBudgetError);
    await first.settle(0.1);
    assert.equal((await service.usage(scopes[0] as BudgetScope)).spentUsd, 0.6);
    await service.admit({ scopes, reserveUsd: 0.3 });
    assert.equal((await service.usage(scopes[0] as BudgetScope)).remainingUsd, 0.1);
  });

  test('release refunds the whole reservation, and settle or release act only once', async () => {
    const service = budgets();
    const scopes = [scope('key', 'k1'), scope('customer', 'c1')];
    const reservation = await service.admit({ scopes, reserveUsd: 0.7 });
    assert.equal(reservation.reservedUsd, 0.7);
    await reservation.release();
    await reservation.release();
    await reservation.settle(0.5);
    for (const each of scopes) assert.equal((await service.usage(each)).spentUsd, 0);
    const settled = await service.admit({ scopes, reserveUsd: 0.7 });
    await settled.settle(0.2);
    await settled.settle(0.2);
    await settled.release();
    for (const each of scopes) assert.equal((await service.usage(each)).spentUsd, 0.2);
  });

  test('an actual cost above the reservation is still counted', async () => {
    const service = budgets();
    const scopes = [scope('key', 'k1')];
    await (await service.admit({ scopes, reserveUsd: 0.9 })).settle(1.25);
    assert.deepEqual(await service.usage(scopes[0] as BudgetScope), { periodId: '2026-11', limitUsd: 1, spentUsd: 1.25, remainingUsd: 0 });
    await assert.rejects(service.admit({ scopes, reserveUsd: 0 }), isBudgetError);
  });
});

describe('soft budgets and thresholds', () => {
  test('soft budgets never refuse and report each threshold exactly once per period', async () => {
    const events: ThresholdEvent[] = [];
    const service = new BudgetService({ store: new MemoryCounterStore(), now: () => midNovember, onThreshold: (event) => void events.push(event) });
    const scopes = [scope('customer', 'acme', { hard: false })];
    for (let index = 0; index < 15; index++) {
      const reservation = await service.admit({ scopes, reserveUsd: 5 });
      await reservation.settle(0.1);
    }
    assert.equal((await service.usage(scopes[0] as BudgetScope)).spentUsd, 1.5);
    assert.deepEqual(
      events.map((event) => [event.threshold, event.spentUsd, event.periodId, event.kind, event.id, event.hard]),
      [[0.8, 0.8, '2026-11', 'customer', 'acme', false], [1, 1, '2026-11', 'customer', 'acme', false]],
    );
  });

  test('two replicas sharing a store report a threshold once between them', async () => {
    const store = new MemoryCounterStore();
    const events: ThresholdEvent[] = [];
    const replicas = [0, 1].map(() => new BudgetService({ store, now: () => midNovember, onThreshold: (event) => void events.push(event) }));
    const scopes = [scope('team', 't', { hard: false, alertAt: [0.5] })];
    for (let index = 0; index < 10; index++) await (await (replicas[index % 2] as BudgetService).admit({ scopes, reserveUsd: 0 })).settle(0.2);
    assert.equal(events.length, 1);
    assert.equal(events[0]?.spentUsd, 0.6);
  });

  test('hard budgets report thresholds at settlement; a failing callback does not fail the request', async () => {
    const errors: unknown[] = [];
    const service = new BudgetService({
      store: new MemoryCounterStore(),
      now: () => midNovember,
      onThreshold: () => {
        throw new Error('webhook down');
      },
      onError: (error) => void errors.push(error),
    });
    const scopes = [scope('key', 'k1', { alertAt: [0.5] })];
    await (await service.admit({ scopes, reserveUsd: 0.6 })).settle(0.6);
    assert.equal(errors.length, 1);
  });
});

describe('periods', () => {
  test('period ids and ends are UTC days and months', () => {
    assert.deepEqual(periodAt('monthly', Date.UTC(2026, 11, 31, 23, 59, 59, 999)), { id: '2026-12', endsAt: Date.UTC(2027, 0, 1) });
    assert.deepEqual(periodAt('daily', Date.UTC(2028, 1, 29, 8)), { id: '2028-02-29', endsAt: Date.UTC(2028, 2, 1) });
    assert.deepEqual(periodAt('daily', Date.UTC(2026, 10, 5)), { id: '2026-11-05', endsAt: Date.UTC(2026, 10, 6) });
    assert.deepEqual(periodAt('lifetime', 0), { id: 'lifetime', endsAt: Number.POSITIVE_INFINITY });
  });

  test('a monthly budget starts afresh at the UTC month boundary, and its thresholds with it', async () => {
    let clock = Date.UTC(2026, 10, 30, 23, 59, 59);
    const events: ThresholdEvent[] = [];
    const service = new BudgetService({ store: new MemoryCounterStore(), now: () => clock, onThreshold: (event) => void events.push(event) });
    const scopes = [scope('key', 'k1', { alertAt: [1] })];
    const late: Reservation = await service.admit({ scopes, reserveUsd: 0.6 });
    await (await service.admit({ scopes, reserveUsd: 0.4 })).settle(0.4);
    await assert.rejects(service.admit({ scopes, reserveUsd: 0.1 }), isBudgetError);
    clock = Date.UTC(2026, 11, 1);
    await (await service.admit({ scopes, reserveUsd: 1 })).settle(1);
    await late.settle(0.6);
    assert.deepEqual(await service.usage(scopes[0] as BudgetScope), { periodId: '2026-12', limitUsd: 1, spentUsd: 1, remainingUsd: 0 });
    assert.deepEqual(events.map((event) => event.periodId), ['2026-11', '2026-12']);
  });

  test('a daily budget rolls over at 00:00 UTC and a lifetime budget never does', async () => {
    let clock = Date.UTC(2026, 10, 5, 23, 30);
    const service = new BudgetService({ store: new MemoryCounterStore(), now: () => clock });
    const daily = [scope('key', 'k1', { period: 'daily' })];
    const lifetime = [scope('customer', 'c1', { period: 'lifetime' })];
    await service.admit({ scopes: daily, reserveUsd: 1 });
    await service.admit({ scopes: lifetime, reserveUsd: 1 });
    await assert.rejects(service.admit({ scopes: daily, reserveUsd: 0.5 }), /daily \(2026-11-05\)/);
    clock = Date.UTC(2026, 10, 6, 0, 0, 1);
    await service.admit({ scopes: daily, reserveUsd: 0.5 });
    await assert.rejects(service.admit({ scopes: lifetime, reserveUsd: 0.5 }), /the lifetime budget of \$1\.00 for customer "c1"/);
  });
});

describe('upperBoundCost', () => {
  const price = { input: 3, output: 15, cachedInput: 0.3, cacheWrite: 3.75 };

  test('charges the input at its highest rate and the output cap at the output rate', () => {
    assert.equal(upperBoundCost(price, 1_000, 500, 4_096), (1_000 * 3.75 + 500 * 15) / 1e6);
  });

  test('falls back to the default cap without max_tokens and adds per-request fees', () => {
    assert.equal(upperBoundCost({ input: 1, output: 2, reasoning: 4, perRequest: 0.01 }, 100, undefined, 1_000), (100 + 4_000) / 1e6 + 0.01);
    assert.equal(upperBoundCost(undefined, 1_000, 1_000, 1_000), 0);
  });
});
