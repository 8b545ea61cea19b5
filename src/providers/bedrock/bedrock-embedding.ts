import { emptyUsage, type EmbeddingRequest, type EmbeddingResponse } from '../../core/canonical.js';
import { GatewayError } from '../../core/errors.js';
import { headerValue } from '../shared/header-value.js';
import { asArray, isRecord } from '../shared/json-read.js';

/**
 * Bedrock's embedding models answer InvokeModel with bodies of their own, so the family is read from the model id
 * (which may carry a cross-region prefix such as `us.`):
 * - Amazon Titan Text Embeddings v1/v2: one text per call (the gateway sends longer requests in batches)
 *   (https://docs.aws.amazon.com/bedrock/latest/userguide/model-parameters-titan-embed-text.html);
 * - Cohere Embed v3/v4: up to 96 texts per call
 *   (https://docs.aws.amazon.com/bedrock/latest/userguide/model-parameters-embed.html).
 */
export type BedrockEmbeddingFamily = 'titan' | 'cohere';

export function bedrockEmbeddingFamily(upstreamModel: string): BedrockEmbeddingFamily {
  if (upstreamModel.includes('titan-embed-text')) return 'titan';
  if (upstreamModel.includes('cohere.embed')) return 'cohere';
  throw new GatewayError(
    'invalid_request',
    `Bedrock model "${upstreamModel}" is not a supported embedding model: use Amazon Titan Text Embeddings (amazon.titan-embed-text-v1 or -v2:0) or Cohere Embed (cohere.embed-*).`,
    { param: 'model' },
  );
}

const cohereMaxTexts = 96;

/** Titan embeds one text per call and Cohere up to 96: longer requests are sent in batches of that size. */
export function bedrockEmbeddingBatchSize(upstreamModel: string): number {
  return bedrockEmbeddingFamily(upstreamModel) === 'titan' ? 1 : cohereMaxTexts;
}

export function convertToBedrockEmbeddingBody(request: EmbeddingRequest, upstreamModel: string): Record<string, unknown> {
  const family = bedrockEmbeddingFamily(upstreamModel);
  if (family === 'titan') {
    if (request.input.length !== 1) {
      throw new GatewayError('invalid_request', `Titan embedding models on Bedrock embed one text per call; this call has ${request.input.length}.`, { param: 'input' });
    }
    const body: Record<string, unknown> = { inputText: request.input[0] };
    if (request.dimensions !== undefined) body.dimensions = request.dimensions;
    return body;
  }
  if (request.input.length > cohereMaxTexts) {
    throw new GatewayError('invalid_request', `Cohere Embed on Bedrock takes at most ${cohereMaxTexts} texts per request; this request has ${request.input.length}.`, { param: 'input' });
  }
  // The OpenAI-style request says nothing about the use; documents is the general-purpose choice.
  const body: Record<string, unknown> = { texts: request.input, input_type: 'search_document' };
  if (request.dimensions !== undefined) body.output_dimension = request.dimensions;
  return body;
}

function vectors(value: unknown): number[][] {
  return asArray(value).map((vector) => asArray(vector).filter((item): item is number => typeof item === 'number'));
}

function headerNumber(headers: Record<string, string | string[] | undefined> | undefined, name: string): number | undefined {
  const value = headerValue(headers, name);
  const number = value === undefined ? Number.NaN : Number(value);
  return Number.isFinite(number) ? number : undefined;
}

/**
 * Titan reports `inputTextTokenCount` in the body; Cohere's body has no usage, and Bedrock then reports the input
 * tokens in the `x-amzn-bedrock-input-token-count` header.
 */
export function parseBedrockEmbeddingResponse(body: unknown, upstreamModel: string, headers?: Record<string, string | string[] | undefined>): EmbeddingResponse {
  if (!isRecord(body)) throw new GatewayError('upstream_error', 'Bedrock returned an embedding response that is not an object.', { provider: 'bedrock' });
  const headerTokens = headerNumber(headers, 'x-amzn-bedrock-input-token-count');
  let embeddings: number[][];
  let tokens = headerTokens;
  if (Array.isArray(body.embedding)) {
    embeddings = vectors([body.embedding]);
    if (typeof body.inputTextTokenCount === 'number') tokens = body.inputTextTokenCount;
  } else if (Array.isArray(body.embeddings)) embeddings = vectors(body.embeddings);
  else if (isRecord(body.embeddings) && Array.isArray(body.embeddings.float)) embeddings = vectors(body.embeddings.float);
  else throw new GatewayError('upstream_error', `Bedrock returned no float embeddings for "${upstreamModel}".`, { provider: 'bedrock' });
  return { model: upstreamModel, embeddings, usage: tokens === undefined ? undefined : { ...emptyUsage(), inputTokens: tokens } };
}
