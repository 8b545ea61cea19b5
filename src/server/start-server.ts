import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { MemoryCacheStore, type CacheStore } from '../cache/cache-store.js';
import { ResponseCache } from '../cache/response-cache.js';
import type { Config } from '../config/schema.js';
import type { Logger } from '../core/logger.js';
import { LedgerWriter } from '../ledger/ledger-writer.js';
import { bundledPriceCatalog } from '../ledger/price-catalog.js';
import { closeUpstreamConnections } from '../providers/shared/http-client.js';
import { setOutboundPolicy } from '../providers/shared/outbound/outbound-policy.js';
import { DeploymentHealth } from '../routing/deployment-health.js';
import { ModelRegistry } from '../routing/model-registry.js';
import { routerModelsFor } from '../routing/router/router-models.js';
import { openStore } from '../store/open-store.js';
import { registerSecrets } from '../core/secret-redaction.js';
import { createRequestHandler } from './app.js';
import { answerClientError } from './client-error.js';
import { guardedServerOptions, installGuards } from './guard/install-guards.js';
import { KeyService } from './auth/key-service.js';
import { ResponseStorage } from './responses/response-storage.js';
import type { Gateway } from './gateway.js';
import { budgetAlertSender, SpendControl, type CustomerLimits } from './spend-control.js';
import { BudgetService } from '../limits/budget-service.js';
import { MemoryCounterStore } from '../limits/memory-counter-store.js';
import type { CounterStore } from '../limits/counter-store.js';
import { RateLimiter } from '../limits/rate-limiter.js';
import type { Store } from '../store/store.js';
import type { CaptureReader } from '../quality/captured-request.js';
import { gatewayCaptureReader } from '../quality/capture-reader.js';
import { CaptureWriter } from '../quality/capture-writer.js';
import { startObservability } from '../observability/start-observability.js';
import { tracingFromEnv } from '../observability/tracing-env.js';
import { checkOtlpEndpoint } from '../observability/otlp-endpoint.js';
import { ConfigReloader, type ReloadOutcome } from './config-reload.js';
import { recordSystemAudit } from './admin/audit-trail.js';
import { Readiness, type ReadinessProbe } from './readiness.js';
import type { RedisCounterStore } from '../limits/redis-counter-store.js';
import { shareAcrossReplicas } from './replica-sharing.js';
import { LedgerUpkeep } from '../ledger/ledger-upkeep.js';
import { keepTickShape } from './tick-shape.js';

const customerCacheMs = 5_000;

/** Counters and cache in Redis. Loaded only when configured: the client library alone costs about 20 MB of memory. */
async function connectRedis(url: string, logger: Logger): Promise<{ counters: RedisCounterStore; cache: CacheStore }> {
  const [{ connectRedisCounterStore }, { RedisCacheStore }] = await Promise.all([import('../limits/redis-counter-store.js'), import('../cache/redis-cache-store.js')]);
  const counters = await connectRedisCounterStore({ url, onError: (error) => logger.error('redis error', { error }) });
  return { counters, cache: new RedisCacheStore(counters.connection, counters.keyPrefix) };
}

/** Customer limits from the store, cached briefly so the request path rarely reads the store. */
function customerLimitsFrom(store: Store): CustomerLimits {
  const cache = new Map<string, { value: Awaited<ReturnType<CustomerLimits>>; until: number }>();
  return async (customer) => {
    const now = Date.now();
    const hit = cache.get(customer);
    if (hit && hit.until > now) return hit.value;
    const found = await store.customers.get(customer);
    const value = found ? { budget: found.budget ?? undefined, rateLimit: found.rateLimit ?? undefined } : undefined;
    if (cache.size > 100_000) cache.clear();
    cache.set(customer, { value, until: now + customerCacheMs });
    return value;
  };
}

/** What `/ready` checks besides the config and draining: the store always, Redis when configured. */
function readinessProbes(store: Store, redis: CounterStore | undefined): ReadinessProbe[] {
  const probes: ReadinessProbe[] = [{ name: 'store', probe: () => store.settings.get('admin_key_hash') }];
  if (redis) probes.push({ name: 'redis', probe: () => redis.get('readiness-probe') });
  return probes;
}

