import { ROOT_CONTEXT, SpanKind, SpanStatusCode, trace, type Context } from '@opentelemetry/api';
import { TraceState } from '@opentelemetry/core';
import { defaultResource, detectResources, envDetector, resourceFromAttributes } from '@opentelemetry/resources';
import { AlwaysOnSampler, BasicTracerProvider, BatchSpanProcessor, type IdGenerator } from '@opentelemetry/sdk-trace-base';
import { parentPort, workerData } from 'node:worker_threads';
import { spanAttributes, type SpanData } from './span-data.js';

// The export side of tracing, on its own thread: finished spans arrive as plain data in batches, become spans of the
// OpenTelemetry SDK with the ids the request path already sent upstream, and leave through the OTLP/HTTP exporter,
// which reads the OTEL_EXPORTER_OTLP_* variables itself. Building, batching and encoding spans all happen here, off
// the gateway's event loop.

export interface ExportThreadData {
  protocol: 'http/json' | 'http/protobuf';
  version: string;
}

export type ExportThreadMessage = { spans: SpanData[] } | { shutdown: true };

/** Hands the SDK the ids of the span being started, instead of random ones. */
class GivenIds implements IdGenerator {
  traceId = '';
  spanId = '';

  generateTraceId(): string {
    return this.traceId;
  }

  generateSpanId(): string {
    return this.spanId;
  }
}

const { protocol, version } = workerData as ExportThreadData;
const { OTLPTraceExporter } = protocol === 'http/json' ? await import('@opentelemetry/exporter-trace-otlp-http') : await import('@opentelemetry/exporter-trace-otlp-proto');
const ids = new GivenIds();
const resource = defaultResource().merge(resourceFromAttributes({ 'service.name': 'switchyard', 'service.version': version })).merge(detectResources({ detectors: [envDetector] }));
// Sampling was decided on the request path: only sampled requests send spans here.
const provider = new BasicTracerProvider({ resource, sampler: new AlwaysOnSampler(), idGenerator: ids, spanProcessors: [new BatchSpanProcessor(new OTLPTraceExporter())] });
const tracer = provider.getTracer('switchyard', version);

function parentContext(traceId: string, parentSpanId: string | null, remote: boolean, traceState: string | null): Context {
  if (parentSpanId === null) return ROOT_CONTEXT;
  return trace.setSpanContext(ROOT_CONTEXT, { traceId, spanId: parentSpanId, traceFlags: 1, isRemote: remote, ...(traceState ? { traceState: new TraceState(traceState) } : {}) });
}

function record(data: SpanData): void {
  const [kind, name, traceId, spanId, parentSpanId, parentRemote, traceState, startMs, endMs, error, values] = data;
  ids.traceId = traceId;
  ids.spanId = spanId;
  const options = { kind: kind === 'server' ? SpanKind.SERVER : SpanKind.CLIENT, startTime: startMs, attributes: spanAttributes(kind, values) };
  const span = tracer.startSpan(name, options, parentContext(traceId, parentSpanId, parentRemote, traceState));
  if (error) span.setStatus({ code: SpanStatusCode.ERROR });
  span.end(endMs);
}

parentPort?.on('message', (message: ExportThreadMessage) => {
  if ('spans' in message) {
    for (const data of message.spans) record(data);
    return;
  }
  provider.shutdown().then(
    () => parentPort?.postMessage({ shutdown: true }),
    (error: unknown) => parentPort?.postMessage({ shutdown: true, error: String(error) }),
  );
});
parentPort?.postMessage({ ready: true });
