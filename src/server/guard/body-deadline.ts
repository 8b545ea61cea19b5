import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { GatewayError } from '../../core/errors.js';
import { dialectOfPath, writeError } from '../error-envelope.js';
import type { GuardCounters } from './guard-counters.js';

export interface BodyDeadlineSettings {
  bodyTimeoutMs: number;
  bodyMinBytesPerSecond: number;
  bodyRateGraceMs: number;
}

interface Upload {
  request: IncomingMessage;
  response: ServerResponse;
  startedAt: number;
  /** The socket's byte count when the request began: the body is what arrives after it. */
  bytesAtStart: number;
}

/** How often uploads are checked: the deadlines are met to within this. */
const checkIntervalMs = 250;

function hasBody(request: IncomingMessage): boolean {
  const length = request.headers['content-length'];
  if (length !== undefined) return length !== '0';
  return request.headers['transfer-encoding'] !== undefined;
}

/**
 * Cuts request bodies that take too long in all (`bodyTimeoutMs`) or arrive too slowly on average once
 * `bodyRateGraceMs` have passed (`bodyMinBytesPerSecond`), so a client trickling bytes cannot hold a connection.
 * The clock stops when the body is complete; how long the answer then streams is not limited here. Progress is read
 * from the socket's byte count, so the body stream is left untouched for the handler; one timer checks every upload.
 * A cut request gets 408 in its ingress's error envelope and its connection is closed.
 */
export function guardBodyDeadlines(server: Server, settings: BodyDeadlineSettings, counters: GuardCounters): () => void {
  const uploads = new Set<Upload>();
  let timer: NodeJS.Timeout | undefined;

  function cut(upload: Upload, reason: 'total' | 'rate', now: number): void {
    uploads.delete(upload);
    const received = upload.request.socket.bytesRead - upload.bytesAtStart;
    const seconds = ((now - upload.startedAt) / 1000).toFixed(1);
    const message =
      reason === 'total'
        ? `The request body was not complete within ${settings.bodyTimeoutMs} ms (server.bodyTimeoutMs); ${received} bytes arrived.`
        : `The request body arrived slower than ${settings.bodyMinBytesPerSecond} bytes per second (server.bodyMinBytesPerSecond): ${received} bytes in ${seconds} s.`;
    if (reason === 'total') counters.bodyTimeouts++;
    else counters.slowBodies++;
    const { request, response } = upload;
    if (response.headersSent) {
      request.socket.destroy();
      return;
    }
    response.shouldKeepAlive = false;
    response.once('finish', () => request.socket.destroy());
    writeError(response, new GatewayError('request_timeout', message), dialectOfPath(request.url ?? '/'));
  }

  function check(): void {
    const now = performance.now();
    for (const upload of uploads) {
      if (upload.request.complete || upload.request.socket.destroyed) {
        uploads.delete(upload);
        continue;
      }
      const elapsed = now - upload.startedAt;
      if (elapsed >= settings.bodyTimeoutMs) {
        cut(upload, 'total', now);
        continue;
      }
      if (settings.bodyMinBytesPerSecond === 0 || elapsed < settings.bodyRateGraceMs) continue;
      // Bytes waiting unread in the request stream are the handler's delay, not the client's.
      if (upload.request.readableLength > 0) continue;
      const received = upload.request.socket.bytesRead - upload.bytesAtStart;
      if ((received * 1000) / elapsed < settings.bodyMinBytesPerSecond) cut(upload, 'rate', now);
    }
    if (uploads.size === 0 && timer) {
      clearInterval(timer);
      timer = undefined;
    }
  }

  server.on('request', (request: IncomingMessage, response: ServerResponse) => {
    if (request.complete || !hasBody(request)) return;
    const upload: Upload = { request, response, startedAt: performance.now(), bytesAtStart: request.socket.bytesRead };
    uploads.add(upload);
    request.once('end', () => uploads.delete(upload));
    request.once('close', () => uploads.delete(upload));
    timer ??= setInterval(check, checkIntervalMs).unref();
  });

  return () => {
    if (timer) clearInterval(timer);
    timer = undefined;
    uploads.clear();
  };
}
