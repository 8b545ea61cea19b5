import type { LoadResult } from './load.js';

/** Closed-loop runs of one mode of a comparison, summed. */
export interface LoadRow {
  runs: LoadResult[];
  /** Answered requests (2xx) over all runs of this mode. */
  requests: number;
  /** Responses (2xx and others). */
  served: number;
  /** Requests written that got neither a response nor a socket error: in flight when the client stopped. */
  cutAtEnd: number;
  cpuSeconds: number | undefined;
}

export function emptyLoadRow(): LoadRow {
  return { runs: [], requests: 0, served: 0, cutAtEnd: 0, cpuSeconds: 0 };
}

/** Adds one run and the CPU seconds the target spent in it (unknown once any run's CPU is unknown). */
export function addRun(row: LoadRow, load: LoadResult, cpu: { before: number | undefined; after: number | undefined }): void {
  row.runs.push(load);
  row.requests += load.ok;
  row.served += load.ok + load.non2xx;
  // Requests cut when the client stopped still reach the gateway, which records them as client-closed.
  row.cutAtEnd += Math.max(0, load.sent - load.ok - load.non2xx - load.errors);
  row.cpuSeconds = cpu.before === undefined || cpu.after === undefined || row.cpuSeconds === undefined ? undefined : row.cpuSeconds + (cpu.after - cpu.before);
}

/** Answered requests per second over all the row's runs. */
export function rowThroughput(row: LoadRow | undefined): number {
  if (!row) return 0;
  const seconds = row.runs.reduce((sum, run) => sum + run.durationSeconds, 0);
  return seconds > 0 ? row.requests / seconds : 0;
}
