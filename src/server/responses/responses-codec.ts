import type { ChatRequest } from '../../core/canonical.js';
import type { ChatCodec } from '../chat-pipeline.js';
import type { Json } from '../openai/field-reader.js';
import { encodeResponsesResponse } from './encode-responses-response.js';
import { ResponsesStreamEncoder } from './encode-responses-stream.js';

/** The request fields a Responses object echoes back, in the order OpenAI lists them. */
export interface ResponsesEcho {
  instructions: unknown;
  tools: unknown;
  tool_choice: unknown;
  parallel_tool_calls: unknown;
  temperature: unknown;
  top_p: unknown;
  text: unknown;
  reasoning: unknown;
  max_output_tokens: unknown;
  previous_response_id: unknown;
  store: unknown;
  metadata: unknown;
  user: unknown;
}

/**
 * The request fields a Responses object echoes, from the body the client sent (defaults where it left them out). One
 * object literal of a fixed shape, so that V8 keeps it (and the response built from it) on its fast paths.
 */
export function responsesEcho(body: unknown): ResponsesEcho {
  const sent = typeof body === 'object' && body !== null ? (body as Json) : {};
  return {
    instructions: sent.instructions ?? null,
    tools: sent.tools ?? [],
    tool_choice: sent.tool_choice ?? 'auto',
    parallel_tool_calls: sent.parallel_tool_calls ?? true,
    temperature: sent.temperature ?? null,
    top_p: sent.top_p ?? null,
    text: sent.text ?? { format: { type: 'text' } },
    reasoning: sent.reasoning ?? null,
    max_output_tokens: sent.max_output_tokens ?? null,
    previous_response_id: sent.previous_response_id ?? null,
    store: sent.store ?? true,
    metadata: sent.metadata ?? {},
    user: sent.user ?? null,
  };
}

function echoOf(request: ChatRequest): ResponsesEcho {
  return responsesEcho(request.native?.format === 'openai-responses' ? request.native.body : undefined);
}

export const responsesCodec: ChatCodec = {
  dialect: 'openai',
  encodeResponse: (response, usage, requestId, model, request) =>
    encodeResponsesResponse(response, `resp_${requestId}`, response.created || Math.floor(Date.now() / 1000), request ? echoOf(request) : responsesEcho(undefined), { usage, model }),
  createStreamEncoder: (requestId, model, request) => new ResponsesStreamEncoder(`resp_${requestId}`, model, Math.floor(Date.now() / 1000), echoOf(request)),
};
