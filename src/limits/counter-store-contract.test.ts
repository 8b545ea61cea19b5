import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, before, describe, test } from 'node:test';
import type { CounterStore } from './counter-store.js';
import { MemoryCounterStore } from './memory-counter-store.js';
import { connectTestStore, dropTestPrefix, uniqueTestPrefix } from './redis-test-server.js';

interface Driver {
  name: string;
  open(): Promise<CounterStore>;
  /** A second, independent connection to the same counters (another replica); absent for in-process counters. */
  openReplica?(): Promise<CounterStore>;
  cleanup(): Promise<void>;
}

const memoryDriver = (): Driver => ({ name: 'memory', open: async () => new MemoryCounterStore(), cleanup: async () => {} });

function redisDriver(): Driver {
  const prefix = uniqueTestPrefix();
  return { name: 'redis', open: () => connectTestStore(prefix), openReplica: () => connectTestStore(prefix), cleanup: () => dropTestPrefix(prefix) };
}

const windowMs = 60_000;
/** The start of a fixed window, so tests choose exactly where in the window each hit lands. */
const windowStart = Math.floor(Date.now() / windowMs) * windowMs;

async function countAllowed(results: Promise<{ allowed: boolean }>[]): Promise<number> {
  return (await Promise.all(results)).filter((result) => result.allowed).length;
}

for (const makeDriver of [memoryDriver, redisDriver]) {
  const driver = makeDriver();
  describe(`counter store contract: ${driver.name}`, () => {
    let store: CounterStore;
    before(async () => {
      store = await driver.open();
    });
    after(async () => {
      if (store) await store.close();
      await driver.cleanup();
    });

    test('200 concurrent reservations admit exactly floor(limit / amount) and never pass the limit', async () => {
      const results = await Promise.all(Array.from({ length: 200 }, () => store.reserve('reserve-race', 7, 1_000, 60_000)));
      assert.equal(results.filter((result) => result.allowed).length, Math.floor(1_000 / 7));
      assert.ok(results.every((result) => result.total <= 1_000));
      assert.equal(await store.get('reserve-race'), 7 * Math.floor(1_000 / 7));
    });

    test('a refused reservation leaves the total as it was and reports it', async () => {
      assert.deepEqual(await store.reserve('reserve-refuse', 60, 100, 60_000), { allowed: true, total: 60 });
      assert.deepEqual(await store.reserve('reserve-refuse', 41, 100, 60_000), { allowed: false, total: 60 });
      assert.deepEqual(await store.reserve('reserve-refuse', 40, 100, 60_000), { allowed: true, total: 100 });
      assert.deepEqual(await store.reserve('reserve-refuse', 0, 100, 60_000), { allowed: true, total: 100 });
    });

    test('adjust adds positive and negative deltas and get reads the total', async () => {
      assert.equal(await store.get('adjust'), 0);
      assert.equal(await store.adjust('adjust', 500, 60_000), 500);
      assert.equal(await store.adjust('adjust', -320, 60_000), 180);
      assert.equal(await store.get('adjust'), 180);
      const admitted = await store.reserve('adjust', 820, 1_000, 60_000);
      assert.deepEqual(admitted, { allowed: true, total: 1_000 });
    });

    test('counters expire after their ttl, a ttl of 0 keeps the expiry they had, and no ttl never expires', async () => {
      await store.reserve('expiring', 5, 10, 300);
      await store.adjust('expiring-adjust', 5, 300);
      await store.adjust('expiring-adjust', 1, 0);
      await store.adjust('forever', 3, 0);
      assert.equal(await store.get('expiring'), 5);
      await sleep(700);
      assert.equal(await store.get('expiring'), 0);
      assert.equal(await store.get('expiring-adjust'), 0);
      assert.equal(await store.get('forever'), 3);
      assert.deepEqual(await store.reserve('expiring', 10, 10, 150), { allowed: true, total: 10 });
    });

    test('fractional amounts are refused as a caller error', async () => {
      await assert.rejects(store.reserve('fraction', 1.5, 10, 0), TypeError);
      await assert.rejects(store.adjust('fraction', 0.1, 0), TypeError);
      await assert.rejects(store.windowHit('fraction', 0.5, 10, windowMs, windowStart), TypeError);
    });

    test('200 concurrent window hits admit exactly the limit', async () => {
      const now = windowStart + 10;
      const hits = Array.from({ length: 200 }, () => store.windowHit('window-race', 1, 50, windowMs, now));
      assert.equal(await countAllowed(hits), 50);
      const tokens = Array.from({ length: 200 }, () => store.windowHit('window-race-tokens', 3, 50, windowMs, now));
      assert.equal(await countAllowed(tokens), 16);
    });

    test('a window hit reports usage, reset and retry-after', async () => {
      const now = windowStart + 15_000;
      assert.deepEqual(await store.windowHit('window-report', 4, 5, windowMs, now), { allowed: true, used: 4, resetMs: 105_000, retryAfterMs: 0 });
      const refused = await store.windowHit('window-report', 2, 5, windowMs, now);
      assert.equal(refused.allowed, false);
      assert.equal(refused.used, 4);
      // The 4 must become the previous bucket and decay to 3: 45 s to the window's end, then a quarter window.
      assert.equal(refused.retryAfterMs, 45_000 + 15_000);
      assert.equal((await store.windowHit('window-report', 2, 5, windowMs, now + refused.retryAfterMs)).allowed, true);
    });

    test('the previous window counts by the share of it still inside the sliding window', async () => {
      const first = Array.from({ length: 10 }, () => store.windowHit('window-slide', 1, 10, windowMs, windowStart + 1_000));
      assert.equal(await countAllowed(first), 10);
      const halfway = windowStart + windowMs + windowMs / 2;
      const second = Array.from({ length: 10 }, () => store.windowHit('window-slide', 1, 10, windowMs, halfway));
      assert.equal(await countAllowed(second), 5);
      const later = Array.from({ length: 20 }, () => store.windowHit('window-slide', 1, 10, windowMs, windowStart + 3 * windowMs));
      assert.equal(await countAllowed(later), 10);
    });

    test('an undone hit gives its room back', async () => {
      const now = windowStart + 5;
      await store.windowHit('window-undo', 3, 5, windowMs, now);
      assert.equal((await store.windowHit('window-undo', 3, 5, windowMs, now)).allowed, false);
      await store.windowUndo('window-undo', 3, windowMs, now);
      assert.deepEqual(await store.windowHit('window-undo', 3, 5, windowMs, now), { allowed: true, used: 3, resetMs: 2 * windowMs - 5, retryAfterMs: 0 });
    });

    if (driver.openReplica) {
      const openReplica = driver.openReplica;
      test('two connections (two replicas) share the same counters atomically', async () => {
        const replica = await openReplica();
        try {
          const results = Array.from({ length: 200 }, (_, index) => (index % 2 === 0 ? store : replica).reserve('replicas', 3, 100, 60_000));
          assert.equal(await countAllowed(results), 33);
          assert.equal(await replica.get('replicas'), 99);
          assert.equal(await store.adjust('replicas', -9, 60_000), 90);
          assert.equal(await replica.get('replicas'), 90);
          const now = windowStart + 20;
          const hits = Array.from({ length: 100 }, (_, index) => (index % 2 === 0 ? store : replica).windowHit('replicas-window', 1, 30, windowMs, now));
          assert.equal(await countAllowed(hits), 30);
        } finally {
          await replica.close();
        }
      });
    }
  });
}
