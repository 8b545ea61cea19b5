import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ChatRequest, ChatResponse, StreamPart, Usage } from '../core/canonical.js';
import { toGatewayError } from '../core/errors.js';
import { usageOfCounts, type AttemptRecord } from '../ledger/ledger-record.js';
import { executeChat, executeStream, type ExecutionContext } from '../routing/executor.js';
import { planRoute, type RoutePlan } from '../routing/plan-route.js';
import { assertModelAllowed, type Principal } from './auth/key-service.js';
import { writeError, type ErrorDialect } from './error-envelope.js';
import type { Gateway } from './gateway.js';
import { newRequestRecord, settleRequestRecord } from './request-record.js';
import { runShadow } from './shadow-request.js';
import { routeScoreHeader, routerRecordOf } from './router-record.js';
import { chatSpendSubject, type Admission } from './spend-control.js';
import { targetsForServerTools } from './anthropic/server-tools.js';
import { lookupCached, serveCached, StreamCollector } from './cached-answer.js';
import type { CachedAnswer } from '../cache/cache-store.js';
import type { CachePlan } from '../cache/response-cache.js';
import { RequestCapture } from '../quality/capture-hook.js';
import { parseRequestTags, tagsHeader } from '../quality/capture-tags.js';
import { traceRequest } from '../observability/request-trace.js';

/** How an ingress writes answers in its own wire format. */
export interface ChatCodec {
  dialect: ErrorDialect;
  encodeResponse(response: ChatResponse, usage: Usage, requestId: string, model: string, request?: ChatRequest): unknown;
  createStreamEncoder(requestId: string, model: string, request: ChatRequest): ChatStreamEncoder;
}

export interface ChatStreamEncoder {
  /** Text to write before any part (Anthropic's message_start needs nothing from upstream). */
  open?(): string;
  encode(part: StreamPart): string;
  close(usage: Usage | undefined): string;
}

export interface ChatCall {
  request: ChatRequest;
  principal: Principal;
  requestId: string;
  customer: string | null;
  endpoint: 'chat' | 'messages' | 'responses';
  startedAtMs: number;
}

const neverAborted = new AbortController().signal;

