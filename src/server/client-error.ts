import type { Duplex } from 'node:stream';
import { GatewayError } from '../core/errors.js';
import { openAiErrorBody } from './error-envelope.js';

/** Node's HTTP parser errors for a request too broken to reach a handler (https://nodejs.org/api/http.html#event-clienterror). */
function errorFor(code: string | undefined): GatewayError | undefined {
  if (code === 'HPE_HEADER_OVERFLOW') return new GatewayError('request_headers_too_large', 'The request headers are larger than the server accepts (16 KiB in all); send fewer or shorter headers.');
  if (code === 'ERR_HTTP_REQUEST_TIMEOUT') return undefined;
  return new GatewayError('invalid_request', 'The request is not valid HTTP/1.1 (its request line, headers or framing could not be parsed).');
}

const reasons: Record<number, string> = { 400: 'Bad Request', 431: 'Request Header Fields Too Large' };

/**
 * Answers a request the HTTP parser rejected with the same error envelope as every other error, instead of Node's
 * bare status line, and closes the connection (its framing can no longer be trusted).
 */
export function answerClientError(error: Error & { code?: string }, socket: Duplex): void {
  const gatewayError = errorFor(error.code);
  if (!socket.writable || gatewayError === undefined) {
    // A reset connection has no one to answer; a request timeout keeps Node's own 408 answer.
    if (socket.writable && error.code === 'ERR_HTTP_REQUEST_TIMEOUT') socket.end('HTTP/1.1 408 Request Timeout\r\nconnection: close\r\n\r\n');
    else socket.destroy();
    return;
  }
  const body = JSON.stringify(openAiErrorBody(gatewayError));
  const status = gatewayError.status;
  socket.end(`HTTP/1.1 ${status} ${reasons[status] ?? 'Bad Request'}\r\ncontent-type: application/json\r\ncontent-length: ${Buffer.byteLength(body)}\r\nconnection: close\r\n\r\n${body}`);
}
