import type { EmbeddingRequest, EmbeddingResponse } from '../../core/canonical.js';
import { GatewayError } from '../../core/errors.js';
import { invalid, optionalNumber, optionalString, requireObject, requireString } from './field-reader.js';

export function decodeEmbeddingRequest(value: unknown): EmbeddingRequest {
  const body = requireObject(value, 'body');
  const model = requireString(body.model, 'model');
  let input: string[];
  if (typeof body.input === 'string') input = [body.input];
  else if (Array.isArray(body.input) && body.input.length > 0 && body.input.every((item) => typeof item === 'string')) input = body.input as string[];
  else throw invalid('input', 'expected a string or a non-empty array of strings.');
  const request: EmbeddingRequest = { model, input };
  const dimensions = optionalNumber(body.dimensions, 'dimensions', { min: 1, integer: true });
  if (dimensions !== undefined) request.dimensions = dimensions;
  const format = optionalString(body.encoding_format, 'encoding_format');
  if (format !== undefined) {
    if (format !== 'float' && format !== 'base64') throw invalid('encoding_format', 'expected "float" or "base64".');
    request.encodingFormat = format;
  }
  const user = optionalString(body.user, 'user');
  if (user !== undefined) request.user = user;
  return request;
}

function toBase64(values: number[]): string {
  return Buffer.from(new Float32Array(values).buffer).toString('base64');
}

export function encodeEmbeddingResponse(response: EmbeddingResponse, request: EmbeddingRequest, inputTokens: number): Record<string, unknown> {
  return {
    object: 'list',
    data: response.embeddings.map((embedding, index) => ({ object: 'embedding', index, embedding: request.encodingFormat === 'base64' ? toBase64(embedding) : embedding })),
    model: request.model,
    usage: { prompt_tokens: inputTokens, total_tokens: inputTokens },
  };
}

export function embeddingsUnsupported(provider: string): GatewayError {
  return new GatewayError('invalid_request', `Provider "${provider}" has no embeddings endpoint; choose an embedding model of another provider.`, { param: 'model' });
}