const streamHeaders = { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache', connection: 'keep-alive', 'x-accel-buffering': 'no' };

function plan(gateway: Gateway, call: ChatCall, headers: IncomingMessage['headers']): RoutePlan {
  const key = call.principal.key;
  return planRoute({
    registry: gateway.registry,
    stats: gateway.health,
    request: call.request,
    subject: { tags: key?.tags ?? {}, customer: call.customer, team: key?.team ?? null, headers },
    keyPrivacy: key?.tags.privacy === 'private-only' ? 'private-only' : 'off',
    ...(gateway.routers ? { routers: gateway.routers } : {}),
  });
}

/** Resolves, routes, executes and accounts one chat request, then writes it with the ingress's codec. */
export async function runChat(gateway: Gateway, call: ChatCall, http: { request: IncomingMessage; response: ServerResponse }, codec: ChatCodec): Promise<void> {
  const { request, requestId } = call;
  const record = newRequestRecord({ id: requestId, endpoint: call.endpoint, principal: call.principal, customer: call.customer, requestedModel: request.model, stream: request.stream }, gateway.catalog.version);
  // A stream is cut upstream when its client goes away. A plain request runs to its end (bounded by the timeouts):
  // the provider bills it either way, so the ledger records what it cost.
  const abort = request.stream ? new AbortController() : undefined;
  const onClose = () => {
    if (!http.response.writableFinished) abort?.abort();
  };
  if (abort) http.response.on('close', onClose);
  const trace = traceRequest(gateway.tracing, { requestId, endpoint: call.endpoint, model: request.model, startedAtMs: call.startedAtMs, headers: http.request.headers, chat: request });
  const context: ExecutionContext = { attempts: [], signal: abort?.signal ?? neverAborted, health: gateway.health, label: request.model, trace };
  let status = 200;
  let errorCode: string | null = null;
  let routePlan: RoutePlan | undefined;
  let cachePlan: CachePlan | undefined;
  let cached: CachedAnswer | undefined;
  let admission: Admission | undefined;
  let capture: RequestCapture | undefined;
  try {
    const tags = parseRequestTags(http.request.headers[tagsHeader]);
    if (tags) record.tags = tags;
    assertModelAllowed(call.principal, request.model);
    routePlan = plan(gateway, call, http.request.headers);
    record.route = routePlan.route ?? null;
    capture = RequestCapture.decide(gateway.config, { routeConfig: routePlan.routeConfig, requestedModel: request.model, keyTags: call.principal.key?.tags ?? {} });
    if (routePlan.routeConfig?.promptCache === 'auto' || gateway.config.models[request.model]?.promptCache === 'auto') request.promptCache = 'auto';
    routePlan = { ...routePlan, targets: targetsForServerTools(request, routePlan.targets) };
    if (routePlan.routeConfig) {
      context.retry = routePlan.routeConfig.retry;
      context.maxAttempts = routePlan.routeConfig.maxAttempts;
    }
    if (routePlan.router) http.response.setHeader('x-switchyard-route-score', routeScoreHeader(routePlan.router.decision));
    if (routePlan.privacyFound.length > 0) http.response.setHeader('x-switchyard-privacy', routePlan.privacyFound.join(','));
    admission = await gateway.spend.admit(chatSpendSubject(request, call.principal, call.customer, routePlan.targets));
    for (const [name, value] of Object.entries(admission.headers)) http.response.setHeader(name, value);
    const cacheHeader = http.request.headers['x-switchyard-cache'];
    cachePlan = gateway.cache.plan({ request, scope: routePlan.route ?? request.model, routeSettings: routePlan.routeConfig?.cache, header: typeof cacheHeader === 'string' ? cacheHeader : undefined, keyTag: call.principal.key?.tags.cache });
    if (cachePlan) {
      cached = await lookupCached(gateway, cachePlan, request, context);
      if (cached) {
        serveCached(cached, request, { response: http.response, codec, requestId }, record);
        capture?.answered(cached.response, cached.usage);
        return;
      }
    }
    status = await serveUpstream(request, routePlan, context, { response: http.response, codec, requestId, save: cachePlan ? saveTo(gateway, cachePlan, context) : undefined, capture });
  } catch (caught) {
    const error = toGatewayError(caught);
    if (error.code === 'internal_error') gateway.logger.error('request failed', { requestId, error: error.cause ?? error });
    status = context.signal.aborted || (!request.stream && http.response.destroyed) ? 499 : error.status;
    errorCode = error.code;
    writeError(http.response, error, codec.dialect, requestId);
  } finally {
    if (abort) http.response.off('close', onClose);
    settleRequestRecord(record, context.attempts, status, errorCode, call.startedAtMs);
    if (routePlan?.router) record.router = routerRecordOf(routePlan.router, record);
    if (cached) {
      record.provider = cached.provider;
      record.upstreamModel = cached.upstreamModel;
      record.ttftMs = null;
    }
    admission?.reservation?.settle(record.costUsd).catch((error: unknown) => gateway.logger.error('budget settlement failed', { requestId, error }));
    if (routePlan?.shadow && status === 200) runShadow(gateway, record, routePlan, request);
    else gateway.ledger.enqueue(record);
    capture?.finish(gateway.capture, record, request);
  }
}

interface UpstreamTarget {
  response: ServerResponse;
  codec: ChatCodec;
  requestId: string;
  save: SaveAnswer | undefined;
  capture: RequestCapture | undefined;
}

/** Runs the request on the route's targets and writes the answer, streamed or whole. Returns the status to record. */
async function serveUpstream(request: ChatRequest, routePlan: RoutePlan, context: ExecutionContext, target: UpstreamTarget): Promise<number> {
  const { response, codec, requestId, save, capture } = target;
  const options = { ...(routePlan.requestFor ? { requestFor: routePlan.requestFor } : {}), ...(routePlan.check ? { check: routePlan.check } : {}) };
  if (request.stream) {
    const collector = save || capture ? new StreamCollector() : undefined;
    const status = await streamChat(request, routePlan.targets, context, { response, codec, requestId, options, save, collector });
    if (status === 200) capture?.answered(collector?.response(), collector?.usage);
    return status;
  }
  const outcome = await executeChat(request, routePlan.targets, context, options);
  context.trace?.answered(outcome.response);
  const body = JSON.stringify(codec.encodeResponse(outcome.response, outcome.usage, requestId, request.model, request));
  // The client left while the provider worked: the answer was bought but never delivered.
  const status = response.destroyed ? 499 : 200;
  response.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), ...(save ? { 'x-switchyard-cache': 'miss' } : {}) });
  response.end(body);
  save?.(outcome.response, outcome.usage);
  capture?.answered(outcome.response, outcome.usage);
  return status;
}

