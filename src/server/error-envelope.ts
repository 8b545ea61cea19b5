import type { ServerResponse } from 'node:http';
import { errorTable, type GatewayError } from '../core/errors.js';

export type ErrorDialect = 'openai' | 'anthropic';

/** The envelope a request's errors are written in, from its path (query string included or not). */
export function dialectOfPath(url: string): ErrorDialect {
  const query = url.indexOf('?');
  const path = query === -1 ? url : url.slice(0, query);
  return path === '/v1/messages' || path === '/v1/messages/count_tokens' ? 'anthropic' : 'openai';
}

export function openAiErrorBody(error: GatewayError): Record<string, unknown> {
  return { error: { message: error.message, type: errorTable[error.code].openaiType, param: error.param ?? null, code: error.code } };
}

export function anthropicErrorBody(error: GatewayError): Record<string, unknown> {
  return { type: 'error', error: { type: errorTable[error.code].anthropicType, message: error.message } };
}

/** The one function that writes an error response, in the envelope of the ingress the client used. */
export function writeError(response: ServerResponse, error: GatewayError, dialect: ErrorDialect, requestId?: string): void {
  if (response.headersSent) {
    response.end();
    return;
  }
  const body = JSON.stringify(dialect === 'anthropic' ? anthropicErrorBody(error) : openAiErrorBody(error));
  const headers: Record<string, string | number> = { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) };
  if (requestId) headers['x-request-id'] = requestId;
  if (error.retryAfterMs !== undefined) headers['retry-after'] = Math.max(1, Math.ceil(error.retryAfterMs / 1000));
  response.writeHead(error.status, headers);
  response.end(body);
}
