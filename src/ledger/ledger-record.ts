import type { Usage } from '../core/canonical.js';

/** Tokens and their cost, kept the same way for one attempt and, summed, for the whole request. */
export interface TokenCounts {
  inputTokens: number;
  cachedInputTokens: number;
  cacheWriteTokens: number;
  outputTokens: number;
  reasoningTokens: number;
  costUsd: number;
}

export function noTokens(): TokenCounts {
  return { inputTokens: 0, cachedInputTokens: 0, cacheWriteTokens: 0, outputTokens: 0, reasoningTokens: 0, costUsd: 0 };
}

/** Adds one set of counts into another: an attempt into its request, a request into a report row. */
export function addTokenCounts(into: TokenCounts, from: TokenCounts): void {
  into.inputTokens += from.inputTokens;
  into.cachedInputTokens += from.cachedInputTokens;
  into.cacheWriteTokens += from.cacheWriteTokens;
  into.outputTokens += from.outputTokens;
  into.reasoningTokens += from.reasoningTokens;
  into.costUsd += from.costUsd;
}

/** The canonical usage of recorded counts (what a client is told when the provider gave none). */
export function usageOfCounts(counts: TokenCounts): Usage {
  return { inputTokens: counts.inputTokens, cacheReadTokens: counts.cachedInputTokens, cacheWriteTokens: counts.cacheWriteTokens, outputTokens: counts.outputTokens, reasoningTokens: counts.reasoningTokens };
}

/** One upstream attempt: what was sent where, what it cost, how it ended. */
export interface AttemptRecord extends TokenCounts {
  attempt: number;
  startedAt: number;
  provider: string;
  upstreamModel: string;
  model: string;
  status: number;
  errorCode: string | null;
  latencyMs: number;
  ttftMs: number | null;
  estimated: boolean;
  /** Sent to a candidate for comparison; its answer never reached the client. */
  shadow: boolean;
}

/** What a `strategy: router` route decided for a request. */
export interface RouterRecord {
  score: number;
  /** The score threshold (maxStrongShare) or quality bar (minQuality) the score was held to. */
  threshold: number;
  /** The target the router picked; in shadow mode, the one it would have picked. */
  choice: string;
  shadow: boolean;
  /** This request's tokens at the chosen target's price; null when that target has no price. */
  choiceCostUsd: number | null;
}

/** One client request. `id` is the `x-request-id` the client received. Totals sum every attempt. */
export interface RequestRecord extends TokenCounts {
  id: string;
  startedAt: number;
  endpoint: 'chat' | 'messages' | 'responses' | 'embeddings' | 'images';
  keyId: string | null;
  customer: string | null;
  team: string | null;
  requestedModel: string;
  route: string | null;
  provider: string | null;
  upstreamModel: string | null;
  stream: boolean;
  status: number;
  errorCode: string | null;
  latencyMs: number;
  ttftMs: number | null;
  estimated: boolean;
  catalogVersion: string;
  cacheHit: boolean;
  savedUsd: number;
  attempts: AttemptRecord[];
  /** From the `x-switchyard-tags` request header; left out when the request carried none. */
  tags?: Record<string, string>;
  router?: RouterRecord;
}

export type UsageGroup = 'key' | 'customer' | 'model' | 'provider' | 'team' | 'route' | 'day';

export interface UsageQuery {
  groupBy: UsageGroup;
  from?: number;
  to?: number;
  /** Only requests made with this key. */
  keyId?: string;
}

export interface UsageRow {
  group: string | null;
  requests: number;
  errors: number;
  inputTokens: number;
  cachedInputTokens: number;
  outputTokens: number;
  reasoningTokens: number;
  costUsd: number;
  savedUsd: number;
}
