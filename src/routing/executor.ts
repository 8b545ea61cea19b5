import type { ChatRequest, ChatResponse, StreamPart, Usage } from '../core/canonical.js';
import type { Deployment } from '../core/deployment.js';
import { GatewayError, toGatewayError } from '../core/errors.js';
import type { AttemptRecord } from '../ledger/ledger-record.js';
import { sendUpstream, sendUpstreamBuffered, type UpstreamResponse } from '../providers/shared/http-client.js';
import { createFramer } from '../providers/shared/stream-framer.js';
import { runAttempts, type ExecutionContext } from './attempt-loop.js';
import { finishAttempt, usageOrEstimate } from './attempt-record.js';

export type { ExecutionContext } from './attempt-loop.js';

export interface ChatOutcome {
  deployment: Deployment;
  response: ChatResponse;
  usage: Usage;
}

export interface StreamOutcome {
  deployment: Deployment;
  /** Every part of the answer, starting with those read before the stream was committed to. */
  parts: AsyncGenerator<StreamPart, void, undefined>;
}

export interface ChatOptions {
  /** The request to send to a deployment (privacy policies redact for some). Defaults to the request itself. */
  requestFor?: (deployment: Deployment) => ChatRequest;
  /** A cascade's check: returns why an answer is not good enough, or undefined to accept it. */
  check?: (response: ChatResponse) => string | undefined;
}

async function failureFrom(deployment: Deployment, response: UpstreamResponse): Promise<GatewayError> {
  const body = await response.body.text().catch(() => '');
  return deployment.adapter.classifyError({ status: response.status, headers: response.headers, body }, deployment.endpoint);
}

async function open(deployment: Deployment, request: ChatRequest, signal: AbortSignal): Promise<UpstreamResponse> {
  const upstream = await deployment.adapter.buildChatRequest(request, deployment.upstreamModel, deployment.endpoint);
  const response = await sendUpstream(upstream, { provider: deployment.provider, timeouts: deployment.timeouts, signal });
  if (response.status >= 400) throw await failureFrom(deployment, response);
  return response;
}

/** Runs a non-streamed chat request through the attempt loop (retries, fallbacks, circuit breakers, cascade checks). */
export function executeChat(request: ChatRequest, targets: Deployment[], context: ExecutionContext, options: ChatOptions = {}): Promise<ChatOutcome> {
  return runAttempts<ChatOutcome>(targets, context, async (deployment, record, started) => {
    const sent = options.requestFor ? options.requestFor(deployment) : request;
    const upstream = await deployment.adapter.buildChatRequest(sent, deployment.upstreamModel, deployment.endpoint);
    const response = await sendUpstreamBuffered(upstream, { provider: deployment.provider, timeouts: deployment.timeouts });
    const text = response.body.toString('utf8');
    if (response.status >= 400) throw deployment.adapter.classifyError({ status: response.status, headers: response.headers, body: text }, deployment.endpoint);
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch (cause) {
      throw new GatewayError('upstream_error', `Provider "${deployment.provider}" returned a body that is not JSON.`, { provider: deployment.provider, cause });
    }
    const parsed = deployment.adapter.parseChatResponse(body, deployment.upstreamModel);
    const usage = usageOrEstimate(parsed.usage, sent, parsed.text + parsed.toolCalls.map((call) => call.arguments).join(''));
    const rejection = options.check?.(parsed);
    finishAttempt(record, deployment, { status: 200, usage }, started);
    if (rejection) record.errorCode = 'quality_check_failed';
    context.attempts.push(record);
    context.health?.recordAttempt(deployment.model, { success: true, countsAgainstHealth: false, latencyMs: record.latencyMs });
    return { kind: rejection ? 'next' : 'done', value: { deployment, response: parsed, usage } };
  });
}

function isContent(part: StreamPart): boolean {
  return part.type !== 'stream-start';
}

/**
 * Opens a stream, trying attempts until one produces its first content part. After that the stream is committed:
 * a later failure ends it with an error part, never a fallback or a fake finish.
 */
export function executeStream(request: ChatRequest, targets: Deployment[], context: ExecutionContext, options: ChatOptions = {}): Promise<StreamOutcome> {
  return runAttempts<StreamOutcome>(targets, context, async (deployment, record, started) => {
    const sent = options.requestFor ? options.requestFor(deployment) : request;
    const response = await open(deployment, sent, context.signal);
    const reader = new UpstreamStreamReader(deployment, response);
    const head = await reader.readUntil(isContent);
    // Only an error before the first content part may fail the attempt; one after it ends the committed stream.
    const errorAt = head.findIndex((part) => part.type === 'error');
    const contentAt = head.findIndex((part) => isContent(part) && part.type !== 'error');
    if (errorAt !== -1 && (contentAt === -1 || errorAt < contentAt)) {
      reader.cancel();
      throw (head[errorAt] as Extract<StreamPart, { type: 'error' }>).error;
    }
    const ttftMs = performance.now() - started;
    return { kind: 'done', value: { deployment, parts: relay(sent, deployment, reader, head, { context, record, started, ttftMs }) } };
  });
}

