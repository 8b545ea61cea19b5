import type { Server, ServerOptions } from 'node:http';
import { Admission } from './admission.js';
import { guardBodyDeadlines } from './body-deadline.js';
import { guardConnections } from './connection-guard.js';
import { EventLoopLag } from './event-loop-lag.js';
import type { GuardSettings } from './guard-config.js';
import { newGuardCounters } from './guard-counters.js';

export interface InstalledGuards {
  admission: Admission;
  close(): void;
}

/** Options for `createServer`: header and keep-alive timeouts, checked every second rather than Node's 30 s. */
export function guardedServerOptions(settings: GuardSettings): ServerOptions {
  return {
    headersTimeout: settings.headersTimeoutMs,
    keepAliveTimeout: settings.keepAliveTimeoutMs,
    // The body has its own deadline (installGuards), so Node's whole-request timeout, which would also cover slow handlers, stays off.
    requestTimeout: 0,
    connectionsCheckingInterval: Math.min(1_000, settings.headersTimeoutMs),
  };
}

/** Applies the `server:` limits on slow and greedy clients to an HTTP server made with `guardedServerOptions`. */
export function installGuards(server: Server, settings: GuardSettings): InstalledGuards {
  const counters = newGuardCounters();
  guardConnections(server, settings.maxConnections, counters);
  const stopBodies = guardBodyDeadlines(server, settings, counters);
  const lag = new EventLoopLag();
  if (settings.overload.maxEventLoopDelayMs > 0) lag.start();
  return {
    admission: new Admission(settings, lag, counters),
    close() {
      stopBodies();
      lag.stop();
    },
  };
}
