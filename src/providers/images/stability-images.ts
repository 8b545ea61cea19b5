import { GatewayError } from '../../core/errors.js';
import type { ProviderEndpoint } from '../../core/provider.js';
import { asRecord, asString } from '../shared/json-read.js';
import type { CanonicalImageRequest, ImageAdapter, ImageResult } from './image-adapter.js';
import { buildMultipartForm } from './multipart.js';
import { classifyStabilityError } from './stability-error.js';

export const stabilityDefaultBaseUrl = 'https://api.stability.ai';

/** The aspect ratios Stable Image endpoints accept (https://platform.stability.ai/docs/api-reference#tag/Generate). */
const aspectRatios = ['21:9', '16:9', '3:2', '5:4', '1:1', '4:5', '2:3', '9:16', '9:21'] as const;

function ratioOf(aspect: string): number {
  const [width, height] = aspect.split(':').map(Number);
  return (width as number) / (height as number);
}

/** The accepted aspect ratio nearest to a `WIDTHxHEIGHT` size; undefined for `auto` or no size. */
export function aspectRatioFor(size: string | undefined): string | undefined {
  if (size === undefined || size === 'auto') return undefined;
  const match = /^(\d+)x(\d+)$/.exec(size);
  const width = Number(match?.[1]);
  const height = Number(match?.[2]);
  if (!match || width <= 0 || height <= 0) throw new GatewayError('invalid_request', `size: expected WIDTHxHEIGHT or "auto", got "${size}".`, { param: 'size' });
  const wanted = Math.log(width / height);
  let best: string = '1:1';
  for (const aspect of aspectRatios) {
    if (Math.abs(Math.log(ratioOf(aspect)) - wanted) < Math.abs(Math.log(ratioOf(best)) - wanted)) best = aspect;
  }
  return best;
}

/** Which Stable Image endpoint serves a model: Ultra, the SD3 family (named in a `model` field), or Core. */
export function stabilityOperation(upstreamModel: string): { path: string; modelField: string | undefined } {
  const model = upstreamModel.toLowerCase();
  if (model.includes('ultra')) return { path: 'ultra', modelField: undefined };
  if (model.startsWith('sd3')) return { path: 'sd3', modelField: upstreamModel };
  return { path: 'core', modelField: undefined };
}

export function buildStabilityFields(request: CanonicalImageRequest, upstreamModel: string): Array<[string, string]> {
  if (request.n !== 1) {
    throw new GatewayError('invalid_request', `n: Stability AI generates one image per request; send n=1 (got ${request.n}).`, { param: 'n' });
  }
  const fields: Array<[string, string]> = [['prompt', request.prompt], ['output_format', 'png']];
  const aspect = aspectRatioFor(request.size);
  if (aspect !== undefined) fields.push(['aspect_ratio', aspect]);
  const { modelField } = stabilityOperation(upstreamModel);
  if (modelField !== undefined) fields.push(['model', modelField]);
  return fields;
}

/** `accept: application/json` makes Stability answer `{image, finish_reason, seed}` instead of raw image bytes. */
export function parseStabilityImageResponse(body: unknown, contentType: string | undefined): ImageResult {
  if (contentType !== undefined && !contentType.toLowerCase().includes('json')) {
    throw new GatewayError('upstream_error', `The Stability AI provider answered ${contentType} instead of JSON.`);
  }
  const response = asRecord(body);
  if (response.finish_reason === 'CONTENT_FILTERED') {
    throw new GatewayError('content_filtered', 'The Stability AI provider filtered the generated image as unsafe.');
  }
  const image = asString(response.image);
  if (!image) throw new GatewayError('upstream_error', 'The Stability AI provider returned no image.');
  return { images: [{ b64: image }], created: Math.floor(Date.now() / 1000) };
}

function baseUrl(endpoint: ProviderEndpoint): string {
  return (endpoint.baseUrl || stabilityDefaultBaseUrl).replace(/\/+$/, '');
}

/** Stability AI's Stable Image API: POST {baseUrl}/v2beta/stable-image/generate/{core|sd3|ultra}, multipart form. */
export const stabilityImageAdapter: ImageAdapter = {
  type: 'stability',
  buildImageRequest(request, upstreamModel, endpoint) {
    const form = buildMultipartForm(buildStabilityFields(request, upstreamModel));
    const headers: Record<string, string> = { 'content-type': form.contentType, accept: 'application/json', ...endpoint.headers };
    if (endpoint.apiKey) headers.authorization = `Bearer ${endpoint.apiKey}`;
    const { path } = stabilityOperation(upstreamModel);
    return { url: `${baseUrl(endpoint)}/v2beta/stable-image/generate/${path}`, method: 'POST', headers, body: form.body };
  },
  parseImageResponse: parseStabilityImageResponse,
  classifyError: classifyStabilityError,
};
