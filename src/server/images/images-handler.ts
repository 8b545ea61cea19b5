import type { IncomingMessage, ServerResponse } from 'node:http';
import { toGatewayError } from '../../core/errors.js';
import type { ExecutionContext } from '../../routing/attempt-loop.js';
import { assertModelAllowed, type Principal } from '../auth/key-service.js';
import { writeError } from '../error-envelope.js';
import type { Gateway } from '../gateway.js';
import { customerOf, readJsonBody, sendJson } from '../http-body.js';
import { newRequestRecord, settleRequestRecord } from '../request-record.js';
import type { Reservation } from '../../limits/budget-service.js';
import { decodeImageRequest } from './decode-image-request.js';
import { encodeImageResponse } from './encode-image-response.js';
import { executeImages } from './images-pipeline.js';

interface ImageCall {
  requestId: string;
  startedAtMs: number;
}

/** POST /v1/images/generations: OpenAI's images.generate, recorded in the ledger as endpoint `images`. */
export async function runImages(gateway: Gateway, http: { request: IncomingMessage; response: ServerResponse }, principal: Principal, call: ImageCall): Promise<void> {
  const { request, response } = http;
  const image = decodeImageRequest(await readJsonBody(request, gateway.config.server.bodyLimitBytes));
  const record = newRequestRecord({ id: call.requestId, endpoint: 'images', principal, customer: customerOf(request, image.user), requestedModel: image.model, stream: false }, gateway.catalog.version);
  const abort = new AbortController();
  response.on('close', () => {
    if (!response.writableFinished) abort.abort();
  });
  const context: ExecutionContext = { attempts: [], signal: abort.signal, health: gateway.health, label: image.model };
  let status = 200;
  let reservation: Reservation | undefined;
  let errorCode: string | null = null;
  try {
    assertModelAllowed(principal, image.model);
    const resolution = gateway.registry.resolve(image.model);
    record.route = resolution.route ?? null;
    if (resolution.routeConfig) {
      context.retry = resolution.routeConfig.retry;
      context.maxAttempts = resolution.routeConfig.maxAttempts;
    }
    const admission = await gateway.spend.admit({ principal, customer: record.customer, model: image.model, inputTokens: Math.ceil(image.prompt.length / 4), maxTokens: 0, images: image.n, targets: resolution.deployments });
    reservation = admission.reservation;
    const outcome = await executeImages(image, resolution.deployments, context);
    sendJson(response, 200, encodeImageResponse(outcome.result));
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
