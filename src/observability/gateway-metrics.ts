import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { timingSafeEqual, createHash } from 'node:crypto';
import { collectDefaultMetrics, Registry } from 'prom-client';
import { GatewayError, toGatewayError } from '../core/errors.js';
import type { Logger } from '../core/logger.js';
import type { KeyService } from '../server/auth/key-service.js';
import { writeError } from '../server/error-envelope.js';
import { presentedKey } from '../server/http-body.js';
import { splitListen } from './prometheus-config.js';
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

function digest(text: string): Buffer {
  return createHash('sha256').update(text).digest();
}

async function writeMetrics(registry: Registry, request: IncomingMessage, response: ServerResponse): Promise<void> {
  if (request.method !== 'GET' && request.method !== 'HEAD') throw new GatewayError('invalid_request', 'Use GET for /metrics.');
  const body = await registry.metrics();
  response.writeHead(200, { 'content-type': registry.contentType, 'content-length': Buffer.byteLength(body) });
  response.end(request.method === 'HEAD' ? undefined : body);
}

/** Builds the registry, feeds it from every ledger record, and starts the separate listener when configured. */
export async function startGatewayMetrics(sources: StateSources & { keys: KeyService; logger: Logger }): Promise<GatewayMetrics> {
  const settings = sources.config.prometheus;
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const metrics = new RequestMetrics({ registry, providerType: (provider) => sources.config.providers[provider]?.type, maxLabelValues: settings.maxLabelValues, customerLabels: settings.customerLabels });
  sources.ledger.onRecord((record) => metrics.observe(record));
  registerStateMetrics(registry, sources);
  const keyDigest = settings.key === undefined ? undefined : digest(settings.key);
  const keyMatches = (presented: string | undefined) => keyDigest !== undefined && presented !== undefined && timingSafeEqual(digest(presented), keyDigest);

  // The metrics key, or an admin key; a separate listener without a metrics key is open to whoever reaches it.
  const authorize = async (request: IncomingMessage, separate: boolean) => {
    const presented = presentedKey(request);
    if (keyMatches(presented) || (separate && keyDigest === undefined)) return;
    const denied = new GatewayError('authentication_failed', `/metrics needs ${keyDigest ? 'the metrics key (prometheus.key) or ' : ''}an admin key, as "Authorization: Bearer <key>".`);
    if (!presented) throw denied;
    const principal = await sources.keys.authenticate(presented).catch(() => undefined);
    if (principal?.kind !== 'admin') throw principal ? new GatewayError('permission_denied', denied.message) : denied;
  };
  const serve = async (request: IncomingMessage, response: ServerResponse, requestId: string, separate: boolean) => {
    try {
      await authorize(request, separate);
      await writeMetrics(registry, request, response);
    } catch (caught) {
      const error = toGatewayError(caught);
      if (error.code === 'internal_error') sources.logger.error('metrics scrape failed', { error: error.cause ?? error });
      writeError(response, error, 'openai', requestId);
    }
  };

  let server: Server | undefined;
  if (settings.listen) {
    const { host, port } = splitListen(settings.listen);
    server = createServer((request, response) => {
      const path = (request.url ?? '/').split('?')[0];
      if (path === '/metrics') void serve(request, response, '', true);
      else writeError(response, new GatewayError('not_found', `This address serves only GET /metrics, not ${path}.`), 'openai', '');
    });
    await new Promise<void>((resolve, reject) => {
      server?.once('error', (error) => reject(new Error(`prometheus.listen: cannot listen on ${settings.listen}: ${error.message}`)));
      server?.listen(port, host, () => resolve());
    });
  }
  return {
    registry,
    onMainPort: server === undefined,
    serve: (request, response, requestId) => serve(request, response, requestId, false),
    close: () => new Promise((resolve) => (server ? server.close(() => resolve()) : resolve())),
  };
}
