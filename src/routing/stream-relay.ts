import type { ChatRequest, StreamPart, Usage } from '../core/canonical.js';
import type { Deployment } from '../core/deployment.js';
import { GatewayError, toGatewayError } from '../core/errors.js';
import type { StreamEvent } from '../core/provider.js';
import type { AttemptRecord } from '../ledger/ledger-record.js';
import { createFramer } from '../providers/shared/stream-framer.js';
import type { OpenedStream, StreamCallbacks } from '../providers/shared/upstream-stream.js';
import type { ExecutionContext } from './attempt-loop.js';
import { finishAttempt, usageOrEstimate } from './attempt-record.js';

/** Where a committed stream's parts go: the ingress encoder writing to the client. */
export interface StreamSink {
  /** Writes a part; false asks the relay to pause the upstream until the sink drains. */
  write(part: StreamPart): boolean;
  /** Registers a one-time callback for when the sink can take more. */
  onDrain(resume: () => void): void;
  /** Holds writes back until `uncork`, so parts decoded from one upstream read leave in one socket write. */
  cork?(): void;
  uncork?(): void;
}

/** Native events ride beside the parts they decode to, so they neither commit a stream nor count as content. */
function isContent(part: StreamPart): boolean {
  return part.type !== 'stream-start' && part.type !== 'native';
}

/**
 * Relays one upstream stream: bytes from the connection go through the framer and the adapter's decoder into
 * canonical parts. Until the first content part the parts are held, so that an error before it can still fall back
 * to another target; after that the stream is committed and every part goes to the sink as it is decoded, with the
 * client's back-pressure passed upstream. The attempt is recorded once the committed stream ends.
 */
export class StreamRelay implements StreamCallbacks {
  private readonly framer;
  private readonly decoder;
  private readonly head: StreamPart[] = [];
  private sink: StreamSink | undefined;
  private stream: OpenedStream | undefined;
  private commit: { resolve: () => void; reject: (error: GatewayError) => void } | undefined;
  private ended: (() => void) | undefined;
  private state: 'head' | 'committed' | 'abandoned' | 'done' = 'head';
  private usage: Usage | undefined;
  private output = '';
  private failure: GatewayError | undefined;
  private completed = false;
  private ttftMs = 0;
  /** The upstream has ended (possibly before the commit check or the sink were in place). */
  private upstreamEnded = false;
  /** The relay closed the upstream itself, after a part it could not decode. */
  private cutOff = false;
  /** A drain callback is registered and has not fired yet. */
  private awaitingDrain = false;

  constructor(
    private readonly request: ChatRequest,
    private readonly deployment: Deployment,
    private readonly context: ExecutionContext,
    private readonly attempt: { record: AttemptRecord; started: number },
  ) {
    this.framer = createFramer(deployment.adapter.streamFraming);
    this.decoder = deployment.adapter.createStreamDecoder(deployment.upstreamModel);
  }

  /** Resolves once the first content part arrived; rejects with the error that came before it. */
  committed(stream: OpenedStream): Promise<void> {
    this.stream = stream;
    return new Promise((resolve, reject) => {
      this.commit = { resolve, reject };
      if (this.upstreamEnded) this.settleHeadAtEnd();
      else this.checkHead();
    });
  }

  /** Sends the held parts, then every later one, to the sink; resolves when the stream has ended and is recorded. */
  pipe(sink: StreamSink): Promise<void> {
    return new Promise((resolve) => {
      this.ended = resolve;
      this.sink = sink;
      this.deliver(this.head.splice(0));
      if (this.upstreamEnded) this.finish();
    });
  }

  onChunk(chunk: Buffer): boolean {
    if (this.cutOff) return false;
    let parts: StreamPart[];
    try {
      parts = this.decode(this.framer.push(chunk));
    } catch (cause) {
      // A frame that cannot be decoded ends the stream with that error; the connection closing is our doing.
      this.cutOff = true;
      this.deliver([{ type: 'error', error: toGatewayError(cause) }]);
      this.stream?.abort();
      this.finish();
      return false;
    }
    return this.deliver(parts);
  }

