import type { ToolChoice } from '../../../src/core/canonical.js';
import type { ErrorContext, ProviderEndpoint } from '../../../src/core/provider.js';
import { answer, type UsageCounts } from '../canonical-cases.js';
import type { ErrorClass, JsonBody, JsonModeReadback, RequestReader, WireItem, WireKit } from '../wire-kit.js';
import { bearer, header, jsonError, list, record, schemaReadback, sse, text, toolReadback } from './wire-helpers.js';

/**
 * GenerateContentResponse wire format, shared by the Gemini Developer API and Vertex AI:
 * https://ai.google.dev/api/generate-content and https://cloud.google.com/vertex-ai/generative-ai/docs/reference/rest
 */

const modelVersion = 'gemini-2.5-flash';
const responseId = 'q7MHacC0nf0rmGemini1x';
const geminiKey = 'AIzaSyC0nformanceGeminiKey0123456789ab';
const vertexToken = 'ya29.c0nformance-vertex-access-token-0123456789';

type Flavour = 'gemini' | 'vertex';

/** `thoughts` of the output tokens are thinking, counted apart from the candidates as Gemini reports them. */
function usageMetadata(counts: UsageCounts, thoughts = 0): Record<string, unknown> {
  const prompt = counts.input + counts.cacheRead;
  const usage: Record<string, unknown> = {
    promptTokenCount: prompt,
    candidatesTokenCount: counts.output - thoughts,
    totalTokenCount: prompt + counts.output,
    promptTokensDetails: [{ modality: 'TEXT', tokenCount: prompt }],
  };
  if (thoughts > 0) usage.thoughtsTokenCount = thoughts;
  if (counts.cacheRead > 0) {
    usage.cachedContentTokenCount = counts.cacheRead;
    usage.cacheTokensDetails = [{ modality: 'TEXT', tokenCount: counts.cacheRead }];
  }
  return usage;
}

/** One GenerateContentResponse: a whole answer, or one streamed chunk of it. */
function response(flavour: Flavour, parts: unknown[], finishReason: string | undefined, counts: UsageCounts, thoughts = 0): Record<string, unknown> {
  const candidate: Record<string, unknown> = { content: { parts, role: 'model' }, index: 0 };
  if (finishReason !== undefined) candidate.finishReason = finishReason;
  const body: Record<string, unknown> = { candidates: [candidate], usageMetadata: usageMetadata(counts, thoughts), modelVersion, responseId };
  if (flavour === 'vertex') {
    (body.usageMetadata as Record<string, unknown>).trafficType = 'ON_DEMAND';
    body.createTime = '2026-01-01T00:00:00.412345Z';
  }
  return body;
}

const functionCallParts = answer.toolCalls.map((call) => ({ functionCall: { name: call.name, args: call.arguments } }));

function textStream(flavour: Flavour): Uint8Array {
  const counts = answer.textUsage;
  const chunks = answer.textDeltas.map((piece, index) => {
    const last = index === answer.textDeltas.length - 1;
    return { data: response(flavour, [{ text: piece }], last ? 'STOP' : undefined, { ...counts, output: last ? counts.output : index + 2 }) };
  });
  return sse(chunks);
}

/** Function calls arrive whole, one part each; only partial-argument streaming (not requested here) splits them. */
function toolStream(flavour: Flavour): Uint8Array {
  const counts = answer.toolUsage;
  return sse([
    { data: response(flavour, [{ text: answer.preamble }], undefined, { ...counts, output: 5 }) },
    { data: response(flavour, [functionCallParts[0]], undefined, { ...counts, output: 24 }) },
    { data: response(flavour, [functionCallParts[1]], 'STOP', counts) },
  ]);
}

function midStreamError(flavour: Flavour): Uint8Array {
  const chunks = answer.textDeltas.slice(0, 2).map((piece, index) => ({ data: response(flavour, [{ text: piece }], undefined, { ...answer.textUsage, output: index + 2 }) }));
  return sse([...chunks, { data: { error: { code: 503, message: 'The model is overloaded. Please try again later.', status: 'UNAVAILABLE' } } }]);
}

/** Thought summaries come as parts marked `thought` when includeThoughts is set (https://ai.google.dev/gemini-api/docs/thinking). */
function reasoning(flavour: Flavour): WireKit['reasoning'] {
  const counts = answer.reasoningUsage;
  const thoughts = answer.reasoningTokens;
  const thinking = answer.reasoningDeltas.map((piece) => ({ data: response(flavour, [{ text: piece, thought: true }], undefined, counts, thoughts) }));
  const deltas = answer.textDeltas.map((piece, index) => ({ data: response(flavour, [{ text: piece }], index === answer.textDeltas.length - 1 ? 'STOP' : undefined, counts, thoughts) }));
  return {
    response: response(flavour, [{ text: answer.reasoning, thought: true }, { text: answer.text }], 'STOP', counts, thoughts),
    stream: sse([...thinking, ...deltas]),
    reasoningTokens: thoughts,
  };
}

