import type { EmbeddingRequest, Usage } from '../core/canonical.js';
import type { Deployment } from '../core/deployment.js';
import { GatewayError, toGatewayError } from '../core/errors.js';
import { countTokens } from '../ledger/token-estimator.js';
import { sendUpstream } from '../providers/shared/http-client.js';
import { finishAttempt, startAttempt } from '../routing/attempt-record.js';
import type { ExecutionContext } from '../routing/executor.js';
import { embeddingsUnsupported } from './openai/embeddings.js';

/** Sends an embedding request through the attempts in order; embeddings have no streams, so this stays small. */
export async function executeEmbeddings(request: EmbeddingRequest, attempts: Deployment[], context: ExecutionContext) {
  let lastError: GatewayError | undefined;
  for (const deployment of attempts) {
    const { adapter } = deployment;
    if (!adapter.buildEmbeddingRequest || !adapter.parseEmbeddingResponse) {
      lastError = embeddingsUnsupported(deployment.provider);
      continue;
    }
    const record = startAttempt(deployment, context.attempts.length);
    const started = performance.now();
    try {
      const upstream = adapter.buildEmbeddingRequest(request, deployment.upstreamModel, deployment.endpoint);
      const response = await sendUpstream(upstream, { provider: deployment.provider, timeouts: deployment.timeouts, signal: context.signal });
      const text = await response.body.text();
      if (response.status >= 400) throw adapter.classifyError({ status: response.status, headers: response.headers, body: text }, deployment.endpoint);
      let body: unknown;
      try {
        body = JSON.parse(text);
      } catch (cause) {
        throw new GatewayError('upstream_error', `Provider "${deployment.provider}" returned a body that is not JSON.`, { provider: deployment.provider, cause });
      }
      const parsed = adapter.parseEmbeddingResponse(body, deployment.upstreamModel);
      const usage: Usage = parsed.usage ?? { inputTokens: request.input.reduce((sum, item) => sum + countTokens(item), 0), cacheReadTokens: 0, cacheWriteTokens: 0, outputTokens: 0, reasoningTokens: 0, estimated: true };
      finishAttempt(record, deployment, { status: 200, usage }, started);
      context.attempts.push(record);
      return { deployment, response: parsed, usage };
    } catch (caught) {
      const error = toGatewayError(caught);
      finishAttempt(record, deployment, { status: error.upstreamStatus ?? error.status, error }, started);
      context.attempts.push(record);
      lastError = error;
      if (!error.retryable) break;
    }
  }
  throw lastError ?? new GatewayError('model_not_found', `No target for "${request.model}".`);
}
