import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Deployment } from '../core/deployment.js';
import { toGatewayError } from '../core/errors.js';
import type { RequestRecord } from '../ledger/ledger-record.js';
import type { Reservation } from '../limits/budget-service.js';
import type { ExecutionContext } from '../routing/attempt-loop.js';
import { assertModelAllowed, type Principal } from './auth/key-service.js';
import { writeError } from './error-envelope.js';
import type { Gateway } from './gateway.js';
import { customerOf, sendJson } from './http-body.js';
import { newRequestRecord, settleRequestRecord } from './request-record.js';
import { parseRequestTags, tagsHeader } from '../quality/capture-tags.js';
import { traceRequest } from '../observability/request-trace.js';

/** One non-chat request (embeddings, images): what it asks for and how to run it on the resolved targets. */
export interface AccountedWork {
  endpoint: RequestRecord['endpoint'];
  model: string;
  user: string | undefined;
  /** What admission control reserves for: an input estimate, output cap and images. */
  spend: { inputTokens: number; maxTokens: number; images?: number };
  /** Runs the request and returns the JSON body for the client. */
  execute(targets: Deployment[], context: ExecutionContext): Promise<unknown>;
}

export interface AccountedCall {
  requestId: string;
  startedAtMs: number;
}

/**
 * Resolves the model, applies the route's retry policy and admission control, runs the work, answers in
 * OpenAI's format, and writes exactly one ledger record whatever happens.
 */
export async function runAccounted(gateway: Gateway, http: { request: IncomingMessage; response: ServerResponse }, principal: Principal, call: AccountedCall, work: AccountedWork): Promise<void> {
  const { request, response } = http;
  const record = newRequestRecord({ id: call.requestId, endpoint: work.endpoint, principal, customer: customerOf(request, work.user), requestedModel: work.model, stream: false }, gateway.catalog.version);
  const trace = traceRequest(gateway.tracing, { requestId: call.requestId, endpoint: work.endpoint, model: work.model, startedAtMs: call.startedAtMs, headers: request.headers });
  const context: ExecutionContext = { attempts: [], signal: new AbortController().signal, health: gateway.health, label: work.model, trace };
  let status = 200;
  let errorCode: string | null = null;
  let reservation: Reservation | undefined;
  try {
    const tags = parseRequestTags(request.headers[tagsHeader]);
    if (tags) record.tags = tags;
    assertModelAllowed(principal, work.model);
    const resolution = gateway.registry.resolve(work.model);
    record.route = resolution.route ?? null;
    if (resolution.routeConfig) {
      context.retry = resolution.routeConfig.retry;
      context.maxAttempts = resolution.routeConfig.maxAttempts;
    }
    const admission = await gateway.spend.admit({ principal, customer: record.customer, model: work.model, ...work.spend, targets: resolution.deployments });
    reservation = admission.reservation;
    for (const [name, value] of Object.entries(admission.headers)) response.setHeader(name, value);
    sendJson(response, 200, await work.execute(resolution.deployments, context));
  } catch (caught) {
    const error = toGatewayError(caught);
    if (error.code === 'internal_error') gateway.logger.error('request failed', { requestId: call.requestId, error: error.cause ?? error });
    status = error.status;
    errorCode = error.code;
    writeError(response, error, 'openai', call.requestId);
  } finally {
    settleRequestRecord(record, context.attempts, status, errorCode, call.startedAtMs);
    reservation?.settle(record.costUsd).catch((error: unknown) => gateway.logger.error('budget settlement failed', { requestId: call.requestId, error }));
    gateway.ledger.enqueue(record);
  }
}
