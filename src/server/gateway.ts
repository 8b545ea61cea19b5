import type { ResponseCache } from '../cache/response-cache.js';
import type { Config } from '../config/schema.js';
import type { Logger } from '../core/logger.js';
import type { LedgerWriter } from '../ledger/ledger-writer.js';
import type { PriceCatalog } from '../ledger/price-catalog.js';
import type { DeploymentHealth } from '../routing/deployment-health.js';
import type { CaptureReader } from '../quality/captured-request.js';
import type { DatasetReader } from '../quality/dataset.js';
import type { ModelRegistry } from '../routing/model-registry.js';
import type { RouterModels } from '../routing/router/router-models.js';
import type { Store } from '../store/store.js';
import type { CaptureWriter } from '../quality/capture-writer.js';
import type { KeyService } from './auth/key-service.js';
import type { ResponseStorage } from './responses/response-storage.js';
import type { SpendControl } from './spend-control.js';
import type { Admission } from './guard/admission.js';
import type { GatewayMetrics } from '../observability/gateway-metrics.js';
import type { Tracing } from '../observability/request-trace.js';
import type { Readiness } from './readiness.js';

/** Everything a request handler needs, built once at start. */
export interface Gateway {
  config: Config;
  logger: Logger;
  store: Store;
  keys: KeyService;
  registry: ModelRegistry;
  ledger: LedgerWriter;
  catalog: PriceCatalog;
  health: DeploymentHealth;
  cache: ResponseCache;
  spend: SpendControl;
  /** Stored Responses API answers (previous_response_id, GET/DELETE /v1/responses/{id}). */
  responses: ResponseStorage;
  /** Writes sampled requests and answers for the quality loop, off the request path. */
  capture: CaptureWriter;
  /** The datasets evaluations replay; evaluations answer 404 without them. */
  datasets?: DatasetReader;
  /** Model files of `strategy: router` routes, reloaded when they change. */
  routers?: RouterModels;
  /** Background work (shadow requests) that shutdown waits for. */
  background: Set<Promise<unknown>>;
  /** Overload shedding and per-key concurrency, with the guards' counters; absent in gateways built without a server. */
  admission?: Admission;
  /** Captured requests, which datasets are made from; absent while nothing captures them. */
  captures?: CaptureReader;
  /** Prometheus metrics, when `prometheus.enabled`. */
  metrics?: GatewayMetrics;
  /** OpenTelemetry traces, when the OTEL_* variables turn them on. */
  tracing?: Tracing;
  /** What `GET /ready` reports; absent in gateways built without a server (commands, tests). */
  readiness?: Readiness;
}
