import type { IncomingMessage, ServerResponse } from 'node:http';
import { runAccounted, type AccountedCall } from './accounted-request.js';
import type { Principal } from './auth/key-service.js';
import { executeEmbeddings } from './embeddings-pipeline.js';
import type { Gateway } from './gateway.js';
import { readJsonBody } from './http-body.js';
import { decodeEmbeddingRequest, encodeEmbeddingResponse } from './openai/embeddings.js';

/** POST /v1/embeddings, recorded in the ledger as endpoint `embeddings`. */
export async function runEmbeddings(gateway: Gateway, http: { request: IncomingMessage; response: ServerResponse }, principal: Principal, call: AccountedCall): Promise<void> {
  const embedding = decodeEmbeddingRequest(await readJsonBody(http.request, gateway.config.server));
  await runAccounted(gateway, http, principal, call, {
    endpoint: 'embeddings',
    model: embedding.model,
    user: embedding.user,
    spend: { inputTokens: Math.ceil(embedding.input.reduce((sum, text) => sum + text.length, 0) / 4), maxTokens: 0 },
    execute: async (targets, context) => {
      const outcome = await executeEmbeddings(embedding, targets, context);
      return encodeEmbeddingResponse(outcome.response, embedding, outcome.usage.inputTokens);
    },
  });
}
