import { defaultResource, detectResources, envDetector, resourceFromAttributes } from '@opentelemetry/resources';
import { BatchSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { parentPort, workerData } from 'node:worker_threads';
import { lowerThreadPriority } from './background-priority.js';
import { finishedSpan, spanLimitsFromEnv } from './finished-span.js';
import type { SpanData } from './span-data.js';

// The export side of tracing, on its own thread: finished spans arrive as plain data in batches, become the SDK's
// finished spans (ReadableSpan) with the ids the request path already sent upstream, and go through the SDK's batch
// span processor to the OTLP/HTTP exporter. Both read their OTEL_BSP_* and OTEL_EXPORTER_OTLP_* variables
// themselves. Building, batching and encoding spans all happen here, off the gateway's event loop.

export interface ExportThreadData {
  protocol: 'http/json' | 'http/protobuf';
  version: string;
}

export type ExportThreadMessage = { spans: SpanData[] } | { shutdown: true };

const { protocol, version } = workerData as ExportThreadData;
// Spans wait in the batch processor's bounded queue while requests keep the cores busy.
lowerThreadPriority();
const { OTLPTraceExporter } = protocol === 'http/json' ? await import('@opentelemetry/exporter-trace-otlp-http') : await import('@opentelemetry/exporter-trace-otlp-proto');
const resource = defaultResource().merge(resourceFromAttributes({ 'service.name': 'switchyard', 'service.version': version })).merge(detectResources({ detectors: [envDetector] }));
const scope = { name: 'switchyard', version };
const limits = spanLimitsFromEnv();
// Sampling was decided on the request path: every span that arrives here is recorded.
const processor = new BatchSpanProcessor(new OTLPTraceExporter());

parentPort?.on('message', (message: ExportThreadMessage) => {
  if ('spans' in message) {
    for (const data of message.spans) processor.onEnd(finishedSpan(data, resource, scope, limits));
    return;
  }
  processor.shutdown().then(
    () => parentPort?.postMessage({ shutdown: true }),
    (error: unknown) => parentPort?.postMessage({ shutdown: true, error: String(error) }),
  );
});
parentPort?.postMessage({ ready: true });
