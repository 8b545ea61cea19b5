import type { IncomingMessage, ServerResponse } from 'node:http';
import { runAccounted, type AccountedCall } from '../accounted-request.js';
import type { Principal } from '../auth/key-service.js';
import type { Gateway } from '../gateway.js';
import { readJsonBody } from '../http-body.js';
import { decodeImageRequest } from './decode-image-request.js';
import { encodeImageResponse } from './encode-image-response.js';
import { executeImages } from './images-pipeline.js';

/** POST /v1/images/generations: OpenAI's images.generate, recorded in the ledger as endpoint `images`. */
export async function runImages(gateway: Gateway, http: { request: IncomingMessage; response: ServerResponse }, principal: Principal, call: AccountedCall): Promise<void> {
  const image = decodeImageRequest(await readJsonBody(http.request, gateway.config.server));
  await runAccounted(gateway, http, principal, call, {
    endpoint: 'images',
    model: image.model,
    user: image.user,
    spend: { inputTokens: Math.ceil(image.prompt.length / 4), maxTokens: 0, images: image.n },
    execute: async (targets, context) => encodeImageResponse((await executeImages(image, targets, context)).result),
  });
}