function truncated(flavour: Flavour): WireKit['truncated'] {
  const counts = answer.truncatedUsage;
  const deltas = answer.truncatedDeltas.map((piece, index) => ({ data: response(flavour, [{ text: piece }], index === answer.truncatedDeltas.length - 1 ? 'MAX_TOKENS' : undefined, counts) }));
  return { response: response(flavour, [{ text: answer.truncatedText }], 'MAX_TOKENS', counts), stream: sse(deltas) };
}

function googleError(code: number, status: string, message: string, details: unknown[] = []): ErrorContext {
  const error: Record<string, unknown> = { code, message, status };
  if (details.length > 0) error.details = details;
  return jsonError(code, { error }, { 'content-type': 'application/json; charset=UTF-8' });
}

/** https://ai.google.dev/gemini-api/docs/troubleshooting#error-codes */
function errors(flavour: Flavour): Record<ErrorClass, ErrorContext> {
  const authentication = flavour === 'gemini'
    ? googleError(400, 'INVALID_ARGUMENT', `API key not valid. Please pass a valid API key. (${geminiKey})`, [
      { '@type': 'type.googleapis.com/google.rpc.ErrorInfo', reason: 'API_KEY_INVALID', domain: 'googleapis.com', metadata: { service: 'generativelanguage.googleapis.com' } },
    ])
    : googleError(401, 'UNAUTHENTICATED', `Request had invalid authentication credentials (${vertexToken}). Expected OAuth 2 access token, login cookie or other valid authentication credential.`);
  return {
    'context-length': googleError(400, 'INVALID_ARGUMENT', 'The input token count (1204873) exceeds the maximum number of tokens allowed (1048576).'),
    authentication,
    permission: googleError(403, 'PERMISSION_DENIED', 'The caller does not have permission'),
    'not-found': googleError(404, 'NOT_FOUND', 'models/gemini-0.9-ultra is not found for API version v1beta, or is not supported for generateContent.'),
    'rate-limited': googleError(429, 'RESOURCE_EXHAUSTED', 'You exceeded your current quota, please check your plan and billing details.', [
      { '@type': 'type.googleapis.com/google.rpc.QuotaFailure', violations: [{ quotaId: 'GenerateRequestsPerMinutePerProjectPerModel' }] },
      { '@type': 'type.googleapis.com/google.rpc.RetryInfo', retryDelay: '7s' },
    ]),
    'server-error': googleError(500, 'INTERNAL', 'An internal error has occurred. Please retry or report in https://developers.generativeai.google/guide/troubleshooting'),
    overloaded: googleError(503, 'UNAVAILABLE', 'The model is overloaded. Please try again later.'),
  };
}

function partItems(role: 'user' | 'assistant', value: unknown): WireItem[] {
  const part = record(value);
  if (typeof part.text === 'string') return [{ kind: 'text', role, text: part.text }];
  const inline = record(part.inlineData);
  if (typeof inline.data === 'string') return [{ kind: 'image', data: inline.data, mediaType: text(inline.mimeType) ?? '' }];
  const file = record(part.fileData);
  if (typeof file.fileUri === 'string') return [{ kind: 'image', url: file.fileUri }];
  const call = record(part.functionCall);
  if (typeof call.name === 'string') return [{ kind: 'tool-call', id: text(call.id), name: call.name, arguments: call.args ?? {} }];
  const result = record(part.functionResponse);
  if (typeof result.name === 'string') return [{ kind: 'tool-result', callId: text(result.id), name: result.name, content: text(record(result.response).output) ?? '' }];
  return [];
}

function toolChoice(body: JsonBody): ToolChoice | undefined {
  const config = record(record(body.toolConfig).functionCallingConfig);
  const allowed = list(config.allowedFunctionNames);
  if (config.mode === 'AUTO') return 'auto';
  if (config.mode === 'NONE') return 'none';
  if (config.mode === 'ANY') return allowed.length === 1 ? { name: text(allowed[0]) ?? '' } : 'required';
  return undefined;
}