function routerLogging(logger: Logger) {
  return { onReload: (file: string) => logger.info('router model reloaded', { file }), onError: (file: string, error: Error) => logger.error('router model reload failed', { file, error: error.message }) };
}

export interface StartOptions {
  config: Config;
  logger: Logger;
  /** Folder of the embedded database (`.switchyard/` by default). */
  dataDir: string;
  host?: string;
  port?: number;
  adminKey?: string;
  /** Counters to use instead of the in-process ones when Redis is not configured (a cluster worker's). */
  counters?: CounterStore;
  /** Captured requests to make datasets from, instead of the store's own. */
  captures?: CaptureReader;
  /** Reads the configuration again for a reload (SIGHUP, or a change of `configFile`); without it the config is fixed. */
  reloadConfig?: () => Config;
  /** The configuration file, watched for changes when `reloadConfig` is given. */
  configFile?: string;
}

export interface RunningGateway {
  /** The gateway in force: a reload replaces it, while requests already running keep the one they started with. */
  readonly gateway: Gateway;
  server: Server;
  url: string;
  /** The admin key generated at this first start, shown once; undefined when it already existed. */
  generatedAdminKey: string | undefined;
  /** Stops accepting, lets in-flight requests finish up to the deadline, flushes the ledger, closes storage. */
  shutdown(graceMs?: number): Promise<void>;
  /** Loads the configuration again and swaps it in, or refuses it and keeps the one in force. */
  reload(reason: string): ReloadOutcome;
}

/** Creates the admin key once, before workers start, so that concurrent starts cannot each generate one. */
export async function prepareAdminKey(options: StartOptions): Promise<string | undefined> {
  const store = await openStore(options.config.storage, join(options.dataDir, 'switchyard.db'));
  try {
    return (await new KeyService(store.keys, store.settings).initAdmin(options.adminKey)).generated;
  } finally {
    await store.close();
  }
}

