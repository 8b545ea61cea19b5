import { GatewayError } from '../../core/errors.js';
import type { ProviderAdapter } from '../../core/provider.js';
import { classifyStabilityError } from './stability-error.js';

function imagesOnly(): GatewayError {
  return new GatewayError('invalid_request', 'Stability AI serves images only; call POST /v1/images/generations with this model.', { param: 'model' });
}

/** The chat side of the `stability` provider type, which every provider type needs: it refuses chat before any I/O. */
export const stabilityChatAdapter: ProviderAdapter = {
  type: 'stability',
  streamFraming: 'sse',
  buildChatRequest() {
    throw imagesOnly();
  },
  parseChatResponse() {
    throw imagesOnly();
  },
  createStreamDecoder() {
    return {
      decode: () => [{ type: 'error', error: imagesOnly() }],
      end: () => [],
    };
  },
  classifyError: classifyStabilityError,
};
