import type { ChatRequest } from '../../core/canonical.js';
import { addCacheBreakpoints } from './anthropic-prompt-cache.js';
import type { ProviderAdapter, ProviderEndpoint, UpstreamRequest } from '../../core/provider.js';
import { classifyAnthropicError } from './anthropic-error.js';
import { parseAnthropicResponse } from './anthropic-response.js';
import { createAnthropicStreamDecoder } from './anthropic-stream.js';
import { convertToAnthropicRequest } from './convert-to-anthropic-request.js';

/** The API version this adapter's wire format follows: https://docs.anthropic.com/en/api/versioning */
export const anthropicVersion = '2023-06-01';

export function anthropicMessagesUrl(baseUrl: string): string {
  const base = baseUrl.replace(/\/+$/, '');
  return base.endsWith('/v1') ? `${base}/messages` : `${base}/v1/messages`;
}

function headersFor(endpoint: ProviderEndpoint, request: ChatRequest): Record<string, string> {
  const headers: Record<string, string> = { 'content-type': 'application/json', 'anthropic-version': anthropicVersion };
  if (endpoint.apiKey) headers['x-api-key'] = endpoint.apiKey;
  const beta = request.native?.format === 'anthropic' ? request.native.headers?.['anthropic-beta'] : undefined;
  if (beta) headers['anthropic-beta'] = beta;
  return { ...headers, ...endpoint.headers };
}

/**
 * The client's own Messages API body, sent as it came (every field, known or not) with the upstream model; `stream`
 * follows the canonical request, which the gateway may have changed.
 */
export function nativeMessagesBody(request: ChatRequest, upstreamModel: string): Record<string, unknown> | undefined {
  if (request.native?.format !== 'anthropic') return undefined;
  const { stream: _stream, ...rest } = request.native.body;
  return request.stream ? { ...rest, model: upstreamModel, stream: true } : { ...rest, model: upstreamModel };
}

export function anthropicRequestBody(request: ChatRequest, upstreamModel: string): Record<string, unknown> {
  const body = nativeMessagesBody(request, upstreamModel) ?? convertToAnthropicRequest(request, upstreamModel);
  return request.promptCache === 'auto' ? addCacheBreakpoints(body) : body;
}

/** Anthropic's Messages API (https://docs.anthropic.com/en/api/messages). It has no embeddings endpoint. */
export const anthropicAdapter: ProviderAdapter = {
  type: 'anthropic',
  streamFraming: 'sse',
  buildChatRequest(request, upstreamModel, endpoint): UpstreamRequest {
    return {
      url: anthropicMessagesUrl(endpoint.baseUrl),
      method: 'POST',
      headers: headersFor(endpoint, request),
      body: JSON.stringify(anthropicRequestBody(request, upstreamModel)),
    };
  },
  parseChatResponse: parseAnthropicResponse,
  createStreamDecoder: createAnthropicStreamDecoder,
  classifyError: classifyAnthropicError,
};
