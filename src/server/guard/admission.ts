import type { ServerResponse } from 'node:http';
import { GatewayError } from '../../core/errors.js';
import type { Principal } from '../auth/key-service.js';
import type { EventLoopLag } from './event-loop-lag.js';
import type { GuardCounters } from './guard-counters.js';
import type { GuardSettings } from './guard-config.js';

/**
 * Admission of new work: sheds with 503 when this process is overloaded (too many requests in flight, or an event
 * loop running late), and refuses with 429 a key that already has `maxConcurrentPerKey` requests in flight.
 * Both answers carry Retry-After. Counts are released when the response closes, however it ends.
 */
export class Admission {
  private readonly perKey = new Map<string, number>();

  constructor(
    private readonly settings: Pick<GuardSettings, 'maxConcurrentPerKey' | 'overload'>,
    private readonly lag: EventLoopLag,
    readonly counters: GuardCounters,
  ) {}

  /** Counts a request in flight until its response closes, and throws `gateway_overloaded` when it should be shed. */
  admit(response: ServerResponse): void {
    this.counters.inFlight++;
    response.once('close', () => this.counters.inFlight--);
    const { maxInFlight, maxEventLoopDelayMs } = this.settings.overload;
    if (maxInFlight > 0 && this.counters.inFlight > maxInFlight) {
      this.counters.shedInFlight++;
      throw this.overloaded(`The gateway has ${maxInFlight} requests in flight (server.overload.maxInFlight); retry in a moment.`);
    }
    if (maxEventLoopDelayMs > 0) {
      const delayMs = this.lag.currentMs();
      if (delayMs > maxEventLoopDelayMs) {
        this.counters.shedEventLoopDelay++;
        throw this.overloaded(`The gateway is overloaded (event loop ${Math.round(delayMs)} ms late, server.overload.maxEventLoopDelayMs is ${maxEventLoopDelayMs}); retry in a moment.`);
      }
    }
  }

  /** Holds one of the key's concurrent slots until the response closes, or throws `rate_limited`. */
  enterKey(principal: Principal, response: ServerResponse): void {
    const limit = this.settings.maxConcurrentPerKey;
    const id = principal.key?.id;
    if (limit === 0 || id === undefined) return;
    const current = this.perKey.get(id) ?? 0;
    if (current >= limit) {
      this.counters.keyConcurrencyRejected++;
      throw new GatewayError('rate_limited', `This key already has ${limit} requests in flight (server.maxConcurrentPerKey); retry when one finishes.`, { retryAfterMs: this.retryAfterMs() });
    }
    this.perKey.set(id, current + 1);
    response.once('close', () => {
      const remaining = (this.perKey.get(id) ?? 1) - 1;
      if (remaining <= 0) this.perKey.delete(id);
      else this.perKey.set(id, remaining);
    });
  }

  private retryAfterMs(): number {
    return this.settings.overload.retryAfterSeconds * 1000;
  }

  private overloaded(message: string): GatewayError {
    return new GatewayError('gateway_overloaded', message, { retryAfterMs: this.retryAfterMs() });
  }
}
