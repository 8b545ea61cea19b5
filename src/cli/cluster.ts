import cluster from 'node:cluster';
import type { Logger } from '../core/logger.js';
import type { CounterStore } from '../limits/counter-store.js';
import { serveCounters } from '../limits/ipc-counter-store.js';

export interface ClusterOptions {
  workers: number;
  logger: Logger;
  /** Runs in each worker: starts the gateway and returns its graceful shutdown. */
  startWorker: () => Promise<{ shutdown: () => Promise<void>; reload: (reason: string) => void; url: string }>;
  /** Runs once in the primary before any worker starts (for example to create the admin key). */
  preparePrimary: () => Promise<void>;
  /** Counters the primary holds for every worker; undefined when the workers share Redis instead. */
  sharedCounters: CounterStore | undefined;
}

/**
 * Runs one gateway per worker process on the same port (the primary accepts and hands out connections).
 * SIGTERM/SIGINT reach the primary, which asks every worker to shut down gracefully and exits when all have.
 */
export async function runCluster(options: ClusterOptions): Promise<void> {
  if (cluster.isPrimary) {
    await options.preparePrimary();
    let stopping = false;
    let failed = false;
    const fork = () => {
      const worker = cluster.fork();
      if (options.sharedCounters) serveCounters(worker, options.sharedCounters);
    };
    for (let index = 0; index < options.workers; index += 1) fork();
    let listening = 0;
    cluster.on('message', (_worker, message: unknown) => {
      if (typeof message === 'object' && message !== null && (message as { type?: string }).type === 'listening') {
        listening += 1;
        if (listening === options.workers) process.stdout.write(`Switchyard listening on ${(message as { url: string }).url} with ${options.workers} workers\n`);
      }
    });
    cluster.on('exit', (worker, code) => {
      if (code !== 0) failed = true;
      if (!stopping) {
        options.logger.error('worker exited unexpectedly; starting a new one', { pid: worker.process.pid, code });
        fork();
      } else if (Object.keys(cluster.workers ?? {}).length === 0) process.exit(failed ? 1 : 0);
    });
    const stop = (signal: string) => {
      if (stopping) return;
      stopping = true;
      options.logger.info('shutting down workers', { signal });
      for (const worker of Object.values(cluster.workers ?? {})) worker?.send({ type: 'shutdown' });
    };
    process.on('SIGTERM', () => stop('SIGTERM'));
    process.on('SIGINT', () => stop('SIGINT'));
    // Each worker reloads its own configuration (and also watches the file itself).
    process.on('SIGHUP', () => {
      for (const worker of Object.values(cluster.workers ?? {})) worker?.send({ type: 'reload' });
    });
    return;
  }
  const running = await options.startWorker();
  process.send?.({ type: 'listening', url: running.url });
  const shutdown = () => {
    running.shutdown().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.on('message', (message: unknown) => {
    const type = typeof message === 'object' && message !== null ? (message as { type?: string }).type : undefined;
    if (type === 'shutdown') shutdown();
    else if (type === 'reload') running.reload('SIGHUP');
  });
  // Signals go to the primary, which coordinates; a worker ignores its own copy of a terminal's Ctrl-C.
  process.on('SIGINT', () => undefined);
  process.on('SIGTERM', shutdown);
  process.on('SIGHUP', () => undefined);
}
