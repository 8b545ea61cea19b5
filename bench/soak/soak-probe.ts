import { appendFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { isMainThread } from 'node:worker_threads';

/**
 * Preloaded into the gateway under soak (`node --import dist/bench/soak/soak-probe.js bin/switchyard.js start`):
 * every SOAK_PROBE_INTERVAL_MS it appends one JSON line to SOAK_PROBE_FILE with resident memory, heap, event-loop
 * delay over the interval and the live handles by type, as seen from inside the process.
 */
export interface ProbeSample {
  at: number;
  rssBytes: number;
  heapUsedBytes: number;
  externalBytes: number;
  loopDelayMeanMs: number;
  loopDelayP99Ms: number;
  loopDelayMaxMs: number;
  /** The machine's 1-minute load average: other work on the machine shows in the event-loop delay too. */
  loadAverage1m?: number;
  /** `process.getActiveResourcesInfo()` counted by type: sockets, timers, file handles… */
  resources: Record<string, number>;
}

function countByType(names: string[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const name of names) counts[name] = (counts[name] ?? 0) + 1;
  return counts;
}

const file = process.env.SOAK_PROBE_FILE;
if (file && isMainThread) {
  const intervalMs = Number(process.env.SOAK_PROBE_INTERVAL_MS ?? 5_000);
  const histogram = monitorEventLoopDelay({ resolution: 10 });
  histogram.enable();
  const timer = setInterval(() => {
    const memory = process.memoryUsage();
    const sample: ProbeSample = {
      at: Date.now(),
      rssBytes: memory.rss,
      heapUsedBytes: memory.heapUsed,
      externalBytes: memory.external,
      loopDelayMeanMs: histogram.mean / 1e6,
      loopDelayP99Ms: histogram.percentile(99) / 1e6,
      loopDelayMaxMs: histogram.max / 1e6,
      loadAverage1m: loadavg()[0] ?? 0,
      resources: countByType(process.getActiveResourcesInfo()),
    };
    histogram.reset();
    appendFileSync(file, `${JSON.stringify(sample)}\n`);
  }, intervalMs);
  timer.unref();
}
