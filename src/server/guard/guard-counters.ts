/**
 * What the guards refused or shed since start, on this process. A plain object mutated in place, so a stats
 * endpoint or a metrics exporter reads it without copying on the request path.
 */
export interface GuardCounters {
  /** Client connections open now. */
  openConnections: number;
  /** New connections closed at once because every open one was busy and the limit was reached. */
  refusedConnections: number;
  /** Idle connections closed to make room for a new one at the limit. */
  evictedIdleConnections: number;
  /** Bodies cut because they were not complete within `bodyTimeoutMs`. */
  bodyTimeouts: number;
  /** Bodies cut because they arrived slower than `bodyMinBytesPerSecond`. */
  slowBodies: number;
  /** Requests refused with 429 because their key had `maxConcurrentPerKey` in flight. */
  keyConcurrencyRejected: number;
  /** Requests shed with 503 because `overload.maxInFlight` were in flight. */
  shedInFlight: number;
  /** Requests shed with 503 because the event loop was late by more than `overload.maxEventLoopDelayMs`. */
  shedEventLoopDelay: number;
  /** Requests in flight now. */
  inFlight: number;
}

export function newGuardCounters(): GuardCounters {
  return { openConnections: 0, refusedConnections: 0, evictedIdleConnections: 0, bodyTimeouts: 0, slowBodies: 0, keyConcurrencyRejected: 0, shedInFlight: 0, shedEventLoopDelay: 0, inFlight: 0 };
}
