import type { IncomingMessage, ServerResponse } from 'node:http';
import { toGatewayError } from '../core/errors.js';
import type { ExecutionContext } from '../routing/executor.js';
import { assertModelAllowed, type Principal } from './auth/key-service.js';
import { executeEmbeddings } from './embeddings-pipeline.js';
import { writeError } from './error-envelope.js';
import type { Gateway } from './gateway.js';
import { customerOf, readJsonBody, sendJson } from './http-body.js';
import { decodeEmbeddingRequest, encodeEmbeddingResponse } from './openai/embeddings.js';
import { newRequestRecord, settleRequestRecord } from './request-record.js';
import type { Reservation } from '../limits/budget-service.js';

interface EmbeddingCall {
  requestId: string;
  startedAtMs: number;
}

export async function runEmbeddings(gateway: Gateway, http: { request: IncomingMessage; response: ServerResponse }, principal: Principal, call: EmbeddingCall): Promise<void> {
  const { request, response } = http;
  const embedding = decodeEmbeddingRequest(await readJsonBody(request, gateway.config.server.bodyLimitBytes));
  const record = newRequestRecord({ id: call.requestId, endpoint: 'embeddings', principal, customer: customerOf(request, embedding.user), requestedModel: embedding.model, stream: false }, gateway.catalog.version);
  const abort = new AbortController();
  request.on('close', () => {
    if (!response.writableFinished) abort.abort();
  });
  const context: ExecutionContext = { attempts: [], signal: abort.signal };
  let status = 200;
  let reservation: Reservation | undefined;
  let errorCode: string | null = null;
  try {
    assertModelAllowed(principal, embedding.model);
    const resolution = gateway.registry.resolve(embedding.model);
    record.route = resolution.route ?? null;
    const admission = await gateway.spend.admit({ principal, customer: record.customer, model: embedding.model, inputTokens: Math.ceil(embedding.input.reduce((sum, text) => sum + text.length, 0) / 4), maxTokens: 0, targets: resolution.deployments });
    reservation = admission.reservation;
    for (const [name, value] of Object.entries(admission.headers)) response.setHeader(name, value);
    const outcome = await executeEmbeddings(embedding, resolution.deployments, context);
    sendJson(response, 200, encodeEmbeddingResponse(outcome.response, embedding, outcome.usage.inputTokens));
  } catch (caught) {
    const error = toGatewayError(caught);
    status = error.status;
    errorCode = error.code;
    writeError(response, error, 'openai', call.requestId);
  } finally {
    settleRequestRecord(record, context.attempts, status, errorCode, call.startedAtMs);
    reservation?.settle(record.costUsd).catch((error: unknown) => gateway.logger.error('budget settlement failed', { requestId: call.requestId, error }));
    gateway.ledger.enqueue(record);
  }
}
