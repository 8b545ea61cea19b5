import { GatewayError } from '../../core/errors.js';
import type { ErrorContext, ProviderEndpoint } from '../../core/provider.js';
import { classifyOpenAiError } from '../openai/openai-error.js';
import { asArray, asNumber, asRecord, asString, isRecord } from '../shared/json-read.js';
import type { CanonicalImageRequest, GeneratedImage, ImageAdapter, ImageResult } from './image-adapter.js';

/** GPT Image models always answer base64 and reject `response_format` and `style` (https://platform.openai.com/docs/api-reference/images/create). */
function isGptImage(upstreamModel: string): boolean {
  return upstreamModel.startsWith('gpt-image');
}

export function convertToOpenAiImageRequest(request: CanonicalImageRequest, upstreamModel: string): Record<string, unknown> {
  const body: Record<string, unknown> = { model: upstreamModel, prompt: request.prompt, n: request.n };
  if (request.size !== undefined) body.size = request.size;
  if (request.quality !== undefined) body.quality = request.quality;
  if (!isGptImage(upstreamModel)) {
    body.response_format = request.responseFormat;
    if (request.style !== undefined) body.style = request.style;
  }
  if (request.user !== undefined) body.user = request.user;
  return body;
}

function toImage(value: unknown): GeneratedImage {
  const item = asRecord(value);
  const image: GeneratedImage = {};
  const b64 = asString(item.b64_json);
  const url = asString(item.url);
  const revised = asString(item.revised_prompt);
  if (b64 !== undefined) image.b64 = b64;
  if (url !== undefined) image.url = url;
  if (revised !== undefined) image.revisedPrompt = revised;
  return image;
}

/** Parses an ImagesResponse: `data[]` of `url` or `b64_json`, and token `usage` for GPT Image models. */
export function parseOpenAiImageResponse(body: unknown): ImageResult {
  const response = asRecord(body);
  const images = asArray(response.data).map(toImage).filter((image) => image.b64 !== undefined || image.url !== undefined);
  if (images.length === 0) throw new GatewayError('upstream_error', 'The OpenAI images provider returned no image.');
  const result: ImageResult = { images, created: asNumber(response.created) || Math.floor(Date.now() / 1000) };
  if (isRecord(response.usage)) {
    const usage = response.usage;
    result.usage = { inputTokens: asNumber(usage.input_tokens), cacheReadTokens: 0, cacheWriteTokens: 0, outputTokens: asNumber(usage.output_tokens), reasoningTokens: 0, raw: usage };
  }
  return result;
}

function errorCode(body: string): string | undefined {
  try {
    return asString(asRecord(asRecord(JSON.parse(body)).error).code);
  } catch {
    return undefined;
  }
}

/** OpenAI's error envelope, with a refused prompt reported as content_filtered rather than a malformed request. */
export function classifyOpenAiImageError(context: ErrorContext, endpoint: ProviderEndpoint): GatewayError {
  const error = classifyOpenAiError(context, endpoint);
  if (errorCode(context.body) !== 'content_policy_violation') return error;
  return new GatewayError('content_filtered', error.message, {
    provider: endpoint.name,
    upstreamStatus: context.status,
    ...(error.retryAfterMs === undefined ? {} : { retryAfterMs: error.retryAfterMs }),
  });
}

function openAiUrl(endpoint: ProviderEndpoint): string {
  return `${endpoint.baseUrl.replace(/\/+$/, '')}/images/generations`;
}

/** Azure addresses a deployment, not a model (https://learn.microsoft.com/azure/ai-services/openai/reference#image-generation). */
function azureUrl(endpoint: ProviderEndpoint, upstreamModel: string): string {
  const apiVersion = typeof endpoint.options?.apiVersion === 'string' ? endpoint.options.apiVersion : '2024-10-21';
  const deployment = typeof endpoint.options?.deployment === 'string' ? endpoint.options.deployment : upstreamModel;
  return `${endpoint.baseUrl.replace(/\/+$/, '')}/openai/deployments/${encodeURIComponent(deployment)}/images/generations?api-version=${encodeURIComponent(apiVersion)}`;
}

function createOpenAiImageAdapter(type: 'openai' | 'azure-openai'): ImageAdapter {
  return {
    type,
    buildImageRequest(request, upstreamModel, endpoint) {
      const headers: Record<string, string> = { 'content-type': 'application/json', ...endpoint.headers };
      if (endpoint.apiKey) {
        if (type === 'azure-openai') headers['api-key'] = endpoint.apiKey;
        else headers.authorization = `Bearer ${endpoint.apiKey}`;
      }
      const url = type === 'azure-openai' ? azureUrl(endpoint, upstreamModel) : openAiUrl(endpoint);
      return { url, method: 'POST', headers, body: JSON.stringify(convertToOpenAiImageRequest(request, upstreamModel)) };
    },
    parseImageResponse: (body) => parseOpenAiImageResponse(body),
    classifyError: classifyOpenAiImageError,
  };
}

/** OpenAI's Images API: POST {baseUrl}/images/generations. */
export const openAiImageAdapter = createOpenAiImageAdapter('openai');
export const azureOpenAiImageAdapter = createOpenAiImageAdapter('azure-openai');
