import type { ChatRequest, EmbeddingRequest } from '../../core/canonical.js';
import { GatewayError } from '../../core/errors.js';
import type { ErrorContext, ProviderAdapter, ProviderEndpoint, UpstreamRequest } from '../../core/provider.js';
import { asString } from '../shared/json-read.js';
import { convertToGeminiRequest } from './convert-to-gemini-request.js';
import { convertToGeminiEmbeddingBody, convertToVertexEmbeddingBody, parseGeminiEmbeddingResponse, parseVertexEmbeddingResponse } from './gemini-embedding.js';
import { classifyGeminiError } from './gemini-error.js';
import { parseGeminiResponse } from './gemini-response.js';
import { GeminiStreamDecoder } from './gemini-stream.js';
import { getVertexAccessToken, getVertexDefaultAccessToken, parseServiceAccount, type TokenExchangeOptions } from './vertex-auth.js';

export const geminiDefaultBaseUrl = 'https://generativelanguage.googleapis.com';

/** Accepts `gemini-2.5-flash` as well as the resource form `models/gemini-2.5-flash`. */
function modelId(upstreamModel: string): string {
  return upstreamModel.startsWith('models/') ? upstreamModel.slice('models/'.length) : upstreamModel;
}

function chatAction(request: ChatRequest): string {
  return request.stream ? 'streamGenerateContent?alt=sse' : 'generateContent';
}

function postJson(url: string, endpoint: ProviderEndpoint, auth: Record<string, string>, body: unknown): UpstreamRequest {
  return { url, method: 'POST', headers: { ...endpoint.headers, 'content-type': 'application/json', ...auth }, body: JSON.stringify(body) };
}

function apiKeyHeader(endpoint: ProviderEndpoint): Record<string, string> {
  return endpoint.apiKey === undefined ? {} : { 'x-goog-api-key': endpoint.apiKey };
}

function trimSlash(url: string): string {
  return url.endsWith('/') ? url.slice(0, -1) : url;
}

/** The Gemini Developer API (https://ai.google.dev/api), authenticated with an API key. */
export const geminiAdapter: ProviderAdapter = {
  type: 'gemini',
  streamFraming: 'sse',
  buildChatRequest(request: ChatRequest, upstreamModel: string, endpoint: ProviderEndpoint): UpstreamRequest {
    const url = `${trimSlash(endpoint.baseUrl)}/v1beta/models/${modelId(upstreamModel)}:${chatAction(request)}`;
    return postJson(url, endpoint, apiKeyHeader(endpoint), convertToGeminiRequest(request, upstreamModel));
  },
  parseChatResponse: (body, upstreamModel) => parseGeminiResponse(body, upstreamModel, 'Gemini'),
  createStreamDecoder: (upstreamModel) => new GeminiStreamDecoder(upstreamModel, { label: 'Gemini', provider: 'gemini' }),
  classifyError: (context: ErrorContext, endpoint: ProviderEndpoint) =>
    classifyGeminiError(context, { label: 'Gemini', provider: endpoint.name, secret: endpoint.apiKey }),
  buildEmbeddingRequest(request: EmbeddingRequest, upstreamModel: string, endpoint: ProviderEndpoint): UpstreamRequest {
    const model = modelId(upstreamModel);
    const url = `${trimSlash(endpoint.baseUrl)}/v1beta/models/${model}:batchEmbedContents`;
    return postJson(url, endpoint, apiKeyHeader(endpoint), convertToGeminiEmbeddingBody(request, model));
  },
  // batchEmbedContents takes up to 100 requests (https://ai.google.dev/api/embeddings#method:-models.batchembedcontents).
  embeddingBatchSize: () => 100,
  parseEmbeddingResponse: (body, upstreamModel) => parseGeminiEmbeddingResponse(body, upstreamModel),
};

export interface VertexSettings {
  project: string;
  location: string;
  serviceAccount: unknown;
}

const resourceIdPattern = /^[A-Za-z0-9][A-Za-z0-9.:_-]*$/;

function vertexConfigError(endpoint: ProviderEndpoint, message: string): GatewayError {
  return new GatewayError('internal_error', `Vertex AI provider "${endpoint.name}" ${message}`, { provider: endpoint.name });
}

