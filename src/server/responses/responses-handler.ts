import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ReasoningPart, ToolCall } from '../../core/canonical.js';
import { GatewayError } from '../../core/errors.js';
import type { Principal } from '../auth/key-service.js';
import { runChat, type ChatCodec, type ChatStreamEncoder } from '../chat-pipeline.js';
import type { Gateway } from '../gateway.js';
import { customerOf, readJsonBody } from '../http-body.js';
import { optionalBoolean, optionalString, requireObject, type Json } from '../openai/field-reader.js';
import { emptyHistory } from './decode-responses-input.js';
import { ownerOf } from './response-storage.js';
import { decodeResponsesRequest } from './decode-responses-request.js';
import { responsesCodec } from './responses-codec.js';
import { carryOf, normaliseInputItems } from './stored-items.js';

/** A finished answer as the client received it, with the canonical parts behind its output items. */
interface Finished {
  response: Json;
  reasoningParts: ReasoningPart[];
  toolCalls: ToolCall[];
}

/** The Responses codec, noting the response object it wrote last (for a stream, the one of its final event). */
function capturing(base: ChatCodec): { codec: ChatCodec; finished: () => Finished | undefined } {
  let finished: Finished | undefined;
  const codec: ChatCodec = {
    dialect: base.dialect,
    encodeResponse(response, usage, requestId, model, request) {
      const body = base.encodeResponse(response, usage, requestId, model, request) as Json;
      finished = { response: body, reasoningParts: response.reasoningParts ?? [], toolCalls: response.toolCalls };
      return body;
    },
    createStreamEncoder(requestId, model, request) {
      const encoder = base.createStreamEncoder(requestId, model, request) as ChatStreamEncoder & { finished?: Finished };
      return {
        ...(encoder.open ? { open: () => encoder.open!() } : {}),
        encode: (part) => encoder.encode(part),
        close(usage) {
          const text = encoder.close(usage);
          finished = encoder.finished;
          return text;
        },
      };
    },
  };
  return { codec, finished: () => finished };
}

/** `POST /v1/responses`: loads the stored conversation of `previous_response_id`, answers, then stores the answer. */
export async function runResponses(gateway: Gateway, http: { request: IncomingMessage; response: ServerResponse }, principal: Principal, call: { requestId: string; startedAtMs: number }): Promise<void> {
  if (!gateway.ledger.hasRoom()) throw new GatewayError('gateway_overloaded', 'The gateway is catching up on accounting writes; retry in a moment.', { retryAfterMs: 1000 });
  const body = requireObject(await readJsonBody(http.request, gateway.config.server), 'body');
  const previousId = optionalString(body.previous_response_id, 'previous_response_id') ?? null;
  const owner = ownerOf(principal);
  const history = previousId === null ? emptyHistory : await gateway.responses.history(previousId, owner);
  const chat = decodeResponsesRequest(body, history);
  const store = (optionalBoolean(body.store, 'store') ?? true) && gateway.responses.enabled;
  const capture = capturing(responsesCodec);
  await runChat(gateway, { request: chat, principal, requestId: call.requestId, customer: customerOf(http.request, chat.user), endpoint: 'responses', startedAtMs: call.startedAtMs }, http, capture.codec);
  const finished = capture.finished();
  if (!store || !finished || finished.response.status === 'failed' || typeof finished.response.id !== 'string') return;
  const id = finished.response.id;
  const write = gateway.responses.keep({
    id, owner, previousResponseId: previousId, createdAt: Date.now(), response: finished.response,
    inputItems: normaliseInputItems(body.input, id), carry: carryOf(finished.response, finished.reasoningParts, finished.toolCalls),
  });
  gateway.background.add(write);
  void write.finally(() => gateway.background.delete(write));
}
