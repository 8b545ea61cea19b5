import { isIP } from 'node:net';
import type { UpstreamRequest } from '../../../core/provider.js';
import type { UrlSource } from '../outbound/outbound-policy.js';
import { OriginPool } from './connection-pool.js';
import { Exchange, type ExchangeHandler, type ExchangeTimeouts } from './exchange.js';
import { proxyFor } from './proxy-settings.js';

interface Target {
  pool: OriginPool;
  /** Request line and the headers every request to this URL starts with. */
  start: string;
}

const targets = new Map<string, Target>();
/** Upstream URLs come from configuration and adapters, so there are few; the bound only guards against surprises. */
const maxCachedTargets = 10_000;
const reservedHeaders = new Set(['host', 'content-length', 'connection', 'transfer-encoding', 'keep-alive', 'upgrade', 'accept-encoding', 'proxy-authorization']);
const forbiddenInHeader = /[\r\n\0]/;

function targetOf(url: string, method: string, source: UrlSource): Target {
  const key = `${source} ${method} ${url}`;
  const cached = targets.get(key);
  if (cached) return cached;
  const parsed = new URL(url);
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') throw Object.assign(new Error(`Unsupported upstream URL scheme ${parsed.protocol}`), { code: 'UPSTREAM_BAD_URL' });
  const secure = parsed.protocol === 'https:';
  const host = parsed.hostname.startsWith('[') ? parsed.hostname.slice(1, -1) : parsed.hostname;
  const port = parsed.port === '' ? (secure ? 443 : 80) : Number(parsed.port);
  // Connections opened for configured URLs are never lent to client URLs, which the policy holds to fewer addresses.
  const originKey = `${source} ${parsed.protocol}//${parsed.host}`;
  const proxy = proxyFor(secure, host, port);
  const pool = OriginPool.of(originKey, () => ({ secure, host, port, servername: isIP(host) === 0 ? host : '', source, ...(proxy ? { proxy } : {}) }));
  // Plain http through a proxy is sent to the proxy in absolute form; https goes through a CONNECT tunnel instead.
  const viaProxy = proxy !== undefined && !secure;
  const requestTarget = viaProxy ? `${parsed.protocol}//${parsed.host}${parsed.pathname}${parsed.search}` : `${parsed.pathname}${parsed.search}`;
  const proxyAuthorization = viaProxy && proxy.authorization ? `proxy-authorization: ${proxy.authorization}\r\n` : '';
  // Bodies are read as they come (JSON, SSE, AWS event-stream), so no content coding: without this header a server may pick one.
  const target = { pool, start: `${method} ${requestTarget} HTTP/1.1\r\nhost: ${parsed.host}\r\naccept-encoding: identity\r\n${proxyAuthorization}` };
  if (targets.size >= maxCachedTargets) targets.clear();
  targets.set(key, target);
  return target;
}

/** The request as one string, written to the socket in one call. */
function serialize(start: string, request: UpstreamRequest): string {
  let head = start;
  for (const name in request.headers) {
    const value = request.headers[name] as string;
    if (reservedHeaders.has(name.toLowerCase())) continue;
    if (forbiddenInHeader.test(value) || forbiddenInHeader.test(name)) throw Object.assign(new Error(`Header "${name}" contains a line break or NUL and cannot be sent.`), { code: 'UPSTREAM_BAD_HEADER' });
    head += `${name}: ${value}\r\n`;
  }
  if (request.method === 'GET') return `${head}\r\n`;
  return `${head}content-length: ${Buffer.byteLength(request.body)}\r\n\r\n${request.body}`;
}

export interface UpstreamExchange {
  resume(): void;
  abort(reason: Error): void;
}

/**
 * Sends one HTTP/1.1 request over a keep-alive connection and reports the answer through the handler; `signal`
 * cancels it. Every callback runs after this function returns, failures included.
 */
export function sendHttp1(request: UpstreamRequest, timeouts: ExchangeTimeouts, handler: ExchangeHandler, signal?: AbortSignal): UpstreamExchange {
  let exchange: Exchange;
  try {
    const target = targetOf(request.url, request.method, request.urlFrom ?? 'configured');
    exchange = new Exchange(target.pool, serialize(target.start, request), timeouts, handler, signal);
  } catch (error) {
    queueMicrotask(() => handler.onError(error as Error));
    return { resume() {}, abort() {} };
  }
  exchange.start();
  return exchange;
}

/** Closes every idle connection; exchanges in flight finish and then close theirs. */
export function closeHttp1Pools(): void {
  OriginPool.closeAll();
  targets.clear();
}
