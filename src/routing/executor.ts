import type { ChatRequest, ChatResponse, Usage } from '../core/canonical.js';
import type { Deployment } from '../core/deployment.js';
import { GatewayError } from '../core/errors.js';
import { sendUpstreamBuffered } from '../providers/shared/http-client.js';
import { assertRequestFitsDeployment } from '../providers/openai/openai-fields-fit.js';
import { openUpstreamStream } from '../providers/shared/upstream-stream.js';
import { StreamRelay, type StreamSink } from './stream-relay.js';
import { runAttempts, withTraceHeaders, type ExecutionContext } from './attempt-loop.js';
import { finishAttempt, usageOrEstimate } from './attempt-record.js';

export type { ExecutionContext } from './attempt-loop.js';

export interface ChatOutcome {
  deployment: Deployment;
  response: ChatResponse;
  usage: Usage;
}

export interface ChatOptions {
  /** The request to send to a deployment (privacy policies redact for some). Defaults to the request itself. */
  requestFor?: (deployment: Deployment) => ChatRequest;
  /** A cascade's check: returns why an answer is not good enough, or undefined to accept it. */
  check?: (response: ChatResponse) => string | undefined;
}

/** Runs a non-streamed chat request through the attempt loop (retries, fallbacks, circuit breakers, cascade checks). */
export function executeChat(request: ChatRequest, targets: Deployment[], context: ExecutionContext, options: ChatOptions = {}): Promise<ChatOutcome> {
  return runAttempts<ChatOutcome>(targets, context, async (deployment, record, started) => {
    const sent = options.requestFor ? options.requestFor(deployment) : request;
    assertRequestFitsDeployment(sent, deployment);
    const upstream = withTraceHeaders(await deployment.adapter.buildChatRequest(sent, deployment.upstreamModel, deployment.endpoint), context);
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

export interface StreamOutcome {
  deployment: Deployment;
  /** Sends every part, from those read before the commit on, to the sink; resolves once the attempt is recorded. */
  pipe(sink: StreamSink): Promise<void>;
}

/**
 * Opens a stream, trying attempts until one produces its first content part. After that the stream is committed:
 * a later failure ends it with an error part, never a fallback or a fake finish.
 */
export function executeStream(request: ChatRequest, targets: Deployment[], context: ExecutionContext, options: ChatOptions = {}): Promise<StreamOutcome> {
  return runAttempts<StreamOutcome>(targets, context, async (deployment, record, started) => {
    const sent = options.requestFor ? options.requestFor(deployment) : request;
    assertRequestFitsDeployment(sent, deployment);
    const upstream = withTraceHeaders(await deployment.adapter.buildChatRequest(sent, deployment.upstreamModel, deployment.endpoint), context);
    const relay = new StreamRelay(sent, deployment, context, { record, started });
    const stream = await openUpstreamStream(upstream, { provider: deployment.provider, timeouts: deployment.timeouts, signal: context.signal }, relay);
    if (stream.errorBody !== undefined) {
      throw deployment.adapter.classifyError({ status: stream.status, headers: stream.headers, body: stream.errorBody }, deployment.endpoint);
    }
    await relay.committed(stream);
    return { kind: 'done', value: { deployment, pipe: (sink) => relay.pipe(sink) } };
  });
}
