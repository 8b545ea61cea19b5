import autocannon from 'autocannon';
import { Pool } from 'undici';

/** Latencies in milliseconds at microsecond precision (autocannon's own histogram keeps whole milliseconds). */
export class LatencyRecorder {
  private values: Float64Array;
  private count = 0;

  constructor(
    expected: number,
    private readonly limit = 5_000_000,
  ) {
    this.values = new Float64Array(Math.max(1_024, Math.min(expected, limit)));
  }

  record(milliseconds: number): void {
    if (this.count === this.values.length) {
      if (this.count >= this.limit) return;
      const grown = new Float64Array(Math.min(this.values.length * 2, this.limit));
      grown.set(this.values);
      this.values = grown;
    }
    this.values[this.count] = milliseconds;
    this.count += 1;
  }

  summary(): LatencySummary {
    const sorted = this.values.slice(0, this.count).sort();
    const at = (quantile: number) => (sorted.length === 0 ? NaN : (sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(quantile * sorted.length) - 1))] as number));
    let sum = 0;
    for (const value of sorted) sum += value;
    return { count: sorted.length, p50: at(0.5), p90: at(0.9), p99: at(0.99), mean: sorted.length === 0 ? NaN : sum / sorted.length, max: sorted.length === 0 ? NaN : (sorted[sorted.length - 1] as number) };
  }
}

export interface LatencySummary {
  count: number;
  p50: number;
  p90: number;
  p99: number;
  mean: number;
  max: number;
}

export interface LoadResult {
  tool: 'autocannon' | 'paced';
  durationSeconds: number;
  /** Requests written to a socket. */
  sent: number;
  ok: number;
  non2xx: number;
  /** Socket errors and timeouts. */
  errors: number;
  /** Responses (2xx and others) per second. */
  requestsPerSecond: number;
  /** Of 2xx responses, from the request written to the response complete. */
  latencyMs: LatencySummary;
  statusCodes: Record<string, number>;
}

export interface LoadOptions {
  url: string;
  headers: Record<string, string>;
  body: string;
  connections: number;
  durationSeconds: number;
}

/** Closed-loop load with autocannon; `overallRate` caps the rate the way autocannon does (a per-second quota per connection). */
export function runAutocannon(options: LoadOptions & { overallRate?: number }): Promise<LoadResult> {
  const recorder = new LatencyRecorder(100_000);
  return new Promise((resolve, reject) => {
    const instance = autocannon(
      {
        url: options.url,
        method: 'POST',
        headers: options.headers,
        body: options.body,
        connections: options.connections,
        duration: options.durationSeconds,
        timeout: 10,
        ...(options.overallRate ? { overallRate: options.overallRate } : {}),
      },
      (error, result) => {
        if (error) return reject(error);
        const statusCodes = Object.fromEntries(Object.entries(result.statusCodeStats).map(([code, stat]) => [code, stat.count]));
        resolve({
          tool: 'autocannon',
          durationSeconds: result.duration,
          sent: result.requests.sent,
          ok: result['2xx'],
          non2xx: result.non2xx,
          errors: result.errors,
          requestsPerSecond: (result['2xx'] + result.non2xx) / result.duration,
          latencyMs: recorder.summary(),
          statusCodes,
        });
      },
    );
    instance.on('response', (_client: unknown, statusCode: number, _bytes: number, responseTime: number) => {
      if (statusCode >= 200 && statusCode < 300) recorder.record(responseTime);
    });
  });
}

/** Where a paced run sends its requests: any target (the mock itself, or a gateway in front of it). */
export interface PacedTarget {
  url: string;
  headers: Record<string, string>;
}

export interface PacedOptions {
  body: string;
  /** Sockets in each target's own keep-alive pool. */
  connections: number;
  durationSeconds: number;
  /** Requests per second to each target. */
  rate: number;
}

/** One target of a paced run: its own pool and counts. Latency runs from the moment the request is handed to the pool. */
function pacedLane(target: PacedTarget, body: string, connections: number, expected: number) {
  const url = new URL(target.url);
  const pool = new Pool(url.origin, { connections, pipelining: 1, headersTimeout: 10_000, bodyTimeout: 10_000 });
  const recorder = new LatencyRecorder(expected);
  const statusCodes: Record<string, number> = {};
  let sent = 0;
  let ok = 0;
  let non2xx = 0;
  let errors = 0;
  return {
    fire(): Promise<void> {
      const begin = performance.now();
      sent += 1;
      return pool
        .request({ path: url.pathname, method: 'POST', headers: target.headers, body })
        .then(async (response) => {
          await response.body.arrayBuffer();
          statusCodes[response.statusCode] = (statusCodes[response.statusCode] ?? 0) + 1;
          if (response.statusCode >= 200 && response.statusCode < 300) {
            ok += 1;
            recorder.record(performance.now() - begin);
          } else non2xx += 1;
        })
        .catch(() => {
          errors += 1;
        });
    },
    async finish(durationSeconds: number): Promise<LoadResult> {
      await pool.close();
      return { tool: 'paced', durationSeconds, sent, ok, non2xx, errors, requestsPerSecond: (ok + non2xx) / durationSeconds, latencyMs: recorder.summary(), statusCodes };
    },
  };
}

/**
 * Open-loop load at an even pace to two targets in the same time window: request i to each of them is sent at
 * start + i/rate whatever the answers do, each target over its own keep-alive pool of `connections` sockets. Both
 * see the machine at the same moments, so a burst of noise lands on both instead of on whichever ran at the time.
 * Which of the two is handed its request first alternates from one instant to the next.
 */
export async function runPacedPair(first: PacedTarget, second: PacedTarget, options: PacedOptions): Promise<[LoadResult, LoadResult]> {
  const total = Math.max(1, Math.round(options.rate * options.durationSeconds));
  const intervalMs = 1_000 / options.rate;
  const lanes = [pacedLane(first, options.body, options.connections, total), pacedLane(second, options.body, options.connections, total)] as const;
  let scheduled = 0;
  let settled = 0;
  const started = performance.now();
  await new Promise<void>((resolve) => {
    const onSettled = () => {
      settled += 1;
      if (settled === total * lanes.length) resolve();
    };
    const tick = () => {
      const now = performance.now();
      while (scheduled < total && started + scheduled * intervalMs <= now) {
        for (let index = 0; index < lanes.length; index += 1) void lanes[(scheduled + index) % lanes.length].fire().then(onSettled);
        scheduled += 1;
      }
      if (scheduled < total) setTimeout(tick, Math.max(0, started + scheduled * intervalMs - performance.now()));
    };
    tick();
  });
  const durationSeconds = (performance.now() - started) / 1_000;
  return Promise.all([lanes[0].finish(durationSeconds), lanes[1].finish(durationSeconds)]);
}
