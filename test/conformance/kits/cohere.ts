import type { ToolChoice } from '../../../src/core/canonical.js';
import type { ErrorContext } from '../../../src/core/provider.js';
import { answer, embeddingRequest, type UsageCounts } from '../canonical-cases.js';
import type { ErrorClass, JsonBody, JsonModeReadback, RequestReader, WireItem, WireKit } from '../wire-kit.js';
import { bearer, imageFromUrl, jsonError, list, parseJson, record, schemaReadback, sse, text, toolReadback } from './wire-helpers.js';

/** v2 Chat wire format: https://docs.cohere.com/reference/chat and https://docs.cohere.com/reference/chat-stream */

const chatId = '5f0c2e8a-41b7-4d3e-9a6c-c0nformance01';
const toolIds = ['get_weather_p4r1s7kq2m3n', 'get_local_time_t0ky0x8v'] as const;
const apiKey = 'C0nformanceCohereKey0123456789abcdefghijk';

/** `billed_units` is what Cohere invoices and what the adapter reads; `tokens` also counts Cohere's own prompt template. */
function usage(counts: UsageCounts): Record<string, unknown> {
  const value: Record<string, unknown> = {
    billed_units: { input_tokens: counts.input + counts.cacheRead, output_tokens: counts.output },
    tokens: { input_tokens: counts.input + counts.cacheRead + 596, output_tokens: counts.output + 2 },
  };
  if (counts.cacheRead > 0) value.cached_tokens = counts.cacheRead + 512;
  return value;
}

function chat(message: Record<string, unknown>, finishReason: string, counts: UsageCounts): Record<string, unknown> {
  return { id: chatId, message: { role: 'assistant', ...message }, finish_reason: finishReason, usage: usage(counts) };
}

const wireToolCalls = answer.toolCalls.map((call, index) => ({ id: toolIds[index], type: 'function', function: { name: call.name, arguments: JSON.stringify(call.arguments) } }));

/** Cohere names each SSE event after its payload's `type`. */
function events(payloads: Array<Record<string, unknown>>): Uint8Array {
  return sse(payloads.map((data) => ({ event: String(data.type), data })));
}

const messageStart = { id: chatId, type: 'message-start', delta: { message: { role: 'assistant', content: [], tool_plan: '', tool_calls: [], citations: [] } } };

function textBlock(pieces: readonly string[]): Array<Record<string, unknown>> {
  return [
    { type: 'content-start', index: 0, delta: { message: { content: { type: 'text', text: '' } } } },
    ...pieces.map((piece) => ({ type: 'content-delta', index: 0, delta: { message: { content: { text: piece } } } })),
    { type: 'content-end', index: 0 },
  ];
}

function messageEnd(finishReason: string, counts: UsageCounts): Record<string, unknown> {
  return { type: 'message-end', delta: { finish_reason: finishReason, usage: usage(counts) } };
}

function toolStream(): Uint8Array {
  const calls = answer.toolCalls.flatMap((call, index) => [
    { type: 'tool-call-start', index, delta: { message: { tool_calls: { id: toolIds[index], type: 'function', function: { name: call.name, arguments: '' } } } } },
    ...call.fragments.map((fragment) => ({ type: 'tool-call-delta', index, delta: { message: { tool_calls: { function: { arguments: fragment } } } } })),
    { type: 'tool-call-end', index },
  ]);
  const plan = { type: 'tool-plan-delta', delta: { message: { tool_plan: answer.preamble } } };
  return events([messageStart, plan, ...calls, messageEnd('TOOL_CALL', answer.toolUsage)]);
}

/** A generation that fails after it started ends with finish_reason ERROR and the error text. */
function midStreamError(): Uint8Array {
  const failed = { type: 'message-end', delta: { finish_reason: 'ERROR', error: 'An internal error occurred while generating the response.', usage: usage(answer.textUsage) } };
  return events([messageStart, ...textBlock(answer.textDeltas.slice(0, 2)).slice(0, -1), failed]);
}

/** A reasoning model's thinking block before the text (https://docs.cohere.com/docs/reasoning). */
function reasoning(): WireKit['reasoning'] {
  const thinking = [
    { type: 'content-start', index: 0, delta: { message: { content: { type: 'thinking', thinking: '' } } } },
    ...answer.reasoningDeltas.map((piece) => ({ type: 'content-delta', index: 0, delta: { message: { content: { thinking: piece } } } })),
    { type: 'content-end', index: 0 },
  ];
  const text = [
    { type: 'content-start', index: 1, delta: { message: { content: { type: 'text', text: '' } } } },
    ...answer.textDeltas.map((piece) => ({ type: 'content-delta', index: 1, delta: { message: { content: { text: piece } } } })),
    { type: 'content-end', index: 1 },
  ];
  return {
    response: chat({ content: [{ type: 'thinking', thinking: answer.reasoning }, { type: 'text', text: answer.text }] }, 'COMPLETE', answer.reasoningUsage),
    stream: events([messageStart, ...thinking, ...text, messageEnd('COMPLETE', answer.reasoningUsage)]),
    reasoningTokens: 0,
  };
}

function truncated(): WireKit['truncated'] {
  return {
    response: chat({ content: [{ type: 'text', text: answer.truncatedText }] }, 'MAX_TOKENS', answer.truncatedUsage),
    stream: events([messageStart, ...textBlock(answer.truncatedDeltas), messageEnd('MAX_TOKENS', answer.truncatedUsage)]),
  };
}

function cohereError(status: number, message: string): ErrorContext {
  return jsonError(status, { id: '0b7d3f19-c2a4-4e8b-9f61-c0nformance02', message }, { 'x-debug-trace-id': 'c0nformance' });
}

