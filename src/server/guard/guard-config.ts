import { z } from 'zod';

/**
 * Limits on what one client may hold: time to send headers and a body, idle keep-alive time, open connections,
 * concurrent requests per key, JSON shape, and when to shed new work. Spread into the `server:` section.
 */
export const guardSettings = {
  /** Time a client has to send the complete request headers; also how long a new connection may stay silent. */
  headersTimeoutMs: z.number().int().positive().default(20_000),
  /** How long an idle keep-alive connection is kept between requests. */
  keepAliveTimeoutMs: z.number().int().positive().default(65_000),
  /** Time a client has to send the whole request body, counted from the first read. Streams of the answer are not bound by it. */
  bodyTimeoutMs: z.number().int().positive().default(120_000),
  /** Slowest average upload rate accepted once `bodyRateGraceMs` have passed. 0 turns the rate check off. */
  bodyMinBytesPerSecond: z.number().int().nonnegative().default(1024),
  bodyRateGraceMs: z.number().int().nonnegative().default(5_000),
  /** Open client connections. Past it the oldest idle connection is closed for a new one, or the new one is refused. */
  maxConnections: z.number().int().positive().default(10_000),
  /** Requests one key may have in flight; more get 429 with Retry-After. 0 means no limit. */
  maxConcurrentPerKey: z.number().int().nonnegative().default(1_000),
  /** Deepest nesting of objects and arrays accepted in a JSON body. */
  maxJsonDepth: z.number().int().positive().default(128),
  /** Most elements accepted in any one array of a JSON body. */
  maxJsonArrayLength: z.number().int().positive().default(100_000),
  overload: z
    .object({
      /** Requests in flight on this process past which new `/v1/` requests get 503. 0 means no limit. */
      maxInFlight: z.number().int().nonnegative().default(10_000),
      /**
       * Event-loop delay past which new `/v1/` requests get 503 until the loop catches up. 0 (the default) turns it
       * off: a good bound depends on the machine, and on one shared with other busy processes the loop runs late
       * without this process being the cause. 200 to 500 suits a dedicated host.
       */
      maxEventLoopDelayMs: z.number().int().nonnegative().default(0),
      /** The Retry-After sent with 503 and with the per-key 429. */
      retryAfterSeconds: z.number().int().positive().default(1),
    })
    .strict()
    .default({}),
};

export type GuardSettings = z.infer<z.ZodObject<typeof guardSettings>>;