export function readVertexSettings(endpoint: ProviderEndpoint): VertexSettings {
  const options = endpoint.options ?? {};
  const project = asString(options.project);
  const location = asString(options.location) ?? 'us-central1';
  if (project === undefined || !resourceIdPattern.test(project)) throw vertexConfigError(endpoint, 'needs options.project (the Google Cloud project id).');
  if (!resourceIdPattern.test(location)) throw vertexConfigError(endpoint, 'has an invalid options.location.');
  return { project, location, serviceAccount: options.serviceAccount };
}

/** The regional host, or the global one (https://cloud.google.com/vertex-ai/generative-ai/docs/learn/locations). */
export function vertexBaseUrl(location: string): string {
  return location === 'global' ? 'https://aiplatform.googleapis.com' : `https://${location}-aiplatform.googleapis.com`;
}

/** An explicit baseUrl (a proxy or a simulator) wins; an unset or Gemini-default one means the location's host. */
function vertexHost(endpoint: ProviderEndpoint, settings: VertexSettings): string {
  const configured = trimSlash(endpoint.baseUrl ?? '');
  return configured === '' || configured === geminiDefaultBaseUrl ? vertexBaseUrl(settings.location) : configured;
}

export function vertexModelUrl(endpoint: ProviderEndpoint, upstreamModel: string, action: string): string {
  const settings = readVertexSettings(endpoint);
  const path = `/v1/projects/${settings.project}/locations/${settings.location}/publishers/google/models/${modelId(upstreamModel)}`;
  return `${vertexHost(endpoint, settings)}${path}:${action}`;
}

async function vertexAccessToken(endpoint: ProviderEndpoint, options: TokenExchangeOptions): Promise<string> {
  const { serviceAccount } = readVertexSettings(endpoint);
  if (serviceAccount !== undefined) return getVertexAccessToken(parseServiceAccount(serviceAccount), options);
  if (endpoint.apiKey !== undefined && endpoint.apiKey !== '') return endpoint.apiKey;
  return getVertexDefaultAccessToken(options);
}

/** Gemini on Vertex AI: the same body and responses, a project-scoped URL and OAuth bearer tokens. */
export function createVertexAdapter(options: TokenExchangeOptions = {}): ProviderAdapter {
  return {
    type: 'vertex',
    streamFraming: 'sse',
    async buildChatRequest(request: ChatRequest, upstreamModel: string, endpoint: ProviderEndpoint): Promise<UpstreamRequest> {
      const url = vertexModelUrl(endpoint, upstreamModel, chatAction(request));
      const body = convertToGeminiRequest(request, upstreamModel);
      const token = await vertexAccessToken(endpoint, options);
      return postJson(url, endpoint, { authorization: `Bearer ${token}` }, body);
    },
    parseChatResponse: (body, upstreamModel) => parseGeminiResponse(body, upstreamModel, 'Vertex AI'),
    createStreamDecoder: (upstreamModel) => new GeminiStreamDecoder(upstreamModel, { label: 'Vertex AI', provider: 'vertex' }),
    classifyError: (context: ErrorContext, endpoint: ProviderEndpoint) =>
      classifyGeminiError(context, { label: 'Vertex AI', provider: endpoint.name, secret: endpoint.apiKey }),
    async buildEmbeddingRequest(request: EmbeddingRequest, upstreamModel: string, endpoint: ProviderEndpoint): Promise<UpstreamRequest> {
      const url = vertexModelUrl(endpoint, upstreamModel, 'predict');
      const token = await vertexAccessToken(endpoint, options);
      return postJson(url, endpoint, { authorization: `Bearer ${token}` }, convertToVertexEmbeddingBody(request));
    },
    // gemini-embedding-001 takes one instance per call on Vertex, the text-embedding models up to 250
    // (https://cloud.google.com/vertex-ai/generative-ai/docs/embeddings/get-text-embeddings).
    embeddingBatchSize: (upstreamModel: string) => (upstreamModel.includes('gemini-embedding') ? 1 : 250),
    parseEmbeddingResponse: parseVertexEmbeddingResponse,
  };
}

export const vertexAdapter: ProviderAdapter = createVertexAdapter();
