/**
 * Named integer counters shared by budgets and rate limits: in process (`MemoryCounterStore`) or in Redis
 * (`RedisCounterStore`) when several replicas must agree. Amounts are integers (micro-dollars for money,
 * requests or tokens for rate limits); every operation is atomic on its own.
 *
 * A `ttlMs` of 0 means the counter never expires; a positive one (re)sets its expiry on every write.
 */
export interface CounterStore {
  /** Adds `amount` only if the total stays at or under `limit`; answers the total after the call. */
  reserve(key: string, amount: number, limit: number, ttlMs: number): Promise<{ allowed: boolean; total: number }>;
  /** Adds a possibly negative `delta` unconditionally (settling a reservation); answers the new total. */
  adjust(key: string, delta: number, ttlMs: number): Promise<number>;
  /** The current total, 0 for a missing or expired counter. */
  get(key: string): Promise<number>;
  /** Counts `amount` against a sliding window of `windowMs` if it fits under `limit` (see `slidingWindow`). */
  windowHit(key: string, amount: number, limit: number, windowMs: number, now: number): Promise<WindowHit>;
  /** Takes back an allowed hit made at `hitAt` (another limit refused the same request). */
  windowUndo(key: string, amount: number, windowMs: number, hitAt: number): Promise<void>;
  close(): Promise<void>;
}

export interface WindowHit {
  allowed: boolean;
  /** Usage of the window after this call, counting this hit when allowed (rounded up). */
  used: number;
  /** Time until usage decays to zero if nothing else is counted: the `x-ratelimit-reset-*` value. */
  resetMs: number;
  /** When refused: time until a hit of the same amount would fit, if nothing else is counted. 0 when allowed. */
  retryAfterMs: number;
}

/**
 * The sliding window is the two-bucket approximation: usage is the current fixed window's count plus the
 * previous window's count weighted by the share of it still inside the sliding window. It needs two integers
 * per limit (not a log of every hit), is exact when traffic is even, and unlike a plain fixed window it does
 * not let a client spend twice the limit across a window boundary.
 */
export interface WindowSlots {
  /** Index of the fixed window holding `now`; its bucket is `bucketKey(key, index)`. */
  index: number;
  /** Milliseconds of the current fixed window already past. */
  elapsedMs: number;
}

export function windowSlots(now: number, windowMs: number): WindowSlots {
  const index = Math.floor(now / windowMs);
  return { index, elapsedMs: now - index * windowMs };
}

export function bucketKey(key: string, index: number): string {
  return `${key}:${index}`;
}

/**
 * Weighted usage of the sliding window. The Redis script evaluates the same expression in the same order
 * (both are IEEE doubles), so both drivers admit exactly the same hits.
 */
export function weightedUsage(current: number, previous: number, elapsedMs: number, windowMs: number): number {
  return current + (previous * (windowMs - elapsedMs)) / windowMs;
}

export interface WindowCounts {
  allowed: boolean;
  /** The current bucket after the call. */
  current: number;
  previous: number;
  amount: number;
  limit: number;
  elapsedMs: number;
  windowMs: number;
}

/** Turns the two bucket counts a driver read (and maybe incremented) into the answer of `windowHit`. */
export function describeWindow(counts: WindowCounts): WindowHit {
  const { current, previous, elapsedMs, windowMs } = counts;
  const used = Math.ceil(weightedUsage(current, previous, elapsedMs, windowMs) - 1e-9);
  const untilWindowEnd = windowMs - elapsedMs;
  const resetMs = current > 0 ? untilWindowEnd + windowMs : previous > 0 ? untilWindowEnd : 0;
  return { allowed: counts.allowed, used: Math.max(0, used), resetMs, retryAfterMs: counts.allowed ? 0 : retryAfter(counts) };
}

function retryAfter(counts: WindowCounts): number {
  const { current, previous, amount, limit, elapsedMs, windowMs } = counts;
  const room = limit - amount;
  if (room < 0) return Number.POSITIVE_INFINITY;
  if (current <= room && previous > 0) {
    // Waiting inside this window: the previous bucket's weight must fall until the hit fits.
    const fitsAt = windowMs * (1 - (room - current) / previous);
    return Math.max(1, Math.ceil(fitsAt - elapsedMs));
  }
  // The current bucket alone is too full: wait for it to become the previous bucket and decay.
  const fitsAtNext = current > 0 ? windowMs * (1 - room / current) : 0;
  return Math.max(1, Math.ceil(windowMs - elapsedMs + Math.max(0, fitsAtNext)));
}

/** Counters hold integers only; a fractional amount is a caller bug (convert dollars with `toMicroUsd`). */
export function assertInteger(name: string, value: number): void {
  if (!Number.isSafeInteger(value)) throw new TypeError(`${name} must be a safe integer, got ${value}`);
}

/** Whole micro-dollars for a dollar amount, rounded up (via nano-dollars, so 0.1 is 100000, not 100001). */
export function toMicroUsd(usd: number): number {
  return Math.ceil(Math.round(usd * 1e9) / 1000);
}

export function fromMicroUsd(micros: number): number {
  return micros / 1e6;
}
