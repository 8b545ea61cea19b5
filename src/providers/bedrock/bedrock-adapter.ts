import type { ChatRequest, EmbeddingRequest } from '../../core/canonical.js';
import type { ProviderAdapter, ProviderEndpoint, UpstreamRequest } from '../../core/provider.js';
import { bedrockEmbeddingBatchSize, convertToBedrockEmbeddingBody, parseBedrockEmbeddingResponse } from './bedrock-embedding.js';
import { classifyBedrockError } from './bedrock-error.js';
import { parseBedrockResponse } from './bedrock-response.js';
import { BedrockStreamDecoder } from './bedrock-stream.js';
import { convertToBedrockRequest } from './convert-to-bedrock-request.js';
import { cachePointSupport } from './bedrock-cache-points.js';
import { withAutomaticBreakpoints } from '../shared/prompt-cache-breakpoints.js';
import { profileRegion, resolveAwsCredentials, staticAwsCredentials, stringOption } from './aws-credentials.js';
import { signRequest } from './sigv4.js';

const defaultRegion = 'us-east-1';

/** An explicitly configured region: options, then the environment the AWS SDKs read. */
export function bedrockRegion(endpoint: ProviderEndpoint): string {
  return configuredRegion(endpoint) ?? defaultRegion;
}

function configuredRegion(endpoint: ProviderEndpoint): string | undefined {
  return stringOption(endpoint, 'region', 'AWS_REGION', 'AWS_DEFAULT_REGION') ?? nonEmpty(process.env.AWS_REGION) ?? nonEmpty(process.env.AWS_DEFAULT_REGION);
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value === '' ? undefined : value;
}

/** The configured region, else the `region` of the AWS profile in the shared config file, else us-east-1. */
async function resolveRegion(endpoint: ProviderEndpoint): Promise<string> {
  return configuredRegion(endpoint) ?? (await profileRegion(stringOption(endpoint, 'profile'))) ?? defaultRegion;
}

function baseUrlFor(endpoint: ProviderEndpoint, region: string): string {
  const base = endpoint.baseUrl ? endpoint.baseUrl : `https://bedrock-runtime.${region}.amazonaws.com`;
  return base.replace(/\/+$/, '');
}

export function bedrockBaseUrl(endpoint: ProviderEndpoint): string {
  return baseUrlFor(endpoint, bedrockRegion(endpoint));
}

/**
 * Signs with SigV4 when an access key is configured or the AWS default credential chain finds one; sends a Bedrock
 * API key as a bearer token when only `apiKey` is set (https://docs.aws.amazon.com/bedrock/latest/userguide/api-keys-use.html).
 */
async function authorize(request: UpstreamRequest, endpoint: ProviderEndpoint, region: string): Promise<UpstreamRequest> {
  if (endpoint.apiKey && !staticAwsCredentials(endpoint)) {
    return { ...request, headers: { ...request.headers, authorization: `Bearer ${endpoint.apiKey}` } };
  }
  const credentials = await resolveAwsCredentials(endpoint);
  const headers = signRequest({
    method: request.method,
    url: request.url,
    headers: request.headers,
    body: request.body,
    credentials,
    region,
    service: 'bedrock',
    date: new Date(),
  });
  return { ...request, headers };
}

/** The Converse body, with `promptCache: auto` checkpoints on models that take them. */
export function bedrockRequestBody(request: ChatRequest, upstreamModel: string): ReturnType<typeof convertToBedrockRequest> {
  const support = request.promptCache === 'auto' ? cachePointSupport(upstreamModel) : undefined;
  return convertToBedrockRequest(support ? withAutomaticBreakpoints(request, support) : request, upstreamModel);
}

export async function buildBedrockChatRequest(request: ChatRequest, upstreamModel: string, endpoint: ProviderEndpoint): Promise<UpstreamRequest> {
  const operation = request.stream ? 'converse-stream' : 'converse';
  const region = await resolveRegion(endpoint);
  const unsigned: UpstreamRequest = {
    url: `${baseUrlFor(endpoint, region)}/model/${encodeURIComponent(upstreamModel)}/${operation}`,
    method: 'POST',
    headers: { ...endpoint.headers, 'content-type': 'application/json' },
    body: JSON.stringify(bedrockRequestBody(request, upstreamModel)),
  };
  return authorize(unsigned, endpoint, region);
}

export async function buildBedrockEmbeddingRequest(request: EmbeddingRequest, upstreamModel: string, endpoint: ProviderEndpoint): Promise<UpstreamRequest> {
  const region = await resolveRegion(endpoint);
  const unsigned: UpstreamRequest = {
    url: `${baseUrlFor(endpoint, region)}/model/${encodeURIComponent(upstreamModel)}/invoke`,
    method: 'POST',
    headers: { ...endpoint.headers, 'content-type': 'application/json', accept: 'application/json' },
    body: JSON.stringify(convertToBedrockEmbeddingBody(request, upstreamModel)),
  };
  return authorize(unsigned, endpoint, region);
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
