import type { EmbeddingRequest, EmbeddingResponse } from '../../core/canonical.js';
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
