import type { UpstreamRequest } from '../../core/provider.js';
import { classifyTransportError, type SendOptions } from './http-client.js';
import { sendHttp1 } from './http1/client.js';
import type { ExchangeHandler } from './http1/exchange.js';
import type { ResponseHeaders } from './http1/response-parser.js';

/** What the relay does with a streamed body, called straight from the connection's reads as bytes arrive. */
export interface StreamCallbacks {
  /** A chunk of the body; return false to pause the upstream until `resume()` (back-pressure from the client). */
  onChunk(chunk: Buffer): boolean;
  onEnd(): void;
  onError(error: Error): void;
}

export interface OpenedStream {
  status: number;
  headers: ResponseHeaders;
  /** The whole body of an error answer (status >= 400); the callbacks are not called for it. */
  errorBody: string | undefined;
  resume(): void;
  abort(): void;
}

/**
 * Opens a streamed upstream request without a stream object in between: chunks go from the connection to the
 * relay as they arrive. Resolves with the response head once it arrives, or, for an error status, once its body
 * has been read.
 */
export function openUpstreamStream(request: UpstreamRequest, options: SendOptions, callbacks: StreamCallbacks): Promise<OpenedStream> {
  const { timeouts, signal } = options;
  return new Promise((resolve, reject) => {
    let opened: OpenedStream | undefined;
    let errorChunks: Buffer[] | undefined;
    const handler: ExchangeHandler = {
      onHeaders(statusCode, headers) {
        opened = { status: statusCode, headers, errorBody: undefined, resume: () => exchange.resume(), abort: () => exchange.abort(new Error('stream cancelled')) };
        if (statusCode >= 400) errorChunks = [];
        else resolve(opened);
      },
      onData(chunk) {
        if (errorChunks) {
          errorChunks.push(chunk);
          return true;
        }
        return callbacks.onChunk(chunk);
      },
      onComplete() {
        if (errorChunks && opened) resolve({ ...opened, errorBody: Buffer.concat(errorChunks).toString('utf8') });
        else callbacks.onEnd();
      },
      onError(error) {
        const classified = classifyTransportError(error, options.provider, timeouts);
        if (!opened || errorChunks) reject(classified);
        else callbacks.onError(classified);
      },
    };
    const exchange = sendHttp1(request, timeouts, handler, signal);
  });
}
