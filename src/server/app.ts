import type { IncomingMessage, ServerResponse } from 'node:http';
import { GatewayError, toGatewayError } from '../core/errors.js';
import { newRequestId } from '../core/request-id.js';
import { handleAdmin } from './admin/admin-routes.js';
import { consoleFiles, isConsolePath } from './console-static.js';
import { authorizeAdmin } from './admin/admin-permissions.js';
import type { Principal } from './auth/key-service.js';
import { runChat, type ChatCodec } from './chat-pipeline.js';
import { runEmbeddings } from './embeddings-handler.js';
import { runImages } from './images/images-handler.js';
import { writeError, type ErrorDialect } from './error-envelope.js';
import type { Gateway } from './gateway.js';
import { customerOf, readJsonBody, sendJson } from './http-body.js';
import { authenticateRequest } from './auth/request-access.js';
import { ownUsage } from './own-usage.js';
import { countMessageTokens } from './anthropic/count-tokens.js';
import { anthropicMessagesCodec } from './anthropic/anthropic-messages-codec.js';
import { decodeMessagesRequest } from './anthropic/decode-messages-request.js';
import { decodeChatRequest } from './openai/decode-chat-request.js';
import { openAiChatCodec } from './openai/openai-chat-codec.js';
import { runResponses } from './responses/responses-handler.js';
import { handleStoredResponse } from './responses/stored-responses-routes.js';
import type { ChatRequest } from '../core/canonical.js';
import { handleFeedback } from '../quality/feedback-handler.js';

/** An ingress that speaks chat: how to decode its body and encode its answers. */
export interface ChatIngress {
  decode(body: unknown, headers?: IncomingMessage['headers']): ChatRequest;
  codec: ChatCodec;
}

const chatIngresses = new Map<string, ChatIngress>([
  ['/v1/chat/completions', { decode: decodeChatRequest, codec: openAiChatCodec }],
  ['/v1/messages', { decode: decodeMessagesRequest, codec: anthropicMessagesCodec }],
]);

async function handleChat(gateway: Gateway, ingress: ChatIngress, request: IncomingMessage, response: ServerResponse, principal: Principal, requestId: string, startedAtMs: number) {
  if (!gateway.ledger.hasRoom()) throw new GatewayError('gateway_overloaded', 'The gateway is catching up on accounting writes; retry in a moment.', { retryAfterMs: 1000 });
  const chat = ingress.decode(await readJsonBody(request, gateway.config.server.bodyLimitBytes), request.headers);
  const endpoint = ingress.codec.dialect === 'anthropic' ? 'messages' : 'chat';
  await runChat(gateway, { request: chat, principal, requestId, customer: customerOf(request, chat.user), endpoint, startedAtMs }, { request, response }, ingress.codec);
}

function listModels(gateway: Gateway, response: ServerResponse, principal: Principal, anthropicShape: boolean): void {
  const { models, routes } = gateway.registry.names();
  const allowed = principal.key?.models;
  const created = Math.floor(Date.now() / 1000);
  const data = [
    ...models.map((id) => ({ id, object: 'model', created, owned_by: gateway.registry.deployment(id)?.provider ?? 'switchyard' })),
    ...routes.map((id) => ({ id, object: 'model', created, owned_by: 'switchyard-route' })),
  ].filter((model) => !allowed || allowed.includes(model.id));
  if (anthropicShape) {
    // Anthropic's list models shape, for clients that send anthropic-version: https://docs.anthropic.com/en/api/models-list
    const createdAt = new Date(created * 1000).toISOString();
    const listed = data.map((model) => ({ type: 'model', id: model.id, display_name: model.id, created_at: createdAt }));
    sendJson(response, 200, { data: listed, has_more: false, first_id: listed[0]?.id ?? null, last_id: listed.at(-1)?.id ?? null });
    return;
  }
  sendJson(response, 200, { object: 'list', data });
}

/** The request handler of the whole gateway. */
export function createRequestHandler(gateway: Gateway) {
  const consoleAssets = consoleFiles();
  return async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const startedAtMs = performance.now();
    const requestId = newRequestId();
    const url = request.url ?? '/';
    const path = url.indexOf('?') === -1 ? url : url.slice(0, url.indexOf('?'));
    const dialect: ErrorDialect = path === '/v1/messages' || path === '/v1/messages/count_tokens' ? 'anthropic' : 'openai';
    response.setHeader('x-request-id', requestId);
    try {
      if (path === '/health' || path === '/healthz') {
        sendJson(response, 200, { status: 'ok' });
        return;
      }
      // The console's files are public; every figure it shows comes from the admin API with the key signed in.
      if ((request.method === 'GET' || request.method === 'HEAD') && isConsolePath(path)) {
        await consoleAssets.serve(request, response, path);
        return;
      }
      const { principal, address } = await authenticateRequest(gateway, request);
      if (path === '/v1/responses') {
        if (request.method !== 'POST') throw new GatewayError('invalid_request', `Use POST for ${path}.`);
        await runResponses(gateway, { request, response }, principal, { requestId, startedAtMs });
        return;
      }
      if (path.startsWith('/v1/responses/')) {
        await handleStoredResponse(gateway, { method: request.method, url: new URL(url, 'http://localhost') }, response, principal);
        return;
      }
      const ingress = chatIngresses.get(path);
      if (ingress) {
        if (request.method !== 'POST') throw new GatewayError('invalid_request', `Use POST for ${path}.`);
        await handleChat(gateway, ingress, request, response, principal, requestId, startedAtMs);
        return;
      }
      if (path === '/v1/messages/count_tokens' && request.method === 'POST') {
        await countMessageTokens(gateway, { request, response }, principal);
        return;
      }
      if (path === '/v1/embeddings' && request.method === 'POST') {
        await runEmbeddings(gateway, { request, response }, principal, { requestId, startedAtMs });
        return;
      }
      if (path === '/v1/images/generations' && request.method === 'POST') {
        await runImages(gateway, { request, response }, principal, { requestId, startedAtMs });
        return;
      }
      if (path === '/v1/feedback' && request.method === 'POST') {
        await handleFeedback(gateway, { request, response }, principal);
        return;
      }
      if (path === '/v1/usage' && request.method === 'GET') {
        await ownUsage(gateway, new URL(url, 'http://localhost'), principal, response);
        return;
      }
      if (path === '/v1/models' && request.method === 'GET') {
        listModels(gateway, response, principal, request.headers['anthropic-version'] !== undefined);
        return;
      }
      if (path.startsWith('/admin/')) {
        const admin = authorizeAdmin(principal, request.method ?? 'GET', path);
        await handleAdmin(gateway, request, response, { url: new URL(url, 'http://localhost'), principal: admin, address });
        return;
      }
      throw new GatewayError('not_found', `No endpoint ${request.method} ${path}. See GET /v1/models, POST /v1/chat/completions, POST /v1/messages, POST /v1/embeddings, POST /v1/images/generations.`);
    } catch (caught) {
      const error = toGatewayError(caught);
      if (error.code === 'internal_error') gateway.logger.error('request failed', { requestId, path, error: error.cause ?? error });
      writeError(response, error, dialect, requestId);
    }
  };
}
