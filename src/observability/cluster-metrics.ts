import cluster from 'node:cluster';
import type { Server } from 'node:http';
import { AggregatorRegistry, type Registry } from 'prom-client';
import type { Logger } from '../core/logger.js';
import { startMetricsListener } from './metrics-listener.js';
import type { PrometheusConfig } from './prometheus-config.js';

const askType = 'switchyard:metrics-ask';
const answerType = 'switchyard:metrics-answer';
const answerTimeoutMs = 5_000;

interface Ask {
  type: typeof askType;
  id: number;
}

interface Answer {
  type: typeof answerType;
  id: number;
  text?: string;
  error?: string;
}

function isMessage<T extends { type: string }>(message: unknown, type: T['type']): message is T {
  return typeof message === 'object' && message !== null && (message as { type?: unknown }).type === type;
}

/**
 * In a cluster worker: lets the primary read this registry (prom-client's cluster protocol), and returns how to read
 * the metrics of every worker, summed, by asking the primary.
 */
export function joinClusterMetrics(registry: Registry): () => Promise<string> {
  // Constructing one installs prom-client's answer to the primary's requests; the registry it answers with is ours.
  new AggregatorRegistry();
  AggregatorRegistry.setRegistries([registry]);
  const waiting = new Map<number, { resolve(text: string): void; reject(error: Error): void; timer: NodeJS.Timeout }>();
  let next = 0;
  process.on('message', (message: unknown) => {
    if (!isMessage<Answer>(message, answerType)) return;
    const pending = waiting.get(message.id);
    if (!pending) return;
    waiting.delete(message.id);
    clearTimeout(pending.timer);
    if (message.error !== undefined || message.text === undefined) pending.reject(new Error(`the primary could not collect the workers' metrics: ${message.error ?? 'no answer'}`));
    else pending.resolve(message.text);
  });
  return () =>
    new Promise((resolve, reject) => {
      const id = next++;
      const timer = setTimeout(() => {
        waiting.delete(id);
        reject(new Error(`the primary did not answer a metrics request within ${answerTimeoutMs} ms`));
      }, answerTimeoutMs);
      waiting.set(id, { resolve, reject, timer });
      process.send?.({ type: askType, id } satisfies Ask);
    });
}

/** In the cluster primary: sums the workers' registries for any worker that asks, and serves `listen` when set. */
export async function servePrimaryMetrics(settings: PrometheusConfig, logger: Logger): Promise<{ close(): Promise<void> }> {
  const aggregator = new AggregatorRegistry();
  const read = () => aggregator.clusterMetrics();
  cluster.on('message', (worker, message: unknown) => {
    if (!isMessage<Ask>(message, askType)) return;
    read().then(
      (text) => worker.send({ type: answerType, id: message.id, text } satisfies Answer),
      (error: unknown) => worker.send({ type: answerType, id: message.id, error: error instanceof Error ? error.message : String(error) } satisfies Answer),
    );
  });
  const server: Server | undefined = settings.listen ? await startMetricsListener({ ...settings, listen: settings.listen }, read, logger) : undefined;
  return { close: () => new Promise((resolve) => (server ? server.close(() => resolve()) : resolve())) };
}
