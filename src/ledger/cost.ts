import type { Usage } from '../core/canonical.js';
import type { Price } from './price-catalog.js';

const perMillion = 1_000_000;

/**
 * Dollar cost of one response. Cache reads and writes fall back to the input price and reasoning tokens
 * (already part of output) to the output price when the price has no rate of its own.
 */
export function computeCost(usage: Usage, price: Price, images = 0): number {
  const reasoningRate = price.reasoning ?? price.output;
  const visibleOutput = Math.max(0, usage.outputTokens - usage.reasoningTokens);
  const tokens =
    usage.inputTokens * price.input +
    usage.cacheReadTokens * (price.cachedInput ?? price.input) +
    usage.cacheWriteTokens * (price.cacheWrite ?? price.input) +
    visibleOutput * price.output +
    usage.reasoningTokens * reasoningRate;
  return tokens / perMillion + (price.perRequest ?? 0) + images * (price.perImage ?? 0);
}
