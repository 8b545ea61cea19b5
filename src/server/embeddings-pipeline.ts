import type { EmbeddingRequest, Usage } from '../core/canonical.js';
import type { Deployment } from '../core/deployment.js';
import { GatewayError } from '../core/errors.js';
import { countTokens } from '../ledger/token-estimator.js';
import { sendUpstreamBuffered } from '../providers/shared/http-client.js';
import { finishAttempt } from '../routing/attempt-record.js';
import { runAttempts } from '../routing/attempt-loop.js';
import type { ExecutionContext } from '../routing/executor.js';
import { embeddingsUnsupported } from './openai/embeddings.js';

/** Sends an embedding request through the attempt loop (retries, fallbacks, circuit breakers), skipping targets without embeddings. */
export function executeEmbeddings(request: EmbeddingRequest, targets: Deployment[], context: ExecutionContext) {
  const capable = targets.filter((deployment) => deployment.adapter.buildEmbeddingRequest && deployment.adapter.parseEmbeddingResponse);
  if (capable.length === 0) return Promise.reject(embeddingsUnsupported(targets[0]?.provider ?? request.model));
  return runAttempts(capable, context, async (deployment, record, started) => {
    const adapter = deployment.adapter as Required<Pick<typeof deployment.adapter, 'buildEmbeddingRequest' | 'parseEmbeddingResponse'>> & typeof deployment.adapter;
    const upstream = await adapter.buildEmbeddingRequest(request, deployment.upstreamModel, deployment.endpoint);
    const response = await sendUpstreamBuffered(upstream, { provider: deployment.provider, timeouts: deployment.timeouts });
    const text = response.body.toString('utf8');
    if (response.status >= 400) throw adapter.classifyError({ status: response.status, headers: response.headers, body: text }, deployment.endpoint);
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch (cause) {
      throw new GatewayError('upstream_error', `Provider "${deployment.provider}" returned a body that is not JSON.`, { provider: deployment.provider, cause });
    }
    const parsed = adapter.parseEmbeddingResponse(body, deployment.upstreamModel, response.headers);
    const usage: Usage = parsed.usage ?? { inputTokens: request.input.reduce((sum, item) => sum + countTokens(item), 0), cacheReadTokens: 0, cacheWriteTokens: 0, outputTokens: 0, reasoningTokens: 0, estimated: true };
    finishAttempt(record, deployment, { status: 200, usage }, started);
    context.attempts.push(record);
    context.health?.recordAttempt(deployment.model, { success: true, countsAgainstHealth: false, latencyMs: record.latencyMs });
    return { kind: 'done' as const, value: { deployment, response: parsed, usage } };
  });
}
