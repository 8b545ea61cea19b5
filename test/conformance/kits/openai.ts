import type { ErrorContext } from '../../../src/core/provider.js';
import { answer, pixelPng, type UsageCounts } from '../canonical-cases.js';
import type { ErrorClass, WireKit } from '../wire-kit.js';
import { openAiHosts, reportsReasoningTokens, usageObject, type OpenAiHostWire } from './openai-hosts.js';
import { openAiReader } from './openai-reader.js';
import { bearer, header, jsonError, list, sse, text, type SseEvent } from './wire-helpers.js';

/** Chat Completions wire format: https://platform.openai.com/docs/api-reference/chat/object and .../chat/streaming */

const created = 1767225600;
const toolIds = ['call_Wx3paris7Qm', 'call_Tk9tokyo2Lr'] as const;
const contentFilters = { hate: { filtered: false, severity: 'safe' }, self_harm: { filtered: false, severity: 'safe' }, sexual: { filtered: false, severity: 'safe' }, violence: { filtered: false, severity: 'safe' } };

function completion(host: OpenAiHostWire, message: Record<string, unknown>, finish: string, usage: UsageCounts, reasoningTokens = 0): Record<string, unknown> {
  const choice: Record<string, unknown> = { index: 0, message: { role: 'assistant', refusal: null, ...message }, logprobs: null, finish_reason: finish };
  if (host.azureFilters) choice.content_filter_results = contentFilters;
  const body: Record<string, unknown> = { id: host.id, object: 'chat.completion', created, model: host.wireModel, choices: [choice], usage: usageObject(usage, host.usageShape, reasoningTokens) };
  if (host.azureFilters) body.prompt_filter_results = [{ prompt_index: 0, content_filter_results: contentFilters }];
  if (host.type === 'groq') body.x_groq = { id: 'req_01conformance0groq' };
  return body;
}

function wireToolCalls(withIndex: boolean): Array<Record<string, unknown>> {
  return answer.toolCalls.map((call, index) => ({
    ...(withIndex ? { index } : {}),
    id: toolIds[index],
    type: 'function',
    function: { name: call.name, arguments: JSON.stringify(call.arguments) },
  }));
}

function chunk(host: OpenAiHostWire, delta: Record<string, unknown>, finish: string | null = null): Record<string, unknown> {
  const choice: Record<string, unknown> = { index: 0, delta, logprobs: null, finish_reason: finish };
  if (host.azureFilters) choice.content_filter_results = finish === null && !('role' in delta) ? contentFilters : {};
  return { id: host.id, object: 'chat.completion.chunk', created, model: host.wireModel, system_fingerprint: 'fp_c0nf0rm', choices: [choice], usage: null };
}

/** The closing chunks: where the usage goes depends on the host. */
function closing(host: OpenAiHostWire, finish: string, usage: UsageCounts, reasoningTokens = 0): SseEvent[] {
  const last = chunk(host, {}, finish);
  const counts = usageObject(usage, host.usageShape, reasoningTokens);
  if (host.streamUsage === 'finish-chunk') return [{ data: { ...last, usage: counts } }, { data: '[DONE]' }];
  if (host.streamUsage === 'x-groq') return [{ data: { ...last, x_groq: { id: 'req_01conformance0groq', usage: counts }, usage: counts } }, { data: '[DONE]' }];
  return [{ data: last }, { data: { ...chunk(host, {}), choices: [], usage: counts } }, { data: '[DONE]' }];
}

function opening(host: OpenAiHostWire): SseEvent[] {
  const first = { data: chunk(host, { role: 'assistant', content: '' }) };
  if (!host.azureFilters) return [first];
  return [{ data: { choices: [], created: 0, id: '', model: '', object: '', prompt_filter_results: [{ prompt_index: 0, content_filter_results: contentFilters }] } }, first];
}

function textStream(host: OpenAiHostWire): Uint8Array {
  const deltas = answer.textDeltas.map((piece) => ({ data: chunk(host, { content: piece }) }));
  return sse([...opening(host), ...deltas, ...closing(host, 'stop', answer.textUsage)]);
}

function reasoningTokensOf(host: OpenAiHostWire): number {
  return reportsReasoningTokens(host.usageShape) ? answer.reasoningTokens : 0;
}

/** Reasoning text first, in the host's own field, then the answer (https://api-docs.deepseek.com/guides/reasoning_model). */
function reasoningKit(host: OpenAiHostWire): WireKit['reasoning'] {
  const field = host.reasoningField;
  if (!field) return undefined;
  const tokens = reasoningTokensOf(host);
  const thinking = answer.reasoningDeltas.map((piece) => ({ data: chunk(host, { [field]: piece }) }));
  const deltas = answer.textDeltas.map((piece) => ({ data: chunk(host, { content: piece }) }));
  return {
    response: completion(host, { content: answer.text, [field]: answer.reasoning }, 'stop', answer.reasoningUsage, tokens),
    stream: sse([...opening(host), ...thinking, ...deltas, ...closing(host, 'stop', answer.reasoningUsage, tokens)]),
    reasoningTokens: tokens,
  };
}

function truncatedKit(host: OpenAiHostWire): WireKit['truncated'] {
  const deltas = answer.truncatedDeltas.map((piece) => ({ data: chunk(host, { content: piece }) }));
  return {
    response: completion(host, { content: answer.truncatedText }, 'length', answer.truncatedUsage),
    stream: sse([...opening(host), ...deltas, ...closing(host, 'length', answer.truncatedUsage)]),
  };
}

