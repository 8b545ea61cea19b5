import { defaultTextMapGetter, defaultTextMapSetter, ROOT_CONTEXT, SpanKind, SpanStatusCode, trace, type Context, type Span, type SpanContext, type Tracer } from '@opentelemetry/api';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { defaultResource, detectResources, envDetector, resourceFromAttributes } from '@opentelemetry/resources';
import { BasicTracerProvider, BatchSpanProcessor, type SpanExporter } from '@opentelemetry/sdk-trace-base';
import type { ChatResponse, StreamPart } from '../core/canonical.js';
import type { AttemptRecord, RequestRecord, TokenCounts } from '../ledger/ledger-record.js';
import type { LedgerWriter } from '../ledger/ledger-writer.js';
import { genAiOperationName, genAiProviderName } from './gen-ai-names.js';
import type { RequestStart, RequestTrace, Tracing } from './request-trace.js';
import { inputMessages, outputMessages } from './trace-content.js';
import type { TracingSettings } from './tracing-env.js';

const propagator = new W3CTraceContextPropagator();
const maxOpenTraces = 100_000;

export interface OtelTracingOptions {
  settings: TracingSettings;
  ledger: LedgerWriter;
  providerType: (provider: string) => string | undefined;
  version: string;
  /** Replaces the OTLP exporter (tests). */
  exporter?: SpanExporter;
}

/** Sets the token counts and cost one at a time: cheaper than building an attributes object to copy. */
function setUsage(span: Span, counts: TokenCounts): void {
  span.setAttribute('gen_ai.usage.input_tokens', counts.inputTokens + counts.cachedInputTokens + counts.cacheWriteTokens);
  span.setAttribute('gen_ai.usage.cache_read.input_tokens', counts.cachedInputTokens);
  span.setAttribute('gen_ai.usage.cache_creation.input_tokens', counts.cacheWriteTokens);
  span.setAttribute('gen_ai.usage.output_tokens', counts.outputTokens);
  span.setAttribute('gen_ai.usage.reasoning.output_tokens', counts.reasoningTokens);
  span.setAttribute('switchyard.cost_usd', counts.costUsd);
}

/** One request's spans: the request span, one child per upstream attempt, ended together from the ledger record. */
class OtelRequestTrace implements RequestTrace {
  upstreamHeaders: Record<string, string> | undefined;
  readonly attempts = new Map<number, { span: Span; startMs: number }>();
  finishReasons: string[] = [];
  responseModel: string | undefined;
  outputText: string | undefined;

  constructor(
    private readonly tracer: Tracer,
    readonly span: Span,
    readonly context: Context,
    readonly startMs: number,
    readonly operation: string,
    captureContent: boolean,
  ) {
    if (captureContent && span.isRecording()) this.outputText = '';
  }

  startAttempt(attempt: AttemptRecord): void {
    const startMs = performance.timeOrigin + performance.now();
    const span = this.tracer.startSpan(`${this.operation} ${attempt.upstreamModel}`, { kind: SpanKind.CLIENT, startTime: startMs }, this.context);
    this.attempts.set(attempt.attempt, { span, startMs });
    const headers: Record<string, string> = {};
    propagator.inject(trace.setSpan(this.context, span), headers, defaultTextMapSetter);
    this.upstreamHeaders = headers;
  }

  part(part: StreamPart): void {
    if (part.type === 'finish') this.finishReasons.push(part.rawFinishReason ?? part.finishReason);
    else if (part.type === 'stream-start') this.responseModel = part.model;
    else if (part.type === 'text-delta' && this.outputText !== undefined) this.outputText += part.text;
  }

  answered(response: ChatResponse): void {
    this.finishReasons.push(response.rawFinishReason ?? response.finishReason);
    this.responseModel = response.model;
    if (this.outputText !== undefined) this.outputText = response.text;
  }
}

const ignore = () => undefined;

/** A request the sampler dropped: the provider still gets its trace id and span id, with the sampled flag off. */
class UnsampledTrace implements RequestTrace {
  readonly upstreamHeaders: Record<string, string>;
  readonly startAttempt = ignore;
  readonly part = ignore;
  readonly answered = ignore;

  constructor(context: SpanContext) {
    // The W3C traceparent: version 00, trace id, parent id, flags as two hex digits.
    const traceparent = `00-${context.traceId}-${context.spanId}-${context.traceFlags.toString(16).padStart(2, '0')}`;
    const tracestate = context.traceState?.serialize();
    this.upstreamHeaders = tracestate ? { traceparent, tracestate } : { traceparent };
  }
}

/** Tracing through the OpenTelemetry SDK, exported with OTLP/HTTP as the `OTEL_*` variables configure it. */
export class OtelTracing implements Tracing {
  private readonly provider: BasicTracerProvider;
  private readonly tracer: Tracer;
  private readonly open = new Map<string, OtelRequestTrace>();

  private constructor(
    private readonly options: OtelTracingOptions,
    exporter: SpanExporter,
  ) {
    const resource = defaultResource().merge(resourceFromAttributes({ 'service.name': 'switchyard', 'service.version': options.version })).merge(detectResources({ detectors: [envDetector] }));
    this.provider = new BasicTracerProvider({ resource, spanProcessors: [new BatchSpanProcessor(exporter)] });
    this.tracer = this.provider.getTracer('switchyard', options.version);
    options.ledger.onRecord((record) => this.finish(record));
  }

