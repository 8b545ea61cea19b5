import { Worker } from 'node:worker_threads';
import type { ChatResponse, StreamPart } from '../core/canonical.js';
import type { Logger } from '../core/logger.js';
import type { AttemptRecord, RequestRecord } from '../ledger/ledger-record.js';
import type { LedgerWriter } from '../ledger/ledger-writer.js';
import { genAiOperationName } from './gen-ai-names.js';
import type { RequestStart, RequestTrace, Tracing } from './request-trace.js';
import { attemptAttributeValues, requestAttributeValues, type AnswerFacts, type SpanData } from './span-data.js';
import type { ExportThreadData, ExportThreadMessage } from './span-export-thread.js';
import { inputMessages, outputMessages } from './trace-content.js';
import { isSampled, parseTraceparent, RandomIds, traceHeaders, type TraceParent } from './trace-sampling.js';
import type { TracingSettings } from './tracing-env.js';

const maxOpenTraces = 100_000;
/** Finished spans wait at most this long, or until there are this many, before they cross to the export thread. */
const flushDelayMs = 100;
const flushSpans = 256;

export interface OtelTracingOptions {
  settings: TracingSettings;
  ledger: LedgerWriter;
  providerType: (provider: string) => string | undefined;
  version: string;
  logger?: Logger;
}

const now = () => performance.timeOrigin + performance.now();
const ignore = () => undefined;

/** The W3C traceparent: version 00, trace id, parent id, flags. */
const traceparentOf = (traceId: string, spanId: string, sampled: boolean) => `00-${traceId}-${spanId}-${sampled ? '01' : '00'}`;

/** A sampled request: its ids and what the answer told, until its ledger record ends it. */
class SampledTrace implements RequestTrace {
  upstreamHeaders: Record<string, string> | undefined;
  readonly spanId: string;
  readonly attempts = new Map<number, { spanId: string; startMs: number }>();
  readonly facts: AnswerFacts;
  outputText: string | undefined;

  constructor(
    private readonly ids: RandomIds,
    readonly traceId: string,
    readonly parent: TraceParent | undefined,
    readonly traceState: string | undefined,
    readonly startMs: number,
    start: RequestStart,
    captureContent: boolean,
  ) {
    this.spanId = ids.spanId();
    this.facts = { operation: genAiOperationName(start.endpoint), requestId: start.requestId, requestedModel: start.model, responseModel: undefined, finishReasons: [] };
    if (captureContent) {
      this.outputText = '';
      if (start.chat) this.facts.inputMessages = inputMessages(start.chat);
    }
  }

  startAttempt(attempt: AttemptRecord): void {
    const spanId = this.ids.spanId();
    this.attempts.set(attempt.attempt, { spanId, startMs: now() });
    this.upstreamHeaders = traceHeaders(traceparentOf(this.traceId, spanId, true), this.traceState);
  }

  part(part: StreamPart): void {
    if (part.type === 'finish') this.facts.finishReasons.push(part.rawFinishReason ?? part.finishReason);
    else if (part.type === 'stream-start') this.facts.responseModel = part.model;
    else if (part.type === 'text-delta' && this.outputText !== undefined) this.outputText += part.text;
  }

  answered(response: ChatResponse): void {
    this.facts.finishReasons.push(response.rawFinishReason ?? response.finishReason);
    this.facts.responseModel = response.model;
    if (this.outputText !== undefined) this.outputText = response.text;
  }

  /** The request span and its attempt spans as plain data. */
  spans(record: RequestRecord | undefined, providerType: (provider: string) => string | undefined): SpanData[] {
    const { facts, traceId, spanId } = this;
    const traceState = this.traceState ?? null;
    if (record && this.outputText !== undefined) facts.outputMessages = outputMessages(this.outputText, facts.finishReasons);
    const values = requestAttributeValues(record, facts, record?.provider ? providerType(record.provider) : undefined);
    const spans: SpanData[] = [['server', `${facts.operation} ${facts.requestedModel}`, traceId, spanId, this.parent?.spanId ?? null, true, traceState, this.startMs, record ? this.startMs + record.latencyMs : now(), Boolean(record?.errorCode), values]];
    if (record) {
      const served = record.attempts.findLast((attempt) => !attempt.shadow);
      for (const attempt of record.attempts) {
        const started = this.attempts.get(attempt.attempt);
        this.attempts.delete(attempt.attempt);
        // Attempts started without the trace (shadow requests) get a span after the fact.
        const startMs = started ? started.startMs : attempt.startedAt;
        const attemptValues = attemptAttributeValues(attempt, facts, providerType(attempt.provider), attempt === served);
        spans.push(['client', `${facts.operation} ${attempt.upstreamModel}`, traceId, started ? started.spanId : this.ids.spanId(), spanId, false, traceState, startMs, startMs + attempt.latencyMs, Boolean(attempt.errorCode) && attempt.status !== 200, attemptValues]);
      }
    }
    // Attempts the record does not list (the request ended first) end now, without figures.
    for (const started of this.attempts.values()) {
      spans.push(['client', `${facts.operation} ${facts.requestedModel}`, traceId, started.spanId, spanId, false, traceState, started.startMs, now(), false, []]);
    }
    return spans;
  }
}

