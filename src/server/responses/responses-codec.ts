import type { ChatRequest } from '../../core/canonical.js';
import type { ChatCodec } from '../chat-pipeline.js';
import type { Json } from '../openai/field-reader.js';
import { emptyHistory, type ResponsesHistory } from './decode-responses-input.js';
import { decodeResponsesRequest } from './decode-responses-request.js';
import { encodeResponsesResponse } from './encode-responses-response.js';
import { ResponsesStreamEncoder } from './encode-responses-stream.js';

const echoed = ['instructions', 'tools', 'tool_choice', 'parallel_tool_calls', 'temperature', 'top_p', 'text', 'reasoning', 'max_output_tokens', 'previous_response_id', 'store', 'metadata', 'user'] as const;
const defaults: Json = { instructions: null, tools: [], tool_choice: 'auto', parallel_tool_calls: true, temperature: null, top_p: null, text: { format: { type: 'text' } }, reasoning: null, max_output_tokens: null, previous_response_id: null, store: true, metadata: {}, user: null };

/** The request fields a Responses object echoes, from the body the client sent (defaults where it left them out). */
export function responsesEcho(body: unknown): Json {
  const sent = typeof body === 'object' && body !== null ? (body as Json) : {};
  const echo: Json = {};
  for (const field of echoed) echo[field] = sent[field] ?? defaults[field];
  return echo;
}

function echoOf(request: ChatRequest): Json {
  return responsesEcho(request.native?.format === 'openai-responses' ? request.native.body : undefined);
}

/**
 * Decodes a `POST /v1/responses` body for the chat pipeline; its input continues `history`, the stored conversation
 * its `previous_response_id` names (loaded by the caller). Built-in tools (web_search, file_search, mcp, namespaces,
 * ...) stay in the client's native body, which an OpenAI Responses-API provider receives as sent; every other provider
 * is sent the function tools only, since it cannot run the built-in ones (agents such as Codex CLI always offer
 * web_search, and would otherwise fail on every such provider). Forcing a built-in tool through `tool_choice` is refused
 * by the decoder.
 */
export function decodeResponsesIngress(body: unknown, history: ResponsesHistory = emptyHistory): ChatRequest {
  return decodeResponsesRequest(body, history).request;
}

export const responsesCodec: ChatCodec = {
  dialect: 'openai',
  encodeResponse: (response, usage, requestId, model, request) =>
    encodeResponsesResponse({ ...response, usage, model }, `resp_${requestId}`, response.created || Math.floor(Date.now() / 1000), request ? echoOf(request) : responsesEcho(undefined)),
  createStreamEncoder: (requestId, model, request) => new ResponsesStreamEncoder(`resp_${requestId}`, model, Math.floor(Date.now() / 1000), echoOf(request)),
};
