import { emptyUsage, type EmbeddingRequest, type EmbeddingResponse } from '../../core/canonical.js';
import { GatewayError } from '../../core/errors.js';
import { asArray, asRecord, isRecord } from '../shared/json-read.js';

/** Body of `models/{model}:batchEmbedContents` (https://ai.google.dev/api/embeddings#method:-models.batchembedcontents). */
export function convertToGeminiEmbeddingBody(request: EmbeddingRequest, modelId: string): Record<string, unknown> {
  return {
    requests: request.input.map((text) => {
      const item: Record<string, unknown> = { model: `models/${modelId}`, content: { parts: [{ text }] } };
      if (request.dimensions !== undefined) item.outputDimensionality = request.dimensions;
      return item;
    }),
  };
}

/** Gemini reports no token usage for embeddings, so usage is left for the gateway to estimate. */
export function parseGeminiEmbeddingResponse(body: unknown, upstreamModel: string): EmbeddingResponse {
  if (!isRecord(body) || !Array.isArray(body.embeddings)) {
    throw new GatewayError('upstream_error', 'Gemini returned an embedding response without embeddings.', { provider: 'gemini' });
  }
  const embeddings = body.embeddings.map((item) => asArray(asRecord(item).values).filter((value): value is number => typeof value === 'number'));
  return { model: upstreamModel, embeddings, usage: undefined };
}

/**
 * Body of a Vertex AI text-embedding `:predict` call: one instance per input
 * (https://cloud.google.com/vertex-ai/generative-ai/docs/model-reference/text-embeddings-api). How many a call may
 * carry depends on the model; the adapter's batch size keeps each call within it.
 */
export function convertToVertexEmbeddingBody(request: EmbeddingRequest): Record<string, unknown> {
  const body: Record<string, unknown> = { instances: request.input.map((content) => ({ content })) };
  if (request.dimensions !== undefined) body.parameters = { outputDimensionality: request.dimensions };
  return body;
}

/** Vertex reports the tokens of each input in `statistics.token_count`; their sum is the request's input usage. */
export function parseVertexEmbeddingResponse(body: unknown, upstreamModel: string): EmbeddingResponse {
  if (!isRecord(body) || !Array.isArray(body.predictions)) {
    throw new GatewayError('upstream_error', 'Vertex AI returned an embedding response without predictions.', { provider: 'vertex' });
  }
  let tokens = 0;
  let counted = false;
  const embeddings = body.predictions.map((prediction) => {
    const embedding = asRecord(asRecord(prediction).embeddings);
    const count = asRecord(embedding.statistics).token_count;
    if (typeof count === 'number') {
      tokens += count;
      counted = true;
    }
    return asArray(embedding.values).filter((value): value is number => typeof value === 'number');
  });
  return { model: upstreamModel, embeddings, usage: counted ? { ...emptyUsage(), inputTokens: tokens } : undefined };
}
