import { emptyUsage, type Usage } from '../../core/canonical.js';
import type { Deployment } from '../../core/deployment.js';
import { GatewayError } from '../../core/errors.js';
import { computeCost } from '../../ledger/cost.js';
import type { CanonicalImageRequest, ImageAdapter, ImageResult } from '../../providers/images/image-adapter.js';
import { imageAdapterFor } from '../../providers/images/image-adapters.js';
import { sendUpstreamBuffered } from '../../providers/shared/http-client.js';
import { runAttempts, withTraceHeaders, type ExecutionContext } from '../../routing/attempt-loop.js';
import { finishAttempt } from '../../routing/attempt-record.js';
import { headerValue } from '../../providers/shared/header-value.js';

export interface ImageOutcome {
  deployment: Deployment;
  result: ImageResult;
}

export function imagesUnsupported(provider: string): GatewayError {
  return new GatewayError('invalid_request', `Provider "${provider}" does not generate images; choose an image model of another provider.`, { param: 'model' });
}

/** Image models are priced per image, and some (GPT Image) by tokens as well: both count. */
export function imageCost(deployment: Deployment, usage: Usage, images: number): number {
  return deployment.price ? computeCost(usage, deployment.price, images) : 0;
}

function parseJson(text: string, provider: string): unknown {
  try {
    return JSON.parse(text);
  } catch (cause) {
    throw new GatewayError('upstream_error', `Provider "${provider}" returned a body that is not JSON.`, { provider, cause });
  }
}

/**
 * Sends an image request through the attempt loop (retries, fallbacks, circuit breakers). Targets whose provider
 * type generates no images are left out; when none is left, the request names the model as the problem.
 */
export function executeImages(request: CanonicalImageRequest, targets: Deployment[], context: ExecutionContext): Promise<ImageOutcome> {
  const capable = targets.filter((deployment) => imageAdapterFor(deployment.providerType) !== undefined);
  if (capable.length === 0) return Promise.reject(imagesUnsupported(targets[0]?.provider ?? request.model));
  return runAttempts<ImageOutcome>(capable, context, async (deployment, record, started) => {
    const adapter = imageAdapterFor(deployment.providerType) as ImageAdapter;
    const upstream = withTraceHeaders(adapter.buildImageRequest(request, deployment.upstreamModel, deployment.endpoint), context);
    const response = await sendUpstreamBuffered(upstream, { provider: deployment.provider, timeouts: deployment.timeouts, signal: context.signal });
    const text = response.body.toString('utf8');
    if (response.status >= 400) throw adapter.classifyError({ status: response.status, headers: response.headers, body: text }, deployment.endpoint);
    const result = adapter.parseImageResponse(parseJson(text, deployment.provider), headerValue(response.headers, 'content-type'));
    const usage = result.usage ?? emptyUsage();
    finishAttempt(record, deployment, { status: 200, usage }, started);
    record.costUsd = imageCost(deployment, usage, result.images.length);
    context.attempts.push(record);
    context.health?.recordAttempt(deployment.model, { success: true, countsAgainstHealth: false, latencyMs: record.latencyMs });
    return { kind: 'done', value: { deployment, result } };
  });
}
