import { Agent, errors as undiciErrors, request as undiciRequest, util as undiciUtil, type Dispatcher } from 'undici';
import { GatewayError } from '../../core/errors.js';
import type { UpstreamRequest } from '../../core/provider.js';

export interface UpstreamTimeouts {
  connectMs: number;
  /** Until the response headers arrive. */
  firstByteMs: number;
  /** The whole exchange, body included. */
  totalMs: number;
}

export const defaultTimeouts: UpstreamTimeouts = { connectMs: 5_000, firstByteMs: 60_000, totalMs: 600_000 };

export interface UpstreamResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Dispatcher.ResponseData['body'];
}

const agents = new Map<number, Agent>();

/** One keep-alive pool per connect timeout, shared by every provider. */
function agentFor(connectMs: number): Agent {
  let agent = agents.get(connectMs);
  if (!agent) {
    agent = new Agent({ connect: { timeout: connectMs }, keepAliveTimeout: 30_000, keepAliveMaxTimeout: 600_000, pipelining: 1 });
    agents.set(connectMs, agent);
  }
  return agent;
}

function hasCode(error: unknown): error is { code: string } {
  return typeof error === 'object' && error !== null && typeof (error as { code?: unknown }).code === 'string';
}

/** Turns a transport failure into the taxonomy: timeouts 504, refused or unreachable 503, broken exchanges 502. */
export function classifyTransportError(error: unknown, provider: string, timeouts: UpstreamTimeouts): GatewayError {
  if (error instanceof GatewayError) return error;
  const cause = error;
  const code = hasCode(error) ? error.code : hasCode((error as { cause?: unknown })?.cause) ? (error as { cause: { code: string } }).cause.code : '';
  if (error instanceof undiciErrors.ConnectTimeoutError || code === 'UND_ERR_CONNECT_TIMEOUT') {
    return new GatewayError('upstream_timeout', `Provider "${provider}" did not accept a connection within ${timeouts.connectMs} ms.`, { provider, cause });
  }
  if (error instanceof undiciErrors.HeadersTimeoutError || code === 'UND_ERR_HEADERS_TIMEOUT') {
    return new GatewayError('upstream_timeout', `Provider "${provider}" sent no response within ${timeouts.firstByteMs} ms.`, { provider, cause });
  }
  if (error instanceof undiciErrors.BodyTimeoutError || code === 'UND_ERR_BODY_TIMEOUT' || (error as Error)?.name === 'TimeoutError') {
    return new GatewayError('upstream_timeout', `Provider "${provider}" did not finish its response within the timeout.`, { provider, cause });
  }
  if (code === 'ECONNREFUSED' || code === 'ENOTFOUND' || code === 'EAI_AGAIN' || code === 'EHOSTUNREACH' || code === 'ENETUNREACH') {
    return new GatewayError('upstream_unavailable', `Provider "${provider}" is unreachable (${code}).`, { provider, cause });
  }
  return new GatewayError('upstream_error', `The connection to provider "${provider}" failed${code ? ` (${code})` : ''}.`, { provider, cause });
}

export interface SendOptions {
  provider: string;
  timeouts: UpstreamTimeouts;
  /** Aborts the upstream exchange (client went away, or the total deadline passed). */
  signal?: AbortSignal;
}

/** The one place that performs upstream HTTP. Adapters never do I/O. */
export async function sendUpstream(request: UpstreamRequest, options: SendOptions): Promise<UpstreamResponse> {
  const { timeouts } = options;
  try {
    const response = await undiciRequest(request.url, {
      method: request.method,
      headers: request.headers,
      body: request.method === 'GET' ? null : request.body,
      dispatcher: agentFor(timeouts.connectMs),
      headersTimeout: timeouts.firstByteMs,
      bodyTimeout: timeouts.firstByteMs,
      signal: options.signal,
    });
    return { status: response.statusCode, headers: response.headers, body: response.body };
  } catch (error) {
    throw classifyTransportError(error, options.provider, timeouts);
  }
}

/** Hands one upstream request to the shared pool with the dispatcher's callback interface. */
export function dispatchUpstream(request: UpstreamRequest, timeouts: UpstreamTimeouts, handler: Dispatcher.DispatchHandler): void {
  const url = new URL(request.url);
  agentFor(timeouts.connectMs).dispatch(
    {
      origin: url.origin,
      path: url.pathname + url.search,
      method: request.method,
      headers: request.headers,
      body: request.method === 'GET' ? null : request.body,
      headersTimeout: timeouts.firstByteMs,
      bodyTimeout: timeouts.firstByteMs,
    },
    handler,
  );
}

export interface BufferedResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
}

/**
 * Sends a request and collects the whole answer into one buffer, straight from the dispatcher's callbacks:
 * no response stream object per request, which matters on the hot path of non-streamed calls.
 */
export function sendUpstreamBuffered(request: UpstreamRequest, options: SendOptions): Promise<BufferedResponse> {
  const { timeouts } = options;
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let status = 0;
    let headers: Record<string, string | string[] | undefined> = {};
    // The dispatcher's own callback interface (https://undici.nodejs.org/#/docs/api/Dispatcher?id=dispatcherdispatchoptions-handler).
    const handler = {
      onConnect() {},
      onHeaders(statusCode: number, rawHeaders: Buffer[]) {
        status = statusCode;
        headers = undiciUtil.parseHeaders(rawHeaders) as Record<string, string | string[] | undefined>;
        return true;
      },
      onData(chunk: Buffer) {
        chunks.push(chunk);
        return true;
      },
      onComplete() {
        resolve({ status, headers, body: chunks.length === 1 ? (chunks[0] as Buffer) : Buffer.concat(chunks) });
      },
      onError(error: Error) {
        reject(classifyTransportError(error, options.provider, timeouts));
      },
    } as unknown as Dispatcher.DispatchHandler;
    dispatchUpstream(request, timeouts, handler);
  });
}

export async function closeHttpAgents(): Promise<void> {
  await Promise.all([...agents.values()].map((agent) => agent.close()));
  agents.clear();
}
