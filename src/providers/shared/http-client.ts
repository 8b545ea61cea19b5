import { GatewayError } from '../../core/errors.js';
import type { UpstreamRequest } from '../../core/provider.js';
import { closeHttp1Pools, sendHttp1 } from './http1/client.js';
import type { ExchangeHandler } from './http1/exchange.js';
import type { ResponseHeaders } from './http1/response-parser.js';

export interface UpstreamTimeouts {
  connectMs: number;
  /** Until the response headers arrive, and the longest silence allowed while the body arrives. */
  firstByteMs: number;
  /** The whole exchange, body included. */
  totalMs: number;
}

export const defaultTimeouts: UpstreamTimeouts = { connectMs: 5_000, firstByteMs: 60_000, totalMs: 600_000 };

function codeOf(error: unknown): string {
  const code = (error as { code?: unknown } | undefined)?.code;
  return typeof code === 'string' ? code : '';
}

/** Turns a transport failure into the taxonomy: timeouts 504, refused or unreachable 503, broken exchanges 502. */
export function classifyTransportError(error: unknown, provider: string, timeouts: UpstreamTimeouts): GatewayError {
  if (error instanceof GatewayError) return error;
  const cause = error;
  const code = codeOf(error) || codeOf((error as { cause?: unknown } | undefined)?.cause);
  if (code === 'UPSTREAM_CONNECT_TIMEOUT') {
    return new GatewayError('upstream_timeout', `Provider "${provider}" did not accept a connection within ${timeouts.connectMs} ms.`, { provider, cause });
  }
  if (code === 'UPSTREAM_HEADERS_TIMEOUT') {
    return new GatewayError('upstream_timeout', `Provider "${provider}" sent no response within ${timeouts.firstByteMs} ms.`, { provider, cause });
  }
  if (code === 'UPSTREAM_BODY_TIMEOUT') {
    return new GatewayError('upstream_timeout', `Provider "${provider}" sent nothing for ${timeouts.firstByteMs} ms in the middle of its response.`, { provider, cause });
  }
  if (code === 'UPSTREAM_TOTAL_TIMEOUT' || (error as Error)?.name === 'TimeoutError') {
    return new GatewayError('upstream_timeout', `Provider "${provider}" did not finish its response within ${timeouts.totalMs} ms.`, { provider, cause });
  }
  if (code === 'ECONNREFUSED' || code === 'ENOTFOUND' || code === 'EAI_AGAIN' || code === 'EHOSTUNREACH' || code === 'ENETUNREACH') {
    return new GatewayError('upstream_unavailable', `Provider "${provider}" is unreachable (${code}).`, { provider, cause });
  }
  if (code === 'UPSTREAM_ADDRESS_DENIED') {
    return new GatewayError('upstream_unavailable', `Provider "${provider}" was not called: ${(error as Error).message}`, { provider, cause });
  }
  if (code === 'UPSTREAM_PROXY_REFUSED' || code === 'UPSTREAM_BAD_PROXY') {
    return new GatewayError('upstream_unavailable', `Provider "${provider}" could not be reached through the egress proxy: ${(error as Error).message}`, { provider, cause });
  }
  if (code === 'UPSTREAM_BAD_RESPONSE') {
    return new GatewayError('upstream_error', `Provider "${provider}" sent a malformed HTTP response: ${(error as Error).message}`, { provider, cause });
  }
  return new GatewayError('upstream_error', `The connection to provider "${provider}" failed${code ? ` (${code})` : ''}.`, { provider, cause });
}

export interface SendOptions {
  provider: string;
  timeouts: UpstreamTimeouts;
  /** Aborts the upstream exchange (client went away, or the total deadline passed). */
  signal?: AbortSignal;
}

export interface BufferedResponse {
  status: number;
  headers: ResponseHeaders;
  body: Buffer;
}

/** Sends a request and collects the whole answer into one buffer, straight from the connection's reads. */
export function sendUpstreamBuffered(request: UpstreamRequest, options: SendOptions): Promise<BufferedResponse> {
  const { timeouts, signal } = options;
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let status = 0;
    let headers: ResponseHeaders = {};
    const handler: ExchangeHandler = {
      onHeaders(statusCode, responseHeaders) {
        status = statusCode;
        headers = responseHeaders;
      },
      onData(chunk) {
        chunks.push(chunk);
        return true;
      },
      onComplete() {
        resolve({ status, headers, body: chunks.length === 1 ? (chunks[0] as Buffer) : Buffer.concat(chunks) });
      },
      onError(error) {
        reject(classifyTransportError(error, options.provider, timeouts));
      },
    };
    sendHttp1(request, timeouts, handler, signal);
  });
}

/** Closes the idle upstream connections (at shutdown, once requests have finished). */
export function closeUpstreamConnections(): void {
  closeHttp1Pools();
}
