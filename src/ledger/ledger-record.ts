/** One upstream attempt: what was sent where, what it cost, how it ended. */
export interface AttemptRecord {
  attempt: number;
  startedAt: number;
  provider: string;
  upstreamModel: string;
  model: string;
  status: number;
  errorCode: string | null;
  inputTokens: number;
  cachedInputTokens: number;
  cacheWriteTokens: number;
  outputTokens: number;
  reasoningTokens: number;
  costUsd: number;
  latencyMs: number;
  ttftMs: number | null;
  estimated: boolean;
  /** Sent to a candidate for comparison; its answer never reached the client. */
  shadow: boolean;
}

/** One client request. `id` is the `x-request-id` the client received. Totals sum every attempt. */
export interface RequestRecord {
  id: string;
  startedAt: number;
  endpoint: 'chat' | 'messages' | 'embeddings' | 'images';
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
  inputTokens: number;
  cachedInputTokens: number;
  cacheWriteTokens: number;
  outputTokens: number;
  reasoningTokens: number;
  costUsd: number;
  latencyMs: number;
  ttftMs: number | null;
  estimated: boolean;
  catalogVersion: string;
  cacheHit: boolean;
  savedUsd: number;
  attempts: AttemptRecord[];
}

export type UsageGroup = 'key' | 'customer' | 'model' | 'provider' | 'team' | 'route' | 'day';

export interface UsageQuery {
  groupBy: UsageGroup;
  from?: number;
  to?: number;
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
