import type { CanonicalImageRequest } from '../../providers/images/image-adapter.js';
import { invalid, optionalBoolean, optionalNumber, optionalString, requireObject, requireString } from '../openai/field-reader.js';

const qualities = ['standard', 'hd', 'low', 'medium', 'high', 'auto'];
const styles = ['vivid', 'natural'];

function oneOf(value: string | undefined, allowed: string[], param: string): string | undefined {
  if (value !== undefined && !allowed.includes(value)) throw invalid(param, `expected one of ${allowed.map((item) => `"${item}"`).join(', ')}, got "${value}".`);
  return value;
}

/** Decodes an OpenAI `images.generate` body (https://platform.openai.com/docs/api-reference/images/create). */
export function decodeImageRequest(value: unknown): CanonicalImageRequest {
  const body = requireObject(value, 'body');
  const model = requireString(body.model, 'model');
  const prompt = requireString(body.prompt, 'prompt');
  if (prompt.trim() === '') throw invalid('prompt', 'must not be empty.');
  if (optionalBoolean(body.stream, 'stream') === true) throw invalid('stream', 'streamed image generation is not supported; omit stream.');
  const n = optionalNumber(body.n, 'n', { min: 1, max: 10, integer: true }) ?? 1;
  const format = oneOf(optionalString(body.response_format, 'response_format'), ['url', 'b64_json'], 'response_format');
  const request: CanonicalImageRequest = { model, prompt, n, responseFormat: format === 'b64_json' ? 'b64_json' : 'url' };
  const size = optionalString(body.size, 'size');
  if (size !== undefined) {
    if (size !== 'auto' && !/^[1-9]\d{0,4}x[1-9]\d{0,4}$/.test(size)) throw invalid('size', `expected WIDTHxHEIGHT (such as "1024x1024") or "auto", got "${size}".`);
    request.size = size;
  }
  const quality = oneOf(optionalString(body.quality, 'quality'), qualities, 'quality');
  if (quality !== undefined) request.quality = quality;
  const style = oneOf(optionalString(body.style, 'style'), styles, 'style');
  if (style !== undefined) request.style = style;
  const user = optionalString(body.user, 'user');
  if (user !== undefined) request.user = user;
  return request;
}
