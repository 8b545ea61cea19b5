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
import { DeploymentHealth } from '../routing/deployment-health.js';
import { ModelRegistry } from '../routing/model-registry.js';
import { routerModelsFor } from '../routing/router/router-models.js';
import { openStore } from '../store/open-store.js';
import { createRequestHandler } from './app.js';
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
import type { RedisCounterStore } from '../limits/redis-counter-store.js';
import { shareAcrossReplicas } from './replica-sharing.js';
import { LedgerUpkeep } from '../ledger/ledger-upkeep.js';

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
}

export interface RunningGateway {
  gateway: Gateway;
  server: Server;
  url: string;
  /** The admin key generated at this first start, shown once; undefined when it already existed. */
  generatedAdminKey: string | undefined;
  /** Stops accepting, lets in-flight requests finish up to the deadline, flushes the ledger, closes storage. */
  shutdown(graceMs?: number): Promise<void>;
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
  const routers = routerModelsFor(config, { onReload: (file) => logger.info('router model reloaded', { file }), onError: (file, error) => logger.error('router model reload failed', { file, error: error.message }) });
  const store = await openStore(config.storage, join(options.dataDir, 'switchyard.db'));
  const keys = new KeyService(store.keys, store.settings);
  const { generated } = await keys.initAdmin(options.adminKey);
  const catalog = bundledPriceCatalog();
  const shared = config.redis ? await connectRedis(config.redis, logger) : undefined;
  const counters = shared?.counters ?? options.counters ?? new MemoryCounterStore();
  const budgets = new BudgetService({ store: counters, onThreshold: budgetAlertSender(config.alerts.webhookUrl, logger), onError: (error) => logger.error('budget alert failed', { error }) });
  const spend = new SpendControl(config, budgets, new RateLimiter({ store: counters }), customerLimitsFrom(store));
  const ledger = new LedgerWriter(store.ledger, config.ledger, logger);
  ledger.start();
  const upkeep = new LedgerUpkeep(store.ledger, { intervalMs: config.ledger.upkeepIntervalMs, ...(config.ledger.retentionDays ? { retentionDays: config.ledger.retentionDays } : {}) }, logger);
  upkeep.start();
  const responses = new ResponseStorage(store.responses, config.responses, logger);
  responses.start();
  const capture = new CaptureWriter(store.captures, config.capture, logger);
  capture.start();
  const gateway: Gateway = { config, logger, store, keys, registry: new ModelRegistry(config, catalog), ledger, capture, catalog, health: new DeploymentHealth(config.resilience), cache: new ResponseCache(shared?.cache ?? new MemoryCacheStore(config.cache.maxEntries), config.cache), spend, responses, background: new Set(), ...(routers ? { routers } : {}) };
  gateway.captures = options.captures ?? gatewayCaptureReader(gateway);
  const sharing = shared ? await shareAcrossReplicas(gateway, shared.counters, logger) : undefined;
  gateway.datasets = store.datasets;
  const handler = createRequestHandler(gateway);
  const server = createServer({ keepAliveTimeout: 65_000, requestTimeout: 0 }, (request, response) => void handler(request, response));
  server.headersTimeout = 60_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? config.server.port, options.host ?? config.server.host, () => resolve());
  });
  const address = server.address() as AddressInfo;
  const url = `http://${address.family === 'IPv6' ? `[${address.address}]` : address.address}:${address.port}`;

  let stopping: Promise<void> | undefined;
  const shutdown = (graceMs = config.server.shutdownGraceMs) => {
    stopping ??= (async () => {
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
      // Requests cut at the deadline settle their records as their sockets close; give that a turn of the loop.
      await new Promise((resolve) => setImmediate(resolve));
      await Promise.race([Promise.allSettled([...gateway.background]), new Promise((resolve) => setTimeout(resolve, graceMs).unref())]);
      routers?.close();
      await ledger.stop();
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
  return { gateway, server, url, generatedAdminKey: generated, shutdown };
}
