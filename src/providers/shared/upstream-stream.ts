import { util as undiciUtil, type Dispatcher } from 'undici';
import type { UpstreamRequest } from '../../core/provider.js';
import { classifyTransportError, dispatchUpstream, type SendOptions } from './http-client.js';

/** What the relay does with a streamed body, called straight from the dispatcher as bytes arrive. */
export interface StreamCallbacks {
  /** A chunk of the body; return false to pause the upstream until `resume()` (back-pressure from the client). */
  onChunk(chunk: Buffer): boolean;
  onEnd(): void;
  onError(error: Error): void;
}

export interface OpenedStream {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  /** The whole body of an error answer (status >= 400); the callbacks are not called for it. */
  errorBody: string | undefined;
  resume(): void;
  abort(): void;
}

/**
 * Opens a streamed upstream request without a stream object in between: chunks go from the dispatcher's callbacks
 * to the relay as they arrive (https://undici.nodejs.org/#/docs/api/Dispatcher?id=dispatcherdispatchoptions-handler).
 * Resolves with the response head once it arrives, or, for an error status, once its body has been read.
 */
export function openUpstreamStream(request: UpstreamRequest, options: SendOptions, callbacks: StreamCallbacks): Promise<OpenedStream> {
  const { timeouts } = options;
  return new Promise((resolve, reject) => {
    let abortDispatch: ((reason?: Error) => void) | undefined;
    let resumeDispatch: (() => void) | undefined;
    let opened: OpenedStream | undefined;
    let errorChunks: Buffer[] | undefined;
    const onAbort = () => abortDispatch?.(new Error('client closed the connection'));
    options.signal?.addEventListener('abort', onAbort, { once: true });
    const detach = () => options.signal?.removeEventListener('abort', onAbort);
    const handler = {
      onConnect(abort: (reason?: Error) => void) {
        abortDispatch = abort;
        if (options.signal?.aborted) abort(new Error('client closed the connection'));
      },
      onHeaders(statusCode: number, rawHeaders: Buffer[], resume: () => void) {
        resumeDispatch = resume;
        const headers = undiciUtil.parseHeaders(rawHeaders) as Record<string, string | string[] | undefined>;
        opened = { status: statusCode, headers, errorBody: undefined, resume: () => resumeDispatch?.(), abort: () => abortDispatch?.(new Error('stream cancelled')) };
        if (statusCode >= 400) errorChunks = [];
        else resolve(opened);
        return true;
      },
      onData(chunk: Buffer) {
        if (errorChunks) {
          errorChunks.push(chunk);
          return true;
        }
        return callbacks.onChunk(chunk);
      },
      onComplete() {
        detach();
        if (errorChunks && opened) resolve({ ...opened, errorBody: Buffer.concat(errorChunks).toString('utf8') });
        else callbacks.onEnd();
      },
      onError(error: Error) {
        detach();
        const classified = classifyTransportError(error, options.provider, timeouts);
        if (!opened || errorChunks) reject(classified);
        else callbacks.onError(classified);
      },
    } as unknown as Dispatcher.DispatchHandler;
    dispatchUpstream(request, timeouts, handler);
  });
}