interface StreamTarget {
  response: ServerResponse;
  codec: ChatCodec;
  requestId: string;
  options: Parameters<typeof executeStream>[3];
  save: SaveAnswer | undefined;
  /** Assembles the answer from the parts, for the cache and for capture. */
  collector: StreamCollector | undefined;
}

type SaveAnswer = (response: ChatResponse, usage: Usage) => void;

/** Stores a served answer with the cost of the attempt that produced it; cache trouble never fails the request. */
function saveTo(gateway: Gateway, plan: CachePlan, context: ExecutionContext): SaveAnswer {
  return (response, usage) => {
    const served = context.attempts[context.attempts.length - 1];
    if (!served || served.status !== 200) return;
    const answer: CachedAnswer = { response, usage, costUsd: served.costUsd, provider: served.provider, upstreamModel: served.upstreamModel, storedAt: Date.now() };
    gateway.cache.save(plan, answer).catch((error: unknown) => gateway.logger.warn('cache write failed', { error }));
  };
}

/** Writes a stream part by part as it arrives. Returns the status to record. */
async function streamChat(request: ChatRequest, targets: Parameters<typeof executeStream>[1], context: ExecutionContext, target: StreamTarget): Promise<number> {
  const { response, codec, requestId } = target;
  const outcome = await executeStream(request, targets, context, target.options);
  const encoder = codec.createStreamEncoder(requestId, request.model, request);
  // The head, the opening and the parts held until the commit leave in one write.
  response.cork();
  response.writeHead(200, { ...streamHeaders, ...(target.save ? { 'x-switchyard-cache': 'miss' } : {}) });
  if (encoder.open) response.write(encoder.open());
  let usage: Usage | undefined;
  let failed = false;
  const { collector } = target;
  const piped = outcome.pipe({
    write(part) {
      if (context.signal.aborted) return true;
      collector?.observe(part);
      context.trace?.part(part);
      if (part.type === 'usage') usage = part.usage;
      if (part.type === 'error') failed = true;
      const text = encoder.encode(part);
      return text ? response.write(text) : true;
    },
    onDrain(resume) {
      response.once('drain', resume);
    },
    cork: () => response.cork(),
    uncork: () => response.uncork(),
  });
  response.uncork();
  await piped;
  if (context.signal.aborted) return 499;
  const finalUsage = usage ?? settledUsage(context.attempts[context.attempts.length - 1]);
  response.end(failed ? undefined : encoder.close(finalUsage));
  const collected = target.save ? collector?.response() : undefined;
  if (!failed && collected && finalUsage) target.save?.(collected, finalUsage);
  if (collector && finalUsage) collector.usage = finalUsage;
  return failed ? 502 : 200;
}

/** The usage the ledger settled on (estimated when the provider sent none), for clients that asked for it. */
function settledUsage(attempt: AttemptRecord | undefined): Usage | undefined {
  return attempt ? usageOfCounts(attempt) : undefined;
}