/** https://docs.cohere.com/reference/errors: every non-2xx answer is `{"message": ...}`. */
const errors: Record<ErrorClass, ErrorContext> = {
  'context-length': cohereError(400, 'too many tokens: total number of tokens in the prompt cannot exceed 256000 - received 270113. Try using a shorter prompt, or enabling prompt truncating.'),
  authentication: cohereError(401, `invalid api token ${apiKey}`),
  permission: cohereError(403, 'You do not have access to this model with your current key.'),
  'not-found': cohereError(404, "model 'command-z-99' not found, make sure the correct model ID was used and that you have access to the model."),
  'rate-limited': cohereError(429, 'You are past the per-minute request limit of your Trial key. Please wait and try again later.'),
  'server-error': cohereError(500, 'internal server error, this has been reported to our developers. id 0b7d3f19'),
  overloaded: cohereError(503, 'The service is temporarily unavailable, please try again later.'),
};

function contentItems(role: 'user' | 'assistant', content: unknown): WireItem[] {
  if (typeof content === 'string') return content === '' ? [] : [{ kind: 'text', role, text: content }];
  return list(content).flatMap((value): WireItem[] => {
    const part = record(value);
    if (part.type === 'text') return [{ kind: 'text', role, text: text(part.text) ?? '' }];
    if (part.type === 'image_url') return [{ kind: 'image', ...imageFromUrl(text(record(part.image_url).url) ?? '') }];
    return [];
  });
}

function messageItems(value: unknown): WireItem[] {
  const message = record(value);
  switch (message.role) {
    case 'system':
      return [{ kind: 'system', text: text(message.content) ?? '' }];
    case 'user':
      return contentItems('user', message.content);
    case 'assistant': {
      const plan = text(message.tool_plan);
      const calls = list(message.tool_calls).map((item): WireItem => {
        const fn = record(record(item).function);
        return { kind: 'tool-call', id: text(record(item).id), name: text(fn.name) ?? '', arguments: parseJson(text(fn.arguments) ?? '{}') };
      });
      return [...(plan ? [{ kind: 'text' as const, role: 'assistant' as const, text: plan }] : contentItems('assistant', message.content)), ...calls];
    }
    case 'tool':
      return [{ kind: 'tool-result', callId: text(message.tool_call_id), name: undefined, content: text(message.content) ?? '' }];
    default:
      return [];
  }
}

/** Cohere has only REQUIRED and NONE; without `tool_choice` the model chooses. A REQUIRED over one tool names it. */
function toolChoice(body: JsonBody): ToolChoice | undefined {
  const tools = list(body.tools);
  if (body.tool_choice === 'NONE') return 'none';
  if (body.tool_choice === 'REQUIRED') return tools.length === 1 ? { name: text(record(record(tools[0]).function).name) ?? '' } : 'required';
  return tools.length > 0 ? 'auto' : undefined;
}

function jsonMode(body: JsonBody): JsonModeReadback {
  const format = record(body.response_format);
  if (format.type !== 'json_object') return { type: 'text' };
  return format.json_schema === undefined ? { type: 'json' } : schemaReadback(format.json_schema);
}

const reader: RequestReader = {
  items: (body) => list(body.messages).flatMap(messageItems),
  tools: (body) =>
    list(body.tools).map((item) => {
      const fn = record(record(item).function);
      return toolReadback(fn.name, fn.description, fn.parameters);
    }),
  toolChoice,
  jsonMode,
  maxTokens: (body) => (typeof body.max_tokens === 'number' ? body.max_tokens : undefined),
};

export function cohereKit(): WireKit {
  return {
    upstreamModel: 'command-a-03-2025',
    endpoint: { name: 'cohere', baseUrl: 'https://api.cohere.com', apiKey },
    chatUrl: () => 'https://api.cohere.com/v2/chat',
    credentialOf: (request) => bearer(request.headers),
    isStreamRequest: (_request, body) => body.stream === true,
    read: reader,
    wireCarriesToolIds: true,
    responses: {
      text: chat({ content: [{ type: 'text', text: answer.text }] }, 'COMPLETE', answer.textUsage),
      toolCalls: chat({ tool_plan: answer.preamble, tool_calls: wireToolCalls }, 'TOOL_CALL', answer.toolUsage),
      json: chat({ content: [{ type: 'text', text: JSON.stringify(answer.json) }] }, 'COMPLETE', answer.jsonUsage),
      cachedUsage: chat({ content: [{ type: 'text', text: answer.text }] }, 'COMPLETE', answer.cachedUsage),
    },
    streams: {
      text: events([messageStart, ...textBlock(answer.textDeltas), messageEnd('COMPLETE', answer.textUsage)]),
      toolCalls: toolStream(),
      midStreamError: midStreamError(),
    },
    reasoning: reasoning(),
    truncated: truncated(),
    errors,
    expect: {
      responseId: chatId,
      streamId: chatId,
      model: 'command-a-03-2025',
      toolCallIds: toolIds,
      rawFinish: { stop: 'COMPLETE', toolCalls: 'TOOL_CALL' },
      cacheWriteTokens: 0,
      retryAfterMs: undefined,
    },
    embeddings: {
      upstreamModel: 'embed-v4.0',
      url: 'https://api.cohere.com/v2/embed',
      inputsOf: (body) => list(body.texts).map((item) => text(item) ?? ''),
      response: {
        id: '9e41c7b2-5d08-4f3a-b6e2-c0nformance03',
        embeddings: { float: answer.embeddings },
        texts: embeddingRequest.input,
        meta: { api_version: { version: '2' }, billed_units: { input_tokens: 7 } },
        response_type: 'embeddings_by_type',
      },
    },
  };
}
