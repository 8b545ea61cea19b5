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

function headersFor(endpoint: ProviderEndpoint): Record<string, string> {
  const headers: Record<string, string> = { 'content-type': 'application/json', 'anthropic-version': anthropicVersion };
  if (endpoint.apiKey) headers['x-api-key'] = endpoint.apiKey;
  return { ...headers, ...endpoint.headers };
}

/** Anthropic's Messages API (https://docs.anthropic.com/en/api/messages). It has no embeddings endpoint. */
export const anthropicAdapter: ProviderAdapter = {
  type: 'anthropic',
  streamFraming: 'sse',
  buildChatRequest(request, upstreamModel, endpoint): UpstreamRequest {
    return {
      url: anthropicMessagesUrl(endpoint.baseUrl),
      method: 'POST',
      headers: headersFor(endpoint),
      body: JSON.stringify(convertToAnthropicRequest(request, upstreamModel)),
    };
  },
  parseChatResponse: parseAnthropicResponse,
  createStreamDecoder: createAnthropicStreamDecoder,
  classifyError: classifyAnthropicError,
};
