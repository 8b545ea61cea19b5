import type { ChatRequest, EmbeddingRequest } from '../../core/canonical.js';
import { GatewayError } from '../../core/errors.js';
import type { ProviderAdapter, ProviderEndpoint, UpstreamRequest } from '../../core/provider.js';
import { bedrockEmbeddingBatchSize, convertToBedrockEmbeddingBody, parseBedrockEmbeddingResponse } from './bedrock-embedding.js';
import { classifyBedrockError } from './bedrock-error.js';
import { parseBedrockResponse } from './bedrock-response.js';
import { BedrockStreamDecoder } from './bedrock-stream.js';
import { convertToBedrockRequest } from './convert-to-bedrock-request.js';
import { signRequest, type AwsCredentials } from './sigv4.js';

const defaultRegion = 'us-east-1';

function option(endpoint: ProviderEndpoint, ...names: string[]): string | undefined {
  for (const name of names) {
    const value = endpoint.options?.[name];
    if (typeof value === 'string' && value !== '') return value;
  }
  return undefined;
}

export function bedrockRegion(endpoint: ProviderEndpoint): string {
  return option(endpoint, 'region', 'AWS_REGION', 'AWS_DEFAULT_REGION') ?? defaultRegion;
}

export function bedrockBaseUrl(endpoint: ProviderEndpoint): string {
  const base = endpoint.baseUrl ? endpoint.baseUrl : `https://bedrock-runtime.${bedrockRegion(endpoint)}.amazonaws.com`;
  return base.replace(/\/+$/, '');
}

function credentialsOf(endpoint: ProviderEndpoint): AwsCredentials | undefined {
  const accessKeyId = option(endpoint, 'accessKeyId', 'AWS_ACCESS_KEY_ID');
  const secretAccessKey = option(endpoint, 'secretAccessKey', 'AWS_SECRET_ACCESS_KEY');
  if (!accessKeyId || !secretAccessKey) return undefined;
  const sessionToken = option(endpoint, 'sessionToken', 'AWS_SESSION_TOKEN');
  return sessionToken ? { accessKeyId, secretAccessKey, sessionToken } : { accessKeyId, secretAccessKey };
}

/**
 * Signs with SigV4 when an access key is configured; otherwise sends a Bedrock API key as a bearer token.
 * https://docs.aws.amazon.com/bedrock/latest/userguide/api-keys-use.html
 */
function authorize(request: UpstreamRequest, endpoint: ProviderEndpoint): UpstreamRequest {
  const credentials = credentialsOf(endpoint);
  if (credentials) {
    const headers = signRequest({
      method: request.method,
      url: request.url,
      headers: request.headers,
      body: request.body,
      credentials,
      region: bedrockRegion(endpoint),
      service: 'bedrock',
      date: new Date(),
    });
    return { ...request, headers };
  }
  if (endpoint.apiKey) return { ...request, headers: { ...request.headers, authorization: `Bearer ${endpoint.apiKey}` } };
  throw new GatewayError(
    'upstream_authentication_failed',
    `Bedrock provider '${endpoint.name}' has no credentials: set accessKeyId and secretAccessKey (or a Bedrock API key as apiKey).`,
    { provider: endpoint.name },
  );
}

export function buildBedrockChatRequest(request: ChatRequest, upstreamModel: string, endpoint: ProviderEndpoint): UpstreamRequest {
  const operation = request.stream ? 'converse-stream' : 'converse';
  const unsigned: UpstreamRequest = {
    url: `${bedrockBaseUrl(endpoint)}/model/${encodeURIComponent(upstreamModel)}/${operation}`,
    method: 'POST',
    headers: { ...endpoint.headers, 'content-type': 'application/json' },
    body: JSON.stringify(convertToBedrockRequest(request)),
  };
  return authorize(unsigned, endpoint);
}

export function buildBedrockEmbeddingRequest(request: EmbeddingRequest, upstreamModel: string, endpoint: ProviderEndpoint): UpstreamRequest {
  const unsigned: UpstreamRequest = {
    url: `${bedrockBaseUrl(endpoint)}/model/${encodeURIComponent(upstreamModel)}/invoke`,
    method: 'POST',
    headers: { ...endpoint.headers, 'content-type': 'application/json', accept: 'application/json' },
    body: JSON.stringify(convertToBedrockEmbeddingBody(request, upstreamModel)),
  };
  return authorize(unsigned, endpoint);
}

/** AWS Bedrock: chat through Converse and ConverseStream, embeddings through InvokeModel (Titan and Cohere bodies). */
export const bedrockAdapter: ProviderAdapter = {
  type: 'bedrock',
  streamFraming: 'aws-eventstream',
  buildChatRequest: buildBedrockChatRequest,
  parseChatResponse: parseBedrockResponse,
  createStreamDecoder: (upstreamModel) => new BedrockStreamDecoder(upstreamModel),
  classifyError: classifyBedrockError,
  buildEmbeddingRequest: buildBedrockEmbeddingRequest,
  embeddingBatchSize: bedrockEmbeddingBatchSize,
  parseEmbeddingResponse: parseBedrockEmbeddingResponse,
};
