import type { ChatRequest } from '../../core/canonical.js';
import type { ChatCodec } from '../chat-pipeline.js';
import type { Json } from '../openai/field-reader.js';
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

export const responsesCodec: ChatCodec = {
  dialect: 'openai',
  encodeResponse: (response, usage, requestId, model, request) =>
    encodeResponsesResponse({ ...response, usage, model }, `resp_${requestId}`, response.created || Math.floor(Date.now() / 1000), request ? echoOf(request) : responsesEcho(undefined)),
  createStreamEncoder: (requestId, model, request) => new ResponsesStreamEncoder(`resp_${requestId}`, model, Math.floor(Date.now() / 1000), echoOf(request)),
};