/** A request the sampler dropped: the provider still gets a trace id and a span id of the gateway's, with the sampled flag off. */
class UnsampledTrace implements RequestTrace {
  readonly upstreamHeaders: Record<string, string>;
  readonly startAttempt = ignore;
  readonly part = ignore;
  readonly answered = ignore;

  constructor(traceId: string, spanId: string, tracestate: string | undefined) {
    this.upstreamHeaders = traceHeaders(traceparentOf(traceId, spanId, false), tracestate);
  }
}

/**
 * Tracing with the OpenTelemetry SDK and its OTLP/HTTP exporter, as the `OTEL_*` variables configure them. The
 * request path only decides sampling, makes ids and, once a sampled request's ledger record arrives, describes its
 * spans as plain data; the SDK builds, batches and exports them on a thread of its own (span-export-thread.ts).
 */
export class OtelTracing implements Tracing {
  private readonly open = new Map<string, SampledTrace>();
  private readonly ids = new RandomIds();
  private pending: SpanData[] = [];
  private timer: NodeJS.Timeout | undefined;
  private closed = false;
  /** The export thread ended (it failed): shutdown has nothing to wait for. */
  private exited = false;

  private constructor(
    private readonly options: OtelTracingOptions,
    private readonly worker: Worker,
  ) {
    options.ledger.onRecord((record) => this.finish(record));
    worker.on('error', (error) => options.logger?.error('trace export thread failed', { error }));
    worker.once('exit', () => { this.exited = true; });
    worker.unref();
  }

  static async create(options: OtelTracingOptions): Promise<OtelTracing> {
    const workerData: ExportThreadData = { protocol: options.settings.protocol, version: options.version };
    const worker = new Worker(new URL('./span-export-thread.js', import.meta.url), { workerData });
    await new Promise<void>((resolve, reject) => {
      const failed = (error: Error) => reject(new Error(`The trace export thread did not start: ${error.message}`));
      worker.once('error', failed);
      worker.once('message', () => {
        worker.off('error', failed);
        resolve();
      });
    });
    return new OtelTracing(options, worker);
  }

  startRequest(start: RequestStart): RequestTrace {
    const incoming = parseTraceparent(start.headers.traceparent);
    const tracestate = incoming && typeof start.headers.tracestate === 'string' ? start.headers.tracestate : undefined;
    // Most requests are not sampled: they only pass a trace context on, and need no span, attempt spans or end.
    if (!isSampled(this.options.settings.sampling, incoming)) return new UnsampledTrace(incoming?.traceId ?? this.ids.traceId(), this.ids.spanId(), tracestate);
    const requestTrace = new SampledTrace(this.ids, incoming?.traceId ?? this.ids.traceId(), incoming, tracestate, performance.timeOrigin + start.startedAtMs, start, this.options.settings.captureContent);
    // Every request ends with a ledger record, which ends its spans; the cap only bounds memory if one never did.
    if (this.open.size >= maxOpenTraces) this.endOldest();
    this.open.set(start.requestId, requestTrace);
    return requestTrace;
  }

  private finish(record: RequestRecord): void {
    const requestTrace = this.open.get(record.id);
    if (!requestTrace) return;
    this.open.delete(record.id);
    this.queue(requestTrace.spans(record, this.options.providerType));
  }

  private queue(spans: SpanData[]): void {
    if (this.closed) return;
    for (const span of spans) this.pending.push(span);
    if (this.pending.length >= flushSpans) this.flush();
    else if (!this.timer) this.timer = setTimeout(() => this.flush(), flushDelayMs).unref();
  }

  private flush(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    if (this.pending.length === 0) return;
    const message: ExportThreadMessage = { spans: this.pending };
    this.pending = [];
    this.worker.postMessage(message);
  }

  private endOldest(): void {
    for (const [requestId, requestTrace] of this.open) {
      this.open.delete(requestId);
      this.queue(requestTrace.spans(undefined, this.options.providerType));
      return;
    }
  }

  /** Ends the traces still open, sends every span to the exporter and waits for it to finish. */
  async shutdown(): Promise<void> {
    for (const requestTrace of this.open.values()) this.queue(requestTrace.spans(undefined, this.options.providerType));
    this.open.clear();
    this.flush();
    this.closed = true;
    if (this.exited) return;
    const done = new Promise<void>((resolve) => {
      this.worker.on('message', (message: { shutdown?: boolean }) => { if (message.shutdown) resolve(); });
      this.worker.once('exit', () => resolve());
    });
    this.worker.postMessage({ shutdown: true } satisfies ExportThreadMessage);
    await done;
    await this.worker.terminate();
  }
}