interface RelayState {
  context: ExecutionContext;
  record: AttemptRecord;
  started: number;
  ttftMs: number;
}

async function* relay(request: ChatRequest, deployment: Deployment, reader: UpstreamStreamReader, head: StreamPart[], state: RelayState): AsyncGenerator<StreamPart, void, undefined> {
  let usage: Usage | undefined;
  let output = '';
  let failure: GatewayError | undefined;
  let completed = false;
  const observe = (part: StreamPart) => {
    if (part.type === 'usage') usage = part.usage;
    else if (part.type === 'text-delta' || part.type === 'reasoning-delta') output += part.text;
    else if (part.type === 'tool-call-delta') output += part.argumentsDelta;
    else if (part.type === 'error') failure = part.error;
    else if (part.type === 'finish') completed = true;
  };
  try {
    for (const part of head) {
      observe(part);
      yield part;
    }
    for (;;) {
      const parts = await reader.next();
      if (parts === undefined) break;
      for (const part of parts) {
        observe(part);
        yield part;
      }
    }
  } catch (caught) {
    failure = toGatewayError(caught);
    yield { type: 'error', error: failure };
  } finally {
    reader.cancel();
    const status = failure ? (failure.upstreamStatus ?? failure.status) : completed ? 200 : 499;
    const end = { status, usage: usageOrEstimate(usage, request, output), ttftMs: state.ttftMs, ...(failure ? { error: failure } : {}) };
    finishAttempt(state.record, deployment, end, state.started);
    state.context.attempts.push(state.record);
    if (status !== 499) state.context.health?.recordAttempt(deployment.model, { success: !failure, countsAgainstHealth: failure?.retryable ?? false, latencyMs: state.ttftMs, ...(failure ? { error: failure.code } : {}) });
  }
}

/** Pulls chunks from an upstream body and turns them into canonical parts through framer and decoder. */
class UpstreamStreamReader {
  private readonly iterator: AsyncIterator<Uint8Array>;
  private readonly framer;
  private readonly decoder;
  private done = false;

  constructor(
    private readonly deployment: Deployment,
    private readonly response: UpstreamResponse,
  ) {
    this.iterator = (response.body as AsyncIterable<Uint8Array>)[Symbol.asyncIterator]();
    this.framer = createFramer(deployment.adapter.streamFraming);
    this.decoder = deployment.adapter.createStreamDecoder(deployment.upstreamModel);
  }

  /** Reads until a part satisfies `predicate`, an error part arrives, or the body ends. */
  async readUntil(predicate: (part: StreamPart) => boolean): Promise<StreamPart[]> {
    const collected: StreamPart[] = [];
    for (;;) {
      const parts = await this.next();
      if (parts === undefined) return collected;
      collected.push(...parts);
      if (parts.some((part) => predicate(part) || part.type === 'error')) return collected;
    }
  }

  /** The next non-empty batch of parts, or undefined at the end. */
  async next(): Promise<StreamPart[] | undefined> {
    while (!this.done) {
      let result: IteratorResult<Uint8Array>;
      try {
        result = await this.iterator.next();
      } catch (cause) {
        this.done = true;
        const error = new GatewayError('upstream_error', `The stream from provider "${this.deployment.provider}" broke off.`, { provider: this.deployment.provider, cause });
        return [...this.decodeAll(this.framer.flush()), { type: 'error', error }];
      }
      if (result.done) {
        this.done = true;
        return [...this.decodeAll(this.framer.flush()), ...this.decoder.end()];
      }
      let parts: StreamPart[];
      try {
        parts = this.decodeAll(this.framer.push(result.value));
      } catch (cause) {
        this.cancel();
        return [{ type: 'error', error: toGatewayError(cause) }];
      }
      if (parts.length > 0) return parts;
    }
    return undefined;
  }

  cancel(): void {
    if (!this.done) {
      this.done = true;
      this.response.body.destroy();
    }
  }

  private decodeAll(events: ReturnType<typeof this.framer.push>): StreamPart[] {
    if (events.length === 0) return [];
    if (events.length === 1) return this.decoder.decode(events[0] as (typeof events)[number]);
    const parts: StreamPart[] = [];
    for (const event of events) parts.push(...this.decoder.decode(event));
    return parts;
  }
}