  static async create(options: OtelTracingOptions): Promise<OtelTracing> {
    if (options.exporter) return new OtelTracing(options, options.exporter);
    // Each exporter reads OTEL_EXPORTER_OTLP_(TRACES_)ENDPOINT, _HEADERS, _TIMEOUT and _COMPRESSION itself.
    const { OTLPTraceExporter } = options.settings.protocol === 'http/json' ? await import('@opentelemetry/exporter-trace-otlp-http') : await import('@opentelemetry/exporter-trace-otlp-proto');
    return new OtelTracing(options, new OTLPTraceExporter());
  }

  startRequest(start: RequestStart): RequestTrace {
    const parent = start.headers.traceparent === undefined ? ROOT_CONTEXT : propagator.extract(ROOT_CONTEXT, start.headers, defaultTextMapGetter);
    const operation = genAiOperationName(start.endpoint);
    const startMs = performance.timeOrigin + start.startedAtMs;
    const span = this.tracer.startSpan(`${operation} ${start.model}`, { kind: SpanKind.SERVER, startTime: startMs }, parent);
    // Most requests are not sampled: they only pass their trace context on, and need no attempt spans or end.
    if (!span.isRecording()) return new UnsampledTrace(span.spanContext());
    span.setAttributes({ 'gen_ai.operation.name': operation, 'gen_ai.request.model': start.model, 'switchyard.request_id': start.requestId });
    const requestTrace = new OtelRequestTrace(this.tracer, span, trace.setSpan(parent, span), startMs, operation, this.options.settings.captureContent);
    if (requestTrace.outputText !== undefined && start.chat) span.setAttribute('gen_ai.input.messages', inputMessages(start.chat));
    // Every request ends with a ledger record, which ends its spans; the cap only bounds memory if one never did.
    if (this.open.size >= maxOpenTraces) this.endOldest();
    this.open.set(start.requestId, requestTrace);
    return requestTrace;
  }

  private finish(record: RequestRecord): void {
    const requestTrace = this.open.get(record.id);
    if (!requestTrace) return;
    this.open.delete(record.id);
    const { span } = requestTrace;
    if (span.isRecording()) {
      setUsage(span, record);
      span.setAttribute('gen_ai.provider.name', genAiProviderName(record.provider ? this.options.providerType(record.provider) : undefined));
      span.setAttribute('gen_ai.response.model', requestTrace.responseModel ?? record.upstreamModel ?? '');
      span.setAttribute('gen_ai.response.finish_reasons', requestTrace.finishReasons);
      span.setAttribute('gen_ai.request.stream', record.stream);
      span.setAttribute('http.response.status_code', record.status);
      if (record.provider) span.setAttribute('switchyard.provider', record.provider);
      if (record.route) span.setAttribute('switchyard.route', record.route);
      span.setAttribute('switchyard.cache_hit', record.cacheHit);
      span.setAttribute('switchyard.estimated', record.estimated);
      if (record.errorCode) {
        span.setAttribute('error.type', record.errorCode);
        span.setStatus({ code: SpanStatusCode.ERROR });
      }
      if (requestTrace.outputText !== undefined && record.status === 200) span.setAttribute('gen_ai.output.messages', outputMessages(requestTrace.outputText, requestTrace.finishReasons));
    }
    const served = record.attempts.findLast((attempt) => !attempt.shadow);
    for (const attempt of record.attempts) this.endAttempt(requestTrace, attempt, attempt === served ? requestTrace : undefined);
    for (const { span: orphan } of requestTrace.attempts.values()) orphan.end();
    span.end(requestTrace.startMs + record.latencyMs);
  }

  /** Ends an attempt's span, or records one after the fact for attempts started without it (shadow requests). */
  private endAttempt(requestTrace: OtelRequestTrace, attempt: AttemptRecord, served: OtelRequestTrace | undefined): void {
    const started = requestTrace.attempts.get(attempt.attempt);
    requestTrace.attempts.delete(attempt.attempt);
    const startMs = started?.startMs ?? attempt.startedAt;
    const span = started?.span ?? (requestTrace.span.isRecording() ? this.tracer.startSpan(`${requestTrace.operation} ${attempt.upstreamModel}`, { kind: SpanKind.CLIENT, startTime: startMs }, requestTrace.context) : undefined);
    if (!span) return;
    if (span.isRecording()) {
      setUsage(span, attempt);
      span.setAttribute('gen_ai.operation.name', requestTrace.operation);
      span.setAttribute('gen_ai.provider.name', genAiProviderName(this.options.providerType(attempt.provider)));
      span.setAttribute('gen_ai.request.model', attempt.upstreamModel);
      span.setAttribute('gen_ai.response.model', (served && served.responseModel) || attempt.upstreamModel);
      span.setAttribute('http.response.status_code', attempt.status);
      span.setAttribute('switchyard.provider', attempt.provider);
      span.setAttribute('switchyard.model', attempt.model);
      span.setAttribute('switchyard.attempt', attempt.attempt);
      span.setAttribute('switchyard.shadow', attempt.shadow);
      if (served) span.setAttribute('gen_ai.response.finish_reasons', served.finishReasons);
      if (attempt.errorCode) {
        span.setAttribute('error.type', attempt.errorCode);
        if (attempt.status !== 200) span.setStatus({ code: SpanStatusCode.ERROR });
      }
    }
    span.end(startMs + attempt.latencyMs);
  }

  private endOldest(): void {
    for (const [requestId, requestTrace] of this.open) {
      this.open.delete(requestId);
      for (const attempt of requestTrace.attempts.values()) attempt.span.end();
      requestTrace.span.end();
      return;
    }
  }

  async shutdown(): Promise<void> {
    for (const requestTrace of this.open.values()) requestTrace.span.end();
    this.open.clear();
    await this.provider.shutdown();
  }
}