  onEnd(): void {
    if (this.cutOff) return;
    this.deliver([...this.decode(this.framer.flush()), ...this.decoder.end()]);
    this.finish();
  }

  onError(cause: Error): void {
    if (this.cutOff) return;
    if (!this.context.signal.aborted) {
      const error = cause instanceof GatewayError ? cause : new GatewayError('upstream_error', `The stream from provider "${this.deployment.provider}" broke off.`, { provider: this.deployment.provider, cause });
      this.deliver([{ type: 'error', error }]);
    }
    this.finish();
  }

  private decode(events: StreamEvent[]): StreamPart[] {
    if (events.length === 0) return [];
    if (events.length === 1) return this.decoder.decode(events[0] as StreamEvent);
    const parts: StreamPart[] = [];
    for (const event of events) parts.push(...this.decoder.decode(event));
    return parts;
  }

  private deliver(parts: StreamPart[]): boolean {
    if (parts.length === 0 || this.state === 'abandoned') return true;
    if (!this.sink) {
      this.head.push(...parts);
      this.checkHead();
      return true;
    }
    let writable = true;
    const batch = parts.length > 1;
    if (batch) this.sink.cork?.();
    for (const part of parts) {
      this.observe(part);
      if (!this.sink.write(part)) writable = false;
    }
    if (batch) this.sink.uncork?.();
    if (!writable && !this.awaitingDrain) {
      this.awaitingDrain = true;
      this.sink.onDrain(() => {
        this.awaitingDrain = false;
        this.stream?.resume();
      });
    }
    return writable;
  }

  /** Before the commit: an error ahead of the first content part fails the attempt; content commits it. */
  private checkHead(): void {
    if (this.state !== 'head' || !this.commit) return;
    const errorAt = this.head.findIndex((part) => part.type === 'error');
    const contentAt = this.head.findIndex((part) => isContent(part) && part.type !== 'error');
    if (errorAt !== -1 && (contentAt === -1 || errorAt < contentAt)) {
      this.state = 'abandoned';
      this.stream?.abort();
      this.commit.reject((this.head[errorAt] as Extract<StreamPart, { type: 'error' }>).error);
    } else if (contentAt !== -1) {
      this.state = 'committed';
      this.ttftMs = performance.now() - this.attempt.started;
      this.commit.resolve();
    }
  }

  private observe(part: StreamPart): void {
    if (part.type === 'usage') this.usage = part.usage;
    else if (part.type === 'text-delta' || part.type === 'reasoning-delta') this.output += part.text;
    else if (part.type === 'tool-call-delta') this.output += part.argumentsDelta;
    else if (part.type === 'error') this.failure = part.error;
    else if (part.type === 'finish') this.completed = true;
  }

  /** Records the committed attempt once, however the stream ended. The upstream may end before the commit check ran. */
  private finish(): void {
    this.upstreamEnded = true;
    if (this.state === 'head') {
      if (this.commit) this.settleHeadAtEnd();
      return;
    }
    if (this.state !== 'committed' || !this.sink) return;
    this.state = 'done';
    const { record, started } = this.attempt;
    const failure = this.failure;
    const status = this.context.signal.aborted ? 499 : failure ? (failure.upstreamStatus ?? failure.status) : this.completed ? 200 : 499;
    finishAttempt(record, this.deployment, { status, usage: usageOrEstimate(this.usage, this.request, this.output), ttftMs: this.ttftMs, ...(failure ? { error: failure } : {}) }, started);
    this.context.attempts.push(record);
    if (status !== 499) this.context.health?.recordAttempt(this.deployment.model, { success: !failure, countsAgainstHealth: failure?.retryable ?? false, latencyMs: this.ttftMs, ...(failure ? { error: failure.code } : {}) });
    this.ended?.();
  }

  /** The upstream ended while no content had come: commit what did come, or fail the attempt. */
  private settleHeadAtEnd(): void {
    this.checkHead();
    if (this.state === 'head') {
      this.state = 'abandoned';
      this.commit?.reject(new GatewayError('upstream_error', `Provider "${this.deployment.provider}" closed the stream before sending anything.`, { provider: this.deployment.provider }));
    }
  }
}
