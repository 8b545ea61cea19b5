import { readFileSync } from 'node:fs';
import type { Config } from '../config/schema.js';
import type { Logger } from '../core/logger.js';
import type { LedgerWriter } from '../ledger/ledger-writer.js';
import type { BudgetService } from '../limits/budget-service.js';
import type { DeploymentHealth } from '../routing/deployment-health.js';
import type { ModelRegistry } from '../routing/model-registry.js';
import type { KeyService } from '../server/auth/key-service.js';
import type { Store } from '../store/store.js';
import type { GatewayMetrics } from './gateway-metrics.js';
import type { Tracing } from './request-trace.js';
import type { TracingSettings } from './tracing-env.js';

export interface ObservabilitySources {
  config: Config;
  logger: Logger;
  registry: ModelRegistry;
  health: DeploymentHealth;
  ledger: LedgerWriter;
  budgets: BudgetService;
  store: Store;
  keys: KeyService;
  /** From `tracingFromEnv`; undefined keeps tracing off. */
  tracing: TracingSettings | undefined;
}

export interface Observability {
  metrics?: GatewayMetrics;
  tracing?: Tracing;
  close(): Promise<void>;
}

function packageVersion(): string {
  try {
    return (JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8')) as { version?: string }).version ?? 'unknown';
  } catch {
    return 'unknown';
  }
}

/** Metrics and tracing, each loaded only when turned on: with both off, neither prom-client nor the SDK is imported. */
export async function startObservability(sources: ObservabilitySources): Promise<Observability> {
  const tracingSettings = sources.tracing;
  const providerType = (provider: string) => sources.config.providers[provider]?.type;
  const metrics = sources.config.prometheus.enabled ? await (await import('./gateway-metrics.js')).startGatewayMetrics(sources) : undefined;
  const tracing = tracingSettings ? await (await import('./otel-tracing.js')).OtelTracing.create({ settings: tracingSettings, ledger: sources.ledger, providerType, version: packageVersion(), logger: sources.logger }) : undefined;
  if (tracingSettings) sources.logger.info('tracing on', { protocol: tracingSettings.protocol, sampler: process.env.OTEL_TRACES_SAMPLER ?? 'parentbased_always_on', content: tracingSettings.captureContent });
  return {
    ...(metrics ? { metrics } : {}),
    ...(tracing ? { tracing } : {}),
    async close() {
      await metrics?.close();
      await tracing?.shutdown();
    },
  };
}
