import type { IncomingHttpHeaders } from 'node:http';
import type { ChatRequest, ChatResponse, StreamPart } from '../core/canonical.js';
import type { AttemptRecord, RequestRecord } from '../ledger/ledger-record.js';
import { parseTraceparent, traceHeaders } from './trace-sampling.js';

/** What the request path tells the trace of one request. Every method is cheap when the request is not sampled. */
export interface RequestTrace {
  /** Headers for the upstream request of the attempt started last (`traceparent`, `tracestate`). */
  upstreamHeaders: Record<string, string> | undefined;
  startAttempt(attempt: AttemptRecord): void;
  /** A streamed part as the client receives it (finish reason, response model, text when content is captured). */
  part(part: StreamPart): void;
  /** A whole answer (not streamed). */
  answered(response: ChatResponse): void;
}

export interface RequestStart {
  requestId: string;
  endpoint: RequestRecord['endpoint'];
  model: string;
  /** `performance.now()` when the request arrived. */
  startedAtMs: number;
  headers: IncomingHttpHeaders;
  /** The request, for its messages when content capture is on. */
  chat?: ChatRequest;
}

/** Traces of requests: started on the request path, ended from the ledger record. */
export interface Tracing {
  startRequest(start: RequestStart): RequestTrace;
  shutdown(): Promise<void>;
}

const ignore = () => undefined;

/**
 * With tracing off, a client's W3C trace context still reaches the provider unchanged, so traces that cross the
 * gateway stay joined. A malformed `traceparent` is ignored, as the W3C Trace Context spec asks.
 */
function passthroughTrace(headers: IncomingHttpHeaders): RequestTrace | undefined {
  const traceparent = headers.traceparent;
  if (typeof traceparent !== 'string' || !parseTraceparent(traceparent)) return undefined;
  const tracestate = headers.tracestate;
  return { upstreamHeaders: traceHeaders(traceparent, typeof tracestate === 'string' ? tracestate : undefined), startAttempt: ignore, part: ignore, answered: ignore };
}

/** The trace of a request: a recorded one when tracing is on, else the client's context passed through, if any. */
export function traceRequest(tracing: Tracing | undefined, start: RequestStart): RequestTrace | undefined {
  return tracing ? tracing.startRequest(start) : passthroughTrace(start.headers);
}
