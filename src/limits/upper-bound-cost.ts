import type { Price } from '../ledger/price-catalog.js';

const perMillion = 1_000_000;

/**
 * The most a request can cost before it runs, in dollars: what a budget reserves at admission.
 *
 *   inputTokensEstimate × (highest input-side rate) + (maxTokens ?? defaultMaxTokens) × (highest output-side rate)
 *   all per 1M tokens, plus the price's per-request fee.
 *
 * The input side takes the highest of the input, cache-read and cache-write rates (a prompt written to a
 * cache costs more than plain input) and the output side the higher of the output and reasoning rates, so
 * the bound holds whatever the provider bills. It holds only while the input estimate is not short and the
 * response stays within the output cap: a request without `max_tokens` is bounded by `defaultMaxTokens`,
 * which should be the gateway's own cap. An unpriced deployment (no price) costs nothing.
 */
export function upperBoundCost(price: Price | undefined, inputTokensEstimate: number, maxTokens: number | undefined, defaultMaxTokens: number): number {
  if (!price) return 0;
  const inputRate = Math.max(price.input, price.cachedInput ?? 0, price.cacheWrite ?? 0);
  const outputRate = Math.max(price.output, price.reasoning ?? 0);
  const outputTokens = maxTokens ?? defaultMaxTokens;
  return (Math.max(0, inputTokensEstimate) * inputRate + Math.max(0, outputTokens) * outputRate) / perMillion + (price.perRequest ?? 0);
}
