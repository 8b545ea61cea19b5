import cluster from 'node:cluster';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { collectDefaultMetrics, Registry } from 'prom-client';
import { GatewayError } from '../core/errors.js';
import type { Logger } from '../core/logger.js';
import type { KeyService } from '../server/auth/key-service.js';
import { presentedKey } from '../server/http-body.js';
import { joinClusterMetrics } from './cluster-metrics.js';
import { metricsKeyCheck, startMetricsListener, writeMetrics, writeMetricsError } from './metrics-listener.js';
import { RequestMetrics } from './request-metrics.js';
import { registerStateMetrics, type StateSources } from './state-metrics.js';

export interface GatewayMetrics {
  registry: Registry;
  /** Whether the main port answers `/metrics` (false when a separate `listen` address serves it). */
  onMainPort: boolean;
  /** Answers one scrape on the main port: the metrics key or an admin key is required. */
  serve(request: IncomingMessage, response: ServerResponse, requestId: string): Promise<void>;
  close(): Promise<void>;
}

/**
 * Builds the registry, feeds it from every ledger record, and serves it. In a `--workers` cluster each worker's
 * registry is read by the primary, which sums them: a scrape of any worker, or of the primary's `listen`
 * address, sees the whole process group.
 */
export async function startGatewayMetrics(sources: StateSources & { keys: KeyService; logger: Logger }): Promise<GatewayMetrics> {
  const settings = sources.config.prometheus;
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const metrics = new RequestMetrics({ registry, providerType: (provider) => sources.config.providers[provider]?.type, maxLabelValues: settings.maxLabelValues, customerLabels: settings.customerLabels });
  sources.ledger.onRecord((record) => metrics.observe(record));
  registerStateMetrics(registry, sources);
  const read = cluster.isWorker ? joinClusterMetrics(registry) : () => registry.metrics();
  const keyMatches = metricsKeyCheck(settings.key);

  const authorize = async (request: IncomingMessage) => {
    if (keyMatches(request)) return;
    const denied = new GatewayError('authentication_failed', `/metrics needs ${settings.key ? 'the metrics key (prometheus.key) or ' : ''}an admin key, as "Authorization: Bearer <key>".`);
    const presented = presentedKey(request);
    if (!presented) throw denied;
    const principal = await sources.keys.authenticate(presented).catch(() => undefined);
    if (principal?.kind !== 'admin') throw principal ? new GatewayError('permission_denied', denied.message) : denied;
  };
  // In a cluster the primary serves the separate address.
  const server: Server | undefined = settings.listen && !cluster.isWorker ? await startMetricsListener({ ...settings, listen: settings.listen }, read, sources.logger) : undefined;
  return {
    registry,
    onMainPort: settings.listen === undefined,
    async serve(request, response, requestId) {
      try {
        await authorize(request);
        await writeMetrics(read, request, response);
      } catch (caught) {
        writeMetricsError(response, caught, sources.logger, requestId);
      }
    },
    close: () => new Promise((resolve) => (server ? server.close(() => resolve()) : resolve())),
  };
}
