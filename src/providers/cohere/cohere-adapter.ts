import type { ProviderAdapter, ProviderEndpoint, UpstreamRequest } from '../../core/provider.js';
import { classifyCohereError } from './cohere-error.js';
import { parseCohereEmbeddingResponse, parseCohereResponse } from './cohere-response.js';
import { createCohereStreamDecoder } from './cohere-stream.js';
import { convertToCohereEmbedRequest, convertToCohereRequest } from './convert-to-cohere-request.js';

/** `https://api.cohere.com` and `https://api.cohere.com/v2` both name the v2 API. */
export function cohereUrl(baseUrl: string, operation: 'chat' | 'embed'): string {
  const base = baseUrl.replace(/\/+$/, '');
  return base.endsWith('/v2') ? `${base}/${operation}` : `${base}/v2/${operation}`;
}

function headersFor(endpoint: ProviderEndpoint): Record<string, string> {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (endpoint.apiKey) headers.authorization = `Bearer ${endpoint.apiKey}`;
  return { ...headers, ...endpoint.headers };
}

function post(url: string, endpoint: ProviderEndpoint, body: Record<string, unknown>): UpstreamRequest {
  return { url, method: 'POST', headers: headersFor(endpoint), body: JSON.stringify(body) };
}

/** Cohere's v2 Chat and Embed APIs (https://docs.cohere.com/reference/chat, https://docs.cohere.com/reference/embed). */
export const cohereAdapter: ProviderAdapter = {
  type: 'cohere',
  streamFraming: 'sse',
  buildChatRequest: (request, upstreamModel, endpoint) => post(cohereUrl(endpoint.baseUrl, 'chat'), endpoint, convertToCohereRequest(request, upstreamModel)),
  parseChatResponse: parseCohereResponse,
  createStreamDecoder: createCohereStreamDecoder,
  classifyError: classifyCohereError,
  buildEmbeddingRequest: (request, upstreamModel, endpoint) => post(cohereUrl(endpoint.baseUrl, 'embed'), endpoint, convertToCohereEmbedRequest(request, upstreamModel)),
  // Embed v2 takes up to 96 texts per call (https://docs.cohere.com/reference/embed).
  embeddingBatchSize: () => 96,
  parseEmbeddingResponse: parseCohereEmbeddingResponse,
};
