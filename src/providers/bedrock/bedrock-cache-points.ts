import type { CacheBreakpoint } from '../../core/canonical.js';
import { GatewayError } from '../../core/errors.js';
import { maxCacheBreakpoints } from '../shared/prompt-cache-breakpoints.js';

/** A Converse cache checkpoint: https://docs.aws.amazon.com/bedrock/latest/APIReference/API_runtime_CachePointBlock.html */
export interface BedrockCachePoint {
  type: 'default';
  ttl?: '5m' | '1h';
}

/** Which parts of a request may carry checkpoints on a model; undefined when the model takes none. */
export interface CachePointSupport {
  tools: boolean;
}

/**
 * Claude 2, Instant and Claude 3 have no prompt caching on Bedrock; Claude 3.5 Sonnet (v1, and v2 outside its
 * preview) neither.
 */
const uncachedClaude = /^anthropic\.claude-(?:v\d|instant|3-(?:haiku|sonnet|opus)|3-5-sonnet)/;

/** Cross-region inference profiles prefix the model id with a geography (`us.`, `eu.`, `apac.`, `global.`). */
function foundationModelId(upstreamModel: string): string {
  const bare = upstreamModel.slice(upstreamModel.lastIndexOf('/') + 1);
  return bare.replace(/^(?:us|eu|apac|jp|au|ca|us-gov|global)\./, '');
}

/**
 * The written rule for which models get checkpoints, after the table of supported models in
 * https://docs.aws.amazon.com/bedrock/latest/userguide/prompt-caching.html: Claude from 3.5 Haiku and 3.7 Sonnet on
 * (system, messages and tools) and Amazon Nova (system and messages; Nova takes no checkpoint in tools). Every other
 * model, and a model given only by an application inference profile ARN, gets none: their markers are dropped.
 */
export function cachePointSupport(upstreamModel: string): CachePointSupport | undefined {
  const model = foundationModelId(upstreamModel);
  if (model.startsWith('anthropic.claude-')) return uncachedClaude.test(model) ? undefined : { tools: true };
  if (model.startsWith('amazon.nova-')) return { tools: false };
  return undefined;
}

const ttls = new Set(['5m', '1h']);

export function cachePoint(cache: CacheBreakpoint): { cachePoint: BedrockCachePoint } {
  if (cache.ttl === undefined) return { cachePoint: { type: 'default' } };
  if (!ttls.has(cache.ttl)) {
    throw new GatewayError('invalid_request', `Bedrock cache points take a ttl of 5m or 1h, not ${JSON.stringify(cache.ttl)}.`, { param: 'cache_control.ttl' });
  }
  return { cachePoint: { type: 'default', ttl: cache.ttl as '5m' | '1h' } };
}

/** Bedrock refuses more than four checkpoints, as Anthropic does; the client hears it before the provider is called. */
export function checkCachePointCount(count: number): void {
  if (count <= maxCacheBreakpoints) return;
  throw new GatewayError('invalid_request', `Bedrock takes at most ${maxCacheBreakpoints} cache points per request; this request marks ${count}.`, { param: 'cache_control' });
}
