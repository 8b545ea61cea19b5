import { emptyUsage, type EmbeddingRequest, type EmbeddingResponse, type Usage } from '../core/canonical.js';
import type { Deployment } from '../core/deployment.js';
import { GatewayError } from '../core/errors.js';
import type { ProviderAdapter } from '../core/provider.js';
import { countTokens } from '../ledger/token-estimator.js';
import { sendUpstreamBuffered } from '../providers/shared/http-client.js';
import { finishAttempt } from '../routing/attempt-record.js';
import { runAttempts, withTraceHeaders } from '../routing/attempt-loop.js';
import type { ExecutionContext } from '../routing/executor.js';
import { embeddingsUnsupported } from './openai/embeddings.js';

type EmbeddingAdapter = Required<Pick<ProviderAdapter, 'buildEmbeddingRequest' | 'parseEmbeddingResponse'>> & ProviderAdapter;

/** Batches of one request in flight at once, when a model takes fewer inputs per call than the client sent. */
const batchesInFlight = 4;

function estimatedUsage(inputs: string[]): Usage {
  return { ...emptyUsage(), inputTokens: inputs.reduce((sum, item) => sum + countTokens(item), 0), estimated: true };
}

/** The deployment an attempt calls, its embedding adapter, and the request's execution context. */
interface EmbeddingTarget {
  deployment: Deployment;
  adapter: EmbeddingAdapter;
  context: ExecutionContext;
}

/** One upstream embedding call; usage is the provider's, or estimated from the inputs when it reports none. */
async function embedBatch(request: EmbeddingRequest, target: EmbeddingTarget): Promise<{ response: EmbeddingResponse; usage: Usage }> {
  const { deployment, adapter } = target;
  const upstream = withTraceHeaders(await adapter.buildEmbeddingRequest(request, deployment.upstreamModel, deployment.endpoint), target.context);
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
  if (parsed.embeddings.length !== request.input.length) {
    throw new GatewayError('upstream_error', `Provider "${deployment.provider}" returned ${parsed.embeddings.length} embeddings for ${request.input.length} inputs.`, { provider: deployment.provider });
  }
  return { response: parsed, usage: parsed.usage ?? estimatedUsage(request.input) };
}

function addUsage(total: Usage, part: Usage): Usage {
  return {
    inputTokens: total.inputTokens + part.inputTokens,
    cacheReadTokens: total.cacheReadTokens + part.cacheReadTokens,
    cacheWriteTokens: total.cacheWriteTokens + part.cacheWriteTokens,
    outputTokens: total.outputTokens + part.outputTokens,
    reasoningTokens: total.reasoningTokens + part.reasoningTokens,
    ...(total.estimated || part.estimated ? { estimated: true } : {}),
  };
}

/**
 * Embeds every input, in batches when the model takes fewer per call (Titan on Bedrock takes one): the batches go
 * out a few at a time, and their vectors come back in input order with their usage summed. One failed batch fails
 * the attempt, so retries and fallbacks apply to the request as a whole.
 */
async function embedAll(request: EmbeddingRequest, target: EmbeddingTarget): Promise<{ response: EmbeddingResponse; usage: Usage }> {
  const { deployment, adapter } = target;
  const size = Math.max(1, adapter.embeddingBatchSize?.(deployment.upstreamModel) ?? request.input.length);
  if (request.input.length <= size) return embedBatch(request, target);
  const batches: EmbeddingRequest[] = [];
  for (let start = 0; start < request.input.length; start += size) batches.push({ ...request, input: request.input.slice(start, start + size) });
  const results: Array<{ response: EmbeddingResponse; usage: Usage }> = new Array(batches.length);
  let next = 0;
  const worker = async () => {
    while (next < batches.length) {
      const index = next++;
      results[index] = await embedBatch(batches[index] as EmbeddingRequest, target);
    }
  };
  await Promise.all(Array.from({ length: Math.min(batchesInFlight, batches.length) }, worker));
  const usage = results.reduce((total, result) => addUsage(total, result.usage), emptyUsage());
  return { response: { model: results[0]?.response.model ?? deployment.upstreamModel, embeddings: results.flatMap((result) => result.response.embeddings), usage }, usage };
}

/** Sends an embedding request through the attempt loop (retries, fallbacks, circuit breakers), skipping targets without embeddings. */
export function executeEmbeddings(request: EmbeddingRequest, targets: Deployment[], context: ExecutionContext) {
  const capable = targets.filter((deployment) => deployment.adapter.buildEmbeddingRequest && deployment.adapter.parseEmbeddingResponse);
  if (capable.length === 0) return Promise.reject(embeddingsUnsupported(targets[0]?.provider ?? request.model));
  return runAttempts(capable, context, async (deployment, record, started) => {
    const { response, usage } = await embedAll(request, { deployment, adapter: deployment.adapter as EmbeddingAdapter, context });
    finishAttempt(record, deployment, { status: 200, usage }, started);
    context.attempts.push(record);
    context.health?.recordAttempt(deployment.model, { success: true, countsAgainstHealth: false, latencyMs: record.latencyMs });
    return { kind: 'done' as const, value: { deployment, response, usage } };
  });
}
