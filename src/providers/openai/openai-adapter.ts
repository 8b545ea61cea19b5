import type { ChatRequest } from '../../core/canonical.js';
import type { ProviderAdapter, ProviderEndpoint, UpstreamRequest } from '../../core/provider.js';
import { convertToOpenAiEmbeddingRequest, convertToOpenAiRequest } from './convert-to-openai-request.js';
import { nativeChatBody } from './native-chat-body.js';
import { assertOpenAiFieldsFit } from './openai-fields-fit.js';
import { openAiHostProfiles, type OpenAiHostProfile } from './openai-compatible-hosts.js';
import { classifyOpenAiError } from './openai-error.js';
import { parseOpenAiChatResponse, parseOpenAiEmbeddingResponse } from './openai-response.js';
import { OpenAiStreamDecoder } from './openai-stream.js';

function headersFor(profile: OpenAiHostProfile, endpoint: ProviderEndpoint): Record<string, string> {
  const headers: Record<string, string> = { 'content-type': 'application/json', ...endpoint.headers };
  if (endpoint.apiKey) {
    if (profile.auth === 'api-key') headers['api-key'] = endpoint.apiKey;
    else headers.authorization = `Bearer ${endpoint.apiKey}`;
  }
  return headers;
}

function applyProfile(profile: OpenAiHostProfile, request: ChatRequest, body: Record<string, unknown>): void {
  for (const [from, to] of Object.entries(profile.rename ?? {})) {
    if (from in body) {
      body[to] = body[from];
      delete body[from];
    }
  }
  if (profile.requiredToolChoice && request.toolChoice === 'required') body.tool_choice = profile.requiredToolChoice;
}

/** One adapter for every OpenAI-wire host; the profile holds the host's differences. */
export function createOpenAiCompatibleAdapter(profile: OpenAiHostProfile): ProviderAdapter {
  const url = (endpoint: ProviderEndpoint, upstreamModel: string, operation: 'chat/completions' | 'embeddings') =>
    profile.url ? profile.url(endpoint, upstreamModel, operation) : `${endpoint.baseUrl}/${operation}`;

  const adapter: ProviderAdapter = {
    type: profile.type,
    streamFraming: 'sse',
    buildChatRequest(request, upstreamModel, endpoint): UpstreamRequest {
      const native = nativeChatBody(request, upstreamModel, profile);
      const body = native ?? convertToOpenAiRequest(request, upstreamModel, profile);
      if (!native) assertOpenAiFieldsFit(request, profile.type);
      applyProfile(profile, request, body);
      return { url: url(endpoint, upstreamModel, 'chat/completions'), method: 'POST', headers: headersFor(profile, endpoint), body: JSON.stringify(body) };
    },
    parseChatResponse: (body, upstreamModel) => parseOpenAiChatResponse(body, upstreamModel, profile.type, profile.passThrough === true),
    createStreamDecoder: (upstreamModel) => new OpenAiStreamDecoder(upstreamModel, profile.type, profile.passThrough === true),
    classifyError: (context, endpoint) => classifyOpenAiError(context, endpoint),
  };
  if (profile.supportsEmbeddings) {
    adapter.buildEmbeddingRequest = (request, upstreamModel, endpoint) => ({
      url: url(endpoint, upstreamModel, 'embeddings'),
      method: 'POST',
      headers: headersFor(profile, endpoint),
      body: JSON.stringify(convertToOpenAiEmbeddingRequest(request, upstreamModel)),
    });
    adapter.parseEmbeddingResponse = (body, upstreamModel) => parseOpenAiEmbeddingResponse(body, upstreamModel, profile.type);
    // OpenAI takes up to 2,048 inputs per call (https://platform.openai.com/docs/api-reference/embeddings/create).
    adapter.embeddingBatchSize = () => 2048;
  }
  return adapter;
}

export const openAiAdapter = createOpenAiCompatibleAdapter(openAiHostProfiles.openai as OpenAiHostProfile);

export function openAiCompatibleAdapters(): ProviderAdapter[] {
  return Object.values(openAiHostProfiles).map((profile) => (profile.type === 'openai' ? openAiAdapter : createOpenAiCompatibleAdapter(profile)));
}
