import type { BudgetSpec, RateLimitSpec } from '../limits/limit-types.js';
import type { RequestRecord, TokenCounts, UsageQuery, UsageRow } from '../ledger/ledger-record.js';

export interface KeyRecord {
  id: string;
  name: string;
  /** SHA-256 of the key, hex. The key itself is never stored. */
  hash: string;
  /** First characters of the key, to recognise it in listings. */
  prefix: string;
  models: string[] | null;
  team: string | null;
  tags: Record<string, string>;
  createdAt: number;
  expiresAt: number | null;
  revokedAt: number | null;
  budget?: BudgetSpec | null;
  rateLimit?: RateLimitSpec | null;
}

export interface KeyRepository {
  insert(key: KeyRecord): Promise<void>;
  list(): Promise<KeyRecord[]>;
  findByHash(hash: string): Promise<KeyRecord | undefined>;
  /** Returns false when no such key exists. */
  revoke(id: string, at: number): Promise<boolean>;
}

export interface LedgerRepository {
  /** Writes a batch atomically: all records or none. */
  insertBatch(records: RequestRecord[]): Promise<void>;
  usage(query: UsageQuery): Promise<UsageRow[]>;
  count(): Promise<{ requests: number; attempts: number }>;
  get(id: string): Promise<RequestRecord | undefined>;
  /** Rows in no particular order; money rounded to 1e-9 as in `usage`. */
  rollup(query: RollupQuery): Promise<RollupRow[]>;
}

/** Granularity of a ledger rollup: each row covers one UTC hour or one UTC day. */
export type RollupBucket = 'hour' | 'day';

export interface RollupQuery {
  bucket: RollupBucket;
  /** Inclusive, epoch ms. */
  from: number;
  /** Exclusive, epoch ms. */
  to: number;
  /** Only requests through this route. */
  route?: string;
  /** Only requests served by this provider (and, with `upstreamModel`, this upstream model). */
  provider?: string;
  upstreamModel?: string;
}

/**
 * Request totals summed per time bucket and per every dimension the reports group by. Token counts follow
 * RequestRecord (input excludes cache reads and writes); shadow attempts are summed apart, outside the totals.
 */
export interface RollupRow extends TokenCounts {
  /** Start of the UTC hour or day, epoch ms. */
  bucket: number;
  customer: string | null;
  keyId: string | null;
  route: string | null;
  requestedModel: string;
  provider: string | null;
  upstreamModel: string | null;
  cacheHit: boolean;
  /** Status below 400. */
  ok: boolean;
  requests: number;
  savedUsd: number;
  latencyMs: number;
  shadowAttempts: number;
  shadowCostUsd: number;
  /** Requests a shadow-mode router decided on (with a priced choice), what they cost, and what its choice would have. */
  routerShadowRequests?: number;
  routerShadowCostUsd?: number;
  routerShadowChoiceUsd?: number;
}

/** What a customer paid in one calendar month (`YYYY-MM`). */
export interface RevenueRecord {
  customer: string;
  period: string;
  usd: number;
}

export interface RevenueRepository {
  /** Writes all rows or none; a row replaces the amount stored for its (customer, period). */
  upsert(rows: RevenueRecord[]): Promise<void>;
  /** Rows whose period lies in from..to (both inclusive, `YYYY-MM`), ordered by period then customer. */
  list(range?: { from?: string; to?: string }): Promise<RevenueRecord[]>;
}

export interface CustomerBudget {
  usd: number;
  period: 'daily' | 'monthly' | 'lifetime';
  /** Refuse requests once spent (true) or only alert (false). */
  hard: boolean;
  /** Shares of the budget, in (0, 1], at which to alert. */
  alertAt?: number[];
}

export interface CustomerRateLimit {
  rpm?: number;
  tpm?: number;
}

export interface CustomerRecord {
  id: string;
  name: string | null;
  tags: Record<string, string>;
  budget: CustomerBudget | null;
  rateLimit: CustomerRateLimit | null;
  updatedAt: number;
}

export interface CustomerRepository {
  get(id: string): Promise<CustomerRecord | undefined>;
  /** Inserts or replaces the customer with this id. */
  put(customer: CustomerRecord): Promise<void>;
  /** Ordered by id. */
  list(): Promise<CustomerRecord[]>;
}

export interface SettingRepository {
  get(name: string): Promise<string | undefined>;
  set(name: string, value: string): Promise<void>;
}

/** Everything the gateway persists, behind one interface per concern. */
export interface Store {
  readonly driver: string;
  keys: KeyRepository;
  ledger: LedgerRepository;
  settings: SettingRepository;
  revenue: RevenueRepository;
  customers: CustomerRepository;
  close(): Promise<void>;
}
