import type { Usage } from '../../core/canonical.js';
import type { GatewayError } from '../../core/errors.js';
import type { ErrorContext, ProviderEndpoint, UpstreamRequest } from '../../core/provider.js';

/** One image generation request, decoded at the edge; neither OpenAI's nor Stability's wire format. */
export interface CanonicalImageRequest {
  /** The name the client asked for; adapters use the deployment's upstream model instead. */
  model: string;
  prompt: string;
  /** How many images to generate. */
  n: number;
  /** `WIDTHxHEIGHT` or `auto`. */
  size?: string;
  quality?: string;
  style?: string;
  /** How the client wants each image delivered; providers that only return data answer `b64_json` either way. */
  responseFormat: 'url' | 'b64_json';
  user?: string;
}

export interface GeneratedImage {
  b64?: string;
  url?: string;
  revisedPrompt?: string;
}

export interface ImageResult {
  images: GeneratedImage[];
  /** Unix seconds, as the provider reported it or when the answer was parsed. */
  created: number;
  /** Token usage, for providers that price image models by tokens as well. */
  usage?: Usage;
}

/** An image generation wire format. Pure translation, like a chat adapter: no I/O. */
export interface ImageAdapter {
  readonly type: string;
  buildImageRequest(request: CanonicalImageRequest, upstreamModel: string, endpoint: ProviderEndpoint): UpstreamRequest;
  /** `body` is the parsed JSON answer; `contentType` its Content-Type header. */
  parseImageResponse(body: unknown, contentType: string | undefined): ImageResult;
  classifyError(context: ErrorContext, endpoint: ProviderEndpoint): GatewayError;
}