function toolCallEvents(host: OpenAiHostWire): SseEvent[] {
  if (host.streamedToolCalls !== 'fragments') {
    return [{ data: chunk(host, { tool_calls: wireToolCalls(host.streamedToolCalls === 'whole') }) }];
  }
  return answer.toolCalls.flatMap((call, index) => [
    { data: chunk(host, { tool_calls: [{ index, id: toolIds[index], type: 'function', function: { name: call.name, arguments: '' } }] }) },
    ...call.fragments.map((fragment) => ({ data: chunk(host, { tool_calls: [{ index, function: { arguments: fragment } }] }) })),
  ]);
}

function toolStream(host: OpenAiHostWire): Uint8Array {
  const preamble = { data: chunk(host, { content: answer.preamble }) };
  return sse([...opening(host), preamble, ...toolCallEvents(host), ...closing(host, 'tool_calls', answer.toolUsage)]);
}

function midStreamError(host: OpenAiHostWire): Uint8Array {
  const deltas = answer.textDeltas.slice(0, 2).map((piece) => ({ data: chunk(host, { content: piece }) }));
  const error = { error: { message: 'The server had an error while processing your request. Sorry about that!', type: 'server_error', param: null, code: null } };
  return sse([...opening(host), ...deltas, { data: error }]);
}

function openAiError(status: number, message: string, type: string, code: string | null, headers: Record<string, string> = {}): ErrorContext {
  return jsonError(status, { error: { message, type, param: null, code } }, { 'x-request-id': 'req_c0nformance', ...headers });
}

/** https://platform.openai.com/docs/guides/error-codes */
function errors(host: OpenAiHostWire): Record<ErrorClass, ErrorContext> {
  const key = host.endpoint.apiKey ?? '';
  return {
    'context-length': openAiError(400, "This model's maximum context length is 128000 tokens. However, your messages resulted in 131072 tokens. Please reduce the length of the messages.", 'invalid_request_error', 'context_length_exceeded'),
    authentication: openAiError(401, `Incorrect API key provided: ${key}. You can find your API key at https://platform.openai.com/account/api-keys.`, 'invalid_request_error', 'invalid_api_key'),
    permission: openAiError(403, 'Country, region, or territory not supported', 'request_forbidden', 'unsupported_country_region_territory'),
    'not-found': openAiError(404, 'The model `gpt-9-turbo` does not exist or you do not have access to it.', 'invalid_request_error', 'model_not_found'),
    'rate-limited': openAiError(429, 'Rate limit reached for gpt-4.1-mini in organization org-c0nformance on requests per min (RPM): Limit 500, Used 500, Requested 1. Please try again in 7s.', 'requests', 'rate_limit_exceeded', {
      'retry-after': '7',
      'x-ratelimit-remaining-requests': '0',
      'x-ratelimit-reset-requests': '7s',
    }),
    'server-error': openAiError(500, 'The server had an error while processing your request. Sorry about that!', 'server_error', null),
    overloaded: openAiError(503, 'The engine is currently overloaded, please try again later', 'server_error', null),
    ...host.errorOverrides,
  };
}

/** https://platform.openai.com/docs/api-reference/images/create; Azure addresses the deployment. */
function imagesUrl(host: OpenAiHostWire): string {
  return host.type === 'azure-openai' ? host.chatUrl(false).replace('/chat/completions', '/images/generations') : `${host.endpoint.baseUrl}/images/generations`;
}

export function openAiKit(type: string): WireKit {
  const host = openAiHosts[type];
  if (!host) throw new Error(`No OpenAI-wire host named ${type}`);
  const withToolCalls = { content: answer.preamble, tool_calls: wireToolCalls(false) };
  const reasoning = reasoningKit(host);
  return {
    ...(reasoning ? { reasoning } : {}),
    truncated: truncatedKit(host),
    upstreamModel: host.upstreamModel,
    endpoint: host.endpoint,
    chatUrl: host.chatUrl,
    credentialOf: (request) => (host.credential === 'api-key' ? header(request.headers, 'api-key') : bearer(request.headers)),
    isStreamRequest: (_request, body) => body.stream === true,
    read: openAiReader,
    wireCarriesToolIds: true,
    responses: {
      text: completion(host, { content: answer.text }, 'stop', answer.textUsage),
      toolCalls: completion(host, withToolCalls, 'tool_calls', answer.toolUsage),
      json: completion(host, { content: JSON.stringify(answer.json) }, 'stop', answer.jsonUsage),
      cachedUsage: completion(host, { content: answer.text }, 'stop', answer.cachedUsage),
    },
    streams: { text: textStream(host), toolCalls: toolStream(host), midStreamError: midStreamError(host) },
    errors: errors(host),
    expect: {
      responseId: host.id,
      streamId: host.id,
      model: host.wireModel,
      toolCallIds: toolIds,
      rawFinish: { stop: 'stop', toolCalls: 'tool_calls' },
      cacheWriteTokens: 0,
      retryAfterMs: 7000,
    },
    embeddings: {
      upstreamModel: host.embeddingModel,
      url: host.embeddingsUrl,
      inputsOf: (body) => list(body.input).map((item) => text(item) ?? ''),
      response: {
        object: 'list',
        data: answer.embeddings.map((embedding, index) => ({ object: 'embedding', index, embedding })),
        model: host.wireModel,
        usage: { prompt_tokens: 7, total_tokens: 7 },
      },
    },
    images: { url: imagesUrl(host), response: { created, data: [{ b64_json: pixelPng, revised_prompt: 'A small harbour at dawn.' }] } },
  };
}
