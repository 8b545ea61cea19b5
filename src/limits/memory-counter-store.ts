import { assertInteger, bucketKey, describeWindow, weightedUsage, windowSlots, type CounterStore, type WindowHit } from './counter-store.js';

interface Entry {
  value: number;
  /** Epoch milliseconds; Infinity when the counter never expires. */
  expiresAt: number;
}

export interface MemoryCounterStoreOptions {
  /** Clock for expiry (tests inject one). */
  now?: () => number;
}

const sweepEveryWrites = 1_000;

/**
 * Counters in one process. JavaScript runs each operation to completion before the next, so every method
 * is atomic without locks. Expired counters are dropped when read and swept every thousand writes.
 */
export class MemoryCounterStore implements CounterStore {
  private readonly entries = new Map<string, Entry>();
  private readonly now: () => number;
  private writes = 0;

  constructor(options: MemoryCounterStoreOptions = {}) {
    this.now = options.now ?? Date.now;
  }

  async reserve(key: string, amount: number, limit: number, ttlMs: number): Promise<{ allowed: boolean; total: number }> {
    assertInteger('amount', amount);
    const total = this.read(key);
    if (total + amount > limit) return { allowed: false, total };
    return { allowed: true, total: this.write(key, total + amount, ttlMs) };
  }

  async adjust(key: string, delta: number, ttlMs: number): Promise<number> {
    assertInteger('delta', delta);
    return this.write(key, this.read(key) + delta, ttlMs);
  }

  async get(key: string): Promise<number> {
    return this.read(key);
  }

  async windowHit(key: string, amount: number, limit: number, windowMs: number, now: number): Promise<WindowHit> {
    assertInteger('amount', amount);
    const { index, elapsedMs } = windowSlots(now, windowMs);
    const currentKey = bucketKey(key, index);
    let current = this.read(currentKey);
    const previous = this.read(bucketKey(key, index - 1));
    const allowed = weightedUsage(current, previous, elapsedMs, windowMs) + amount <= limit;
    if (allowed) current = this.write(currentKey, current + amount, windowMs * 2);
    return describeWindow({ allowed, current, previous, amount, limit, elapsedMs, windowMs });
  }

  async windowUndo(key: string, amount: number, windowMs: number, hitAt: number): Promise<void> {
    const entry = this.live(bucketKey(key, windowSlots(hitAt, windowMs).index));
    if (entry) entry.value -= amount;
  }

  async close(): Promise<void> {
    this.entries.clear();
  }

  private live(key: string): Entry | undefined {
    const entry = this.entries.get(key);
    if (entry && entry.expiresAt <= this.now()) {
      this.entries.delete(key);
      return undefined;
    }
    return entry;
  }

  private read(key: string): number {
    return this.live(key)?.value ?? 0;
  }

  private write(key: string, value: number, ttlMs: number): number {
    const existing = this.live(key);
    const expiresAt = ttlMs > 0 ? this.now() + ttlMs : (existing?.expiresAt ?? Number.POSITIVE_INFINITY);
    this.entries.set(key, { value, expiresAt });
    if (++this.writes % sweepEveryWrites === 0) this.sweep();
    return value;
  }

  private sweep(): void {
    const now = this.now();
    for (const [key, entry] of this.entries) if (entry.expiresAt <= now) this.entries.delete(key);
  }
}