export async function startGateway(options: StartOptions): Promise<RunningGateway> {
  const { config, logger } = options;
  await keepTickShape();
  // Checked before anything opens, so a bad OTEL_* value stops the start cleanly.
  const tracing = tracingFromEnv(process.env);
  const routers = routerModelsFor(config, routerLogging(logger));
  setOutboundPolicy(config.outbound);
  if (tracing) await checkOtlpEndpoint(process.env);
  const store = await openStore(config.storage, join(options.dataDir, 'switchyard.db'));
  const keys = new KeyService(store.keys, store.settings);
  registerSecrets([options.adminKey]);
  const { generated } = await keys.initAdmin(options.adminKey);
  const catalog = bundledPriceCatalog();
  const shared = config.redis ? await connectRedis(config.redis, logger) : undefined;
  const counters = shared?.counters ?? options.counters ?? new MemoryCounterStore();
  const budgets = new BudgetService({ store: counters, onThreshold: budgetAlertSender(config.alerts.webhookUrl, logger), onError: (error) => logger.error('budget alert failed', { error }) });
  const rateLimiter = new RateLimiter({ store: counters });
  const customerLimits = customerLimitsFrom(store);
  const spend = new SpendControl(config, budgets, rateLimiter, customerLimits);
  const ledger = new LedgerWriter(store.ledger, config.ledger, logger);
  ledger.start();
  const upkeep = new LedgerUpkeep(store.ledger, { intervalMs: config.ledger.upkeepIntervalMs, ...(config.ledger.retentionDays ? { retentionDays: config.ledger.retentionDays } : {}) }, logger);
  upkeep.start();
  const responses = new ResponseStorage(store.responses, config.responses, logger);
  responses.start();
  const capture = new CaptureWriter(store.captures, config.capture, logger);
  capture.start();
  const readiness = new Readiness(readinessProbes(store, shared?.counters));
  let gateway: Gateway = { readiness, config, logger, store, keys, registry: new ModelRegistry(config, catalog), ledger, capture, catalog, health: new DeploymentHealth(config.resilience), cache: new ResponseCache(shared?.cache ?? new MemoryCacheStore(config.cache.maxEntries), config.cache), spend, responses, background: new Set(), ...(routers ? { routers } : {}) };
  gateway.captures = options.captures ?? gatewayCaptureReader(gateway);
  const sharing = shared ? await shareAcrossReplicas(gateway, shared.counters, logger) : undefined;
  gateway.datasets = store.datasets;
  const observability = await startObservability({ config, logger, registry: gateway.registry, health: gateway.health, ledger, budgets, store, keys, tracing });
  if (observability.metrics) gateway.metrics = observability.metrics;
  if (observability.tracing) gateway.tracing = observability.tracing;
  let handler = createRequestHandler(gateway);
  // Everything built from the reloadable sections is rebuilt before the swap, so each request sees one config.
  const applyConfig = (next: Config) => {
    const rebuilt: Gateway = { ...gateway, config: next, registry: new ModelRegistry(next, catalog), spend: new SpendControl(next, budgets, rateLimiter, customerLimits) };
    const nextRouters = routerModelsFor(next, routerLogging(logger));
    delete rebuilt.routers;
    if (nextRouters) rebuilt.routers = nextRouters;
    const previousRouters = gateway.routers;
    setOutboundPolicy(next.outbound);
    gateway = rebuilt;
    handler = createRequestHandler(rebuilt);
    previousRouters?.close();
  };
  const audited = (reason: string, outcome: ReloadOutcome) => {
    const change = { action: outcome.applied ? 'config.reload' : 'config.reload.refused', target: reason, after: outcome.applied ? { needsRestart: outcome.needsRestart } : { problems: outcome.problems } };
    recordSystemAudit(store, change).catch((error: unknown) => logger.error('audit log write failed', { action: change.action, error }));
  };
  const reloader = options.reloadConfig ? new ConfigReloader({ load: options.reloadConfig, current: () => gateway.config, apply: applyConfig, logger, onOutcome: audited }) : undefined;
  readiness.markConfigLoaded();
  const server = createServer(guardedServerOptions(config.server));
  const guards = installGuards(server, config.server);
  gateway.admission = guards.admission;
  server.on('request', (request, response) => void handler(request, response));
  server.on('clientError', answerClientError);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? config.server.port, options.host ?? config.server.host, () => resolve());
  });
  const address = server.address() as AddressInfo;
  if (reloader && options.configFile) reloader.watch(options.configFile);
  const url = `http://${address.family === 'IPv6' ? `[${address.address}]` : address.address}:${address.port}`;

  let stopping: Promise<void> | undefined;
  const shutdown = (graceMs = config.server.shutdownGraceMs) => {
    stopping ??= (async () => {
      readiness.startDraining();
      reloader?.close();
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      // Keep-alive connections turn idle as their last response ends; close them as they do.
      const reaper = setInterval(() => server.closeIdleConnections(), 50);
      server.closeIdleConnections();
      const deadline = new Promise<'timeout'>((resolve) => setTimeout(resolve, graceMs, 'timeout').unref());
      if ((await Promise.race([closed, deadline])) === 'timeout') {
        logger.warn('shutdown deadline reached; closing remaining connections', { graceMs });
        server.closeAllConnections();
      }
      clearInterval(reaper);
      guards.close();
      // Requests cut at the deadline settle their records as their sockets close; give that a turn of the loop.
      await new Promise((resolve) => setImmediate(resolve));
      await Promise.race([Promise.allSettled([...gateway.background]), new Promise((resolve) => setTimeout(resolve, graceMs).unref())]);
      gateway.routers?.close();
      await ledger.stop();
      await observability.close();
      await upkeep.stop();
      await responses.stop();
      await capture.stop();
      closeUpstreamConnections();
      await sharing?.close();
      await counters.close();
      await store.close();
    })();
    return stopping;
  };
  const reload = (reason: string): ReloadOutcome => reloader?.reload(reason) ?? { applied: false, problems: ['this gateway was started without a configuration source to reload from'] };
  return {
    get gateway() {
      return gateway;
    },
    server,
    url,
    generatedAdminKey: generated,
    shutdown,
    reload,
  };
}