function jsonMode(body: JsonBody): JsonModeReadback {
  const config = record(body.generationConfig);
  if (config.responseMimeType !== 'application/json') return { type: 'text' };
  return config.responseSchema === undefined ? { type: 'json' } : schemaReadback(config.responseSchema);
}

const reader: RequestReader = {
  items(body) {
    const system = list(record(body.systemInstruction).parts).map((part) => text(record(part).text) ?? '').join('\n\n');
    const contents = list(body.contents).flatMap((value) => {
      const content = record(value);
      return list(content.parts).flatMap((part) => partItems(content.role === 'model' ? 'assistant' : 'user', part));
    });
    return [...(system === '' ? [] : [{ kind: 'system' as const, text: system }]), ...contents];
  },
  tools: (body) =>
    list(body.tools).flatMap((group) => list(record(group).functionDeclarations).map((value) => toolReadback(record(value).name, record(value).description, record(value).parameters))),
  toolChoice,
  jsonMode,
  maxTokens: (body) => {
    const value = record(body.generationConfig).maxOutputTokens;
    return typeof value === 'number' ? value : undefined;
  },
};

const endpoints: Record<Flavour, ProviderEndpoint> = {
  gemini: { name: 'gemini', baseUrl: 'https://generativelanguage.googleapis.com', apiKey: geminiKey },
  vertex: { name: 'vertex-eu', baseUrl: '', apiKey: vertexToken, options: { project: 'switchyard-test', location: 'europe-west4' } },
};

function chatUrl(flavour: Flavour, stream: boolean): string {
  const action = stream ? 'streamGenerateContent?alt=sse' : 'generateContent';
  if (flavour === 'gemini') return `https://generativelanguage.googleapis.com/v1beta/models/gemini-2.5-flash:${action}`;
  return `https://europe-west4-aiplatform.googleapis.com/v1/projects/switchyard-test/locations/europe-west4/publishers/google/models/gemini-2.5-flash:${action}`;
}

/** Gemini's batchEmbedContents, or Vertex AI's :predict with one instance per input and token counts per prediction. */
function embeddings(flavour: Flavour): WireKit['embeddings'] {
  if (flavour === 'gemini') {
    return {
      upstreamModel: 'gemini-embedding-001',
      url: 'https://generativelanguage.googleapis.com/v1beta/models/gemini-embedding-001:batchEmbedContents',
      inputsOf: (body) => list(body.requests).map((item) => text(record(list(record(record(item).content).parts)[0]).text) ?? ''),
      response: { embeddings: answer.embeddings.map((values) => ({ values })) },
    };
  }
  return {
    upstreamModel: 'text-embedding-005',
    url: 'https://europe-west4-aiplatform.googleapis.com/v1/projects/switchyard-test/locations/europe-west4/publishers/google/models/text-embedding-005:predict',
    inputsOf: (body) => list(body.instances).map((item) => text(record(item).content) ?? ''),
    response: {
      predictions: answer.embeddings.map((values, index) => ({ embeddings: { statistics: { token_count: 3 + index, truncated: false }, values } })),
      metadata: { billableCharacterCount: 27 },
    },
  };
}

export function geminiKit(flavour: Flavour): WireKit {
  return {
    upstreamModel: 'gemini-2.5-flash',
    endpoint: endpoints[flavour],
    chatUrl: (stream) => chatUrl(flavour, stream),
    credentialOf: (request) => (flavour === 'gemini' ? header(request.headers, 'x-goog-api-key') : bearer(request.headers)),
    isStreamRequest: (request) => request.url.includes(':streamGenerateContent?alt=sse'),
    read: reader,
    wireCarriesToolIds: false,
    responses: {
      text: response(flavour, [{ text: answer.text }], 'STOP', answer.textUsage),
      toolCalls: response(flavour, [{ text: answer.preamble }, ...functionCallParts], 'STOP', answer.toolUsage),
      json: response(flavour, [{ text: JSON.stringify(answer.json) }], 'STOP', answer.jsonUsage),
      cachedUsage: response(flavour, [{ text: answer.text }], 'STOP', answer.cachedUsage),
    },
    streams: { text: textStream(flavour), toolCalls: toolStream(flavour), midStreamError: midStreamError(flavour) },
    reasoning: reasoning(flavour),
    truncated: truncated(flavour),
    errors: errors(flavour),
    expect: {
      responseId,
      streamId: responseId,
      model: modelVersion,
      toolCallIds: 'generated',
      rawFinish: { stop: 'STOP', toolCalls: 'STOP' },
      cacheWriteTokens: 0,
      retryAfterMs: 7000,
    },
    embeddings: embeddings(flavour),
  };
}
