/** Shapes of the admin API answers the console reads (see the gateway's README and docs). */
export type Role = 'admin' | 'finance' | 'viewer';

export interface WhoAmI {
  id: string | null;
  name: string | null;
  role: Role;
}

export interface SeriesPoint {
  bucket: number;
  time: string;
  requests: number;
  errors: number;
  costUsd: number;
  p50Ms: number;
  p99Ms: number;
  requestsPerSecond: number;
}

export interface TopRow {
  group: string | null;
  requests: number;
  errors: number;
  costUsd: number;
}

export interface Overview {
  from: string;
  to: string;
  bucketMs: number;
  totals: { requests: number; errors: number; costUsd: number; p50Ms: number; p99Ms: number; requestsPerSecond: number; errorRate: number };
  series: SeriesPoint[];
  spend: { todayUsd: number; monthUsd: number; month: string };
  margin: { month: string; revenueUsd: number; costUsd: number; marginUsd: number; marginPercent: number | null };
  top: { models: TopRow[]; customers: TopRow[]; keys: TopRow[] };
}

export interface Attempt {
  attempt: number;
  provider: string;
  model?: string;
  upstreamModel: string;
  status: number;
  costUsd: number;
  latencyMs: number;
  ttftMs?: number | null;
  errorCode: string | null;
  shadow: boolean;
  inputTokens?: number;
  outputTokens?: number;
}

export interface RequestRow {
  id: string;
  startedAt: number;
  endpoint: string;
  keyId: string | null;
  customer: string | null;
  route: string | null;
  requestedModel: string;
  provider: string | null;
  upstreamModel: string | null;
  status: number;
  stream: boolean;
  inputTokens: number;
  outputTokens: number;
  costUsd: number;
  latencyMs: number;
  ttftMs: number | null;
  cacheHit: boolean;
  errorCode: string | null;
  router?: { score: number; threshold: number; choice: string; shadow: boolean; choiceCostUsd: number | null };
  tags: Record<string, string>;
  capture: { bodies: boolean; redacted: boolean } | null;
}

export interface RequestDetail extends Omit<RequestRow, 'capture'> {
  attempts: Attempt[];
  capture: ({ bodies: boolean; redacted: boolean; request?: unknown; answer?: unknown }) | null;
  feedback: Array<{ metric: string; value: number; comment?: string | null; createdAt: string }>;
}

export interface KeyInfo {
  id: string;
  name: string;
  prefix: string;
  role?: Role | null;
  models: string[] | null;
  team: string | null;
  createdAt: string;
  expiresAt: string | null;
  revokedAt: string | null;
  budget: { usd: number; period: string; hard?: boolean } | null;
  rateLimit: { rpm?: number; tpm?: number } | null;
}

export interface Customer {
  id: string;
  name: string | null;
  budget: { usd: number; period: string; hard: boolean } | null;
  rateLimit: { rpm?: number; tpm?: number } | null;
}

export interface UsageRow {
  group: string | null;
  requests: number;
  errors: number;
  costUsd: number;
  savedUsd: number;
}

export interface SpendRow {
  group: string | null;
  requests: number;
  tokens: number;
  costUsd: number;
  cacheSavedUsd: number;
  series: Array<{ day: string; requests: number; tokens: number; costUsd: number }>;
}

export interface SpendReport {
  from: string;
  to: string;
  groupBy: string;
  rows: SpendRow[];
  total: { requests: number; tokens: number; costUsd: number; shadowCostUsd: number };
  savings: { cacheUsd: number; routingUsd: number; totalUsd: number; routes: Array<Record<string, unknown>> };
}

export interface MarginRow {
  customer: string | null;
  revenueUsd: number;
  costUsd: number;
  marginUsd: number;
  marginPercent: number | null;
  requests: number;
}

export interface MarginReport {
  from: string;
  to: string;
  rows: MarginRow[];
  total: Omit<MarginRow, 'customer'>;
}

export interface Deployment {
  name: string;
  provider: string;
  providerType: string;
  upstreamModel: string;
  price: { input: number; output: number; perRequest?: number } | null;
  priceSource: string;
  private: boolean;
  health: { state?: string; requests: number; failures: number; latencyMs: number | null; lastError: string | null } | null;
}

export interface RouteInfo {
  name: string;
  strategy: string;
  targets: Array<{ model: string; weight?: number }>;
  privacy: string | null;
}
