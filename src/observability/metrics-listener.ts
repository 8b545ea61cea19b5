import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createHash, timingSafeEqual } from 'node:crypto';
import { GatewayError, toGatewayError } from '../core/errors.js';
import type { Logger } from '../core/logger.js';
import { writeError } from '../server/error-envelope.js';
import { presentedKey } from '../server/http-body.js';
import { splitListen, type PrometheusConfig } from './prometheus-config.js';

/** The Prometheus text of every metric, read when scraped. */
export type ReadMetrics = () => Promise<string>;

export const prometheusContentType = 'text/plain; version=0.0.4; charset=utf-8';

function digest(text: string): Buffer {
  return createHash('sha256').update(text).digest();
}

/** Whether a request presents the configured metrics key (compared in constant time); false when none is set. */
export function metricsKeyCheck(key: string | undefined): (request: IncomingMessage) => boolean {
  const expected = key === undefined ? undefined : digest(key);
  return (request) => {
    const presented = presentedKey(request);
    return expected !== undefined && presented !== undefined && timingSafeEqual(digest(presented), expected);
  };
}

export async function writeMetrics(read: ReadMetrics, request: IncomingMessage, response: ServerResponse): Promise<void> {
  if (request.method !== 'GET' && request.method !== 'HEAD') throw new GatewayError('invalid_request', 'Use GET for /metrics.');
  const body = await read();
  response.writeHead(200, { 'content-type': prometheusContentType, 'content-length': Buffer.byteLength(body) });
  response.end(request.method === 'HEAD' ? undefined : body);
}

export function writeMetricsError(response: ServerResponse, caught: unknown, logger: Logger, requestId = ''): void {
  const error = toGatewayError(caught);
  if (error.code === 'internal_error') logger.error('metrics scrape failed', { error: error.cause ?? error });
  writeError(response, error, 'openai', requestId);
}

/**
 * The separate `prometheus.listen` address: only `GET /metrics`, behind the metrics key when one is set and open to
 * whoever reaches the address otherwise (it is meant for an internal network).
 */
export async function startMetricsListener(settings: PrometheusConfig & { listen: string }, read: ReadMetrics, logger: Logger): Promise<Server> {
  const allowed = metricsKeyCheck(settings.key);
  const server = createServer((request, response) => {
    const path = (request.url ?? '/').split('?')[0];
    const answer = async () => {
      if (path !== '/metrics') throw new GatewayError('not_found', `This address serves only GET /metrics, not ${path}.`);
      if (settings.key !== undefined && !allowed(request)) throw new GatewayError('authentication_failed', '/metrics needs the metrics key (prometheus.key) as "Authorization: Bearer <key>".');
      await writeMetrics(read, request, response);
    };
    answer().catch((caught: unknown) => writeMetricsError(response, caught, logger));
  });
  const { host, port } = splitListen(settings.listen);
  await new Promise<void>((resolve, reject) => {
    server.once('error', (error) => reject(new Error(`prometheus.listen: cannot listen on ${settings.listen}: ${error.message}`)));
    server.listen(port, host, () => resolve());
  });
  return server;
}
