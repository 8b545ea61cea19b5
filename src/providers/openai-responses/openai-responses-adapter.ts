import type { ChatRequest } from '../../core/canonical.js';
import type { ProviderAdapter, ProviderEndpoint, UpstreamRequest } from '../../core/provider.js';
import { classifyOpenAiError } from '../openai/openai-error.js';
import { convertToResponsesRequest, responsesFormat } from './convert-to-responses-request.js';
import { parseResponsesResponse } from './responses-response.js';
import { ResponsesStreamDecoder } from './responses-stream.js';

export type ResponsesHost = 'openai' | 'azure-openai';

/**
 * Azure serves the Responses API on its OpenAI-compatible v1 surface, with the deployment as `model` and no
 * deployment segment in the path (https://learn.microsoft.com/azure/ai-foundry/openai/how-to/responses).
 */
function responsesUrl(host: ResponsesHost, endpoint: ProviderEndpoint): string {
  if (host === 'openai') return `${endpoint.baseUrl}/responses`;
  const version = endpoint.options?.responsesApiVersion;
  const query = typeof version === 'string' && version !== '' ? `?api-version=${encodeURIComponent(version)}` : '';
  return `${endpoint.baseUrl}/openai/v1/responses${query}`;
}

function modelFor(host: ResponsesHost, endpoint: ProviderEndpoint, upstreamModel: string): string {
  const deployment = endpoint.options?.deployment;
  return host === 'azure-openai' && typeof deployment === 'string' ? deployment : upstreamModel;
}

function headersFor(host: ResponsesHost, request: ChatRequest, endpoint: ProviderEndpoint): Record<string, string> {
  const native = request.native?.format === responsesFormat ? request.native.headers : undefined;
  const headers: Record<string, string> = { ...native, 'content-type': 'application/json', ...endpoint.headers };
  if (endpoint.apiKey) {
    if (host === 'azure-openai') headers['api-key'] = endpoint.apiKey;
    else headers.authorization = `Bearer ${endpoint.apiKey}`;
  }
  return headers;
}

/** OpenAI's Responses API (POST /v1/responses) as an upstream, chosen with `api: responses` on an openai or azure provider. */
export function createResponsesAdapter(host: ResponsesHost): ProviderAdapter {
  return {
    type: host,
    streamFraming: 'sse',
    buildChatRequest(request, upstreamModel, endpoint): UpstreamRequest {
      const body = convertToResponsesRequest(request, modelFor(host, endpoint, upstreamModel));
      return { url: responsesUrl(host, endpoint), method: 'POST', headers: headersFor(host, request, endpoint), body: JSON.stringify(body) };
    },
    parseChatResponse: (body, upstreamModel) => parseResponsesResponse(body, upstreamModel, host),
    createStreamDecoder: (upstreamModel) => new ResponsesStreamDecoder(upstreamModel, host),
    // The Responses API shares OpenAI's error envelope and codes.
    classifyError: (context, endpoint) => classifyOpenAiError(context, endpoint),
  };
}
