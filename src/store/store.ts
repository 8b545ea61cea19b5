import type { AdminRole } from '../core/admin-role.js';
import type { BudgetSpec, RateLimitSpec } from '../limits/limit-types.js';
import type { RequestRecord, TokenCounts, UsageQuery, UsageRow } from '../ledger/ledger-record.js';
import type { CaptureFilter } from '../quality/captured-request.js';
import type { DatasetItem, DatasetReader, DatasetVersion } from '../quality/dataset.js';
import type { CaptureRepository, FeedbackRepository } from './quality-store.js';
import type { AuditRepository } from './audit-store.js';
import type { EvaluationRecord, EvaluationResult, EvaluationStatus } from '../quality/evaluation-types.js';

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
  /** Set on admin keys (`sy-admin-...`); null or absent on client keys. */
  role?: AdminRole | null;
  /** Hash of the secret replaced by the last rotation, accepted until `previousValidUntil` (epoch ms). */
  previousHash?: string | null;
  previousValidUntil?: number | null;
  /** Client networks the key may be used from (CIDR); null or absent means anywhere. */
  allowedCidrs?: string[] | null;
}

/** Fields of a stored key that may change after it is created; a field left out keeps its value. */
export interface KeyUpdate {
  budget?: BudgetSpec | null;
  rateLimit?: RateLimitSpec | null;
  allowedCidrs?: string[] | null;
}

/** A rotation: the new secret's hash and prefix; the old hash stays valid until `previousValidUntil`. */
export interface KeyRotation {
  hash: string;
  prefix: string;
  previousValidUntil: number;
}

export interface KeyRepository {
  insert(key: KeyRecord): Promise<void>;
  list(): Promise<KeyRecord[]>;
  get(id: string): Promise<KeyRecord | undefined>;
  /** The key whose current or previous (rotated-out) secret has this hash. */
  findByHash(hash: string): Promise<KeyRecord | undefined>;
  /** Returns false when no such key exists. */
  revoke(id: string, at: number): Promise<boolean>;
  /** The updated key, or undefined when no such key exists. */
  update(id: string, update: KeyUpdate): Promise<KeyRecord | undefined>;
  /** The rotated key, or undefined when no such key exists or it is revoked. */
  rotate(id: string, rotation: KeyRotation): Promise<KeyRecord | undefined>;
}

export interface LedgerRepository {
  /** Writes a batch atomically: all records or none. */
  insertBatch(records: RequestRecord[]): Promise<void>;
  usage(query: UsageQuery): Promise<UsageRow[]>;
  count(): Promise<{ requests: number; attempts: number }>;
  get(id: string): Promise<RequestRecord | undefined>;
  /** Rows in no particular order; money rounded to 1e-9 as in `usage`. */
  rollup(query: RollupQuery): Promise<RollupRow[]>;
  /** Requests, errors, cost and latency percentiles per time bucket, oldest first (see series-sql.ts). */
  series(query: SeriesQuery): Promise<SeriesRow[]>;
  /**
   * Deletes the requests that started before `before` (epoch ms), with their attempts and tags, in steps that hold
   * no lock for long; the hourly and daily rollups stay. Returns how many requests went, or undefined when another replica is
   * doing it now.
   */
  deleteBefore(before: number): Promise<number | undefined>;
  /** Upkeep due ahead of time at `now`: PostgreSQL creates the partitions of the coming months. */
  prepare(now: number): Promise<void>;
}

export interface SeriesQuery {
  /** Inclusive, epoch ms; the first bucket starts here. */
  from: number;
  /** Exclusive, epoch ms. */
  to: number;
  /** Width of a bucket, ms (a whole number of at least 1). */
  bucketMs: number;
}

export interface SeriesRow {
  /** Start of the bucket, epoch ms. */
  bucket: number;
  requests: number;
  /** Status 400 or above. */
  errors: number;
  costUsd: number;
  p50Ms: number;
  p99Ms: number;
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
  team: string | null;
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

/** A dataset version to write: its number is the next one of its name, given by the store. */
export interface NewDatasetVersion {
  name: string;
  createdAt: number;
  source: DatasetVersion['source'];
  filter?: CaptureFilter;
  /** Item ids must be unique within the version. */
  items: DatasetItem[];
}

export interface DatasetRepository extends DatasetReader {
  /** Writes the version and all its items, or nothing. Version numbers of a name are never reused while it exists. */
  create(version: NewDatasetVersion): Promise<DatasetVersion>;
  /** Every version of every dataset, ordered by name then version. */
  list(): Promise<DatasetVersion[]>;
  /** Deletes one version, or every version of the name when `version` is left out; returns how many versions went. */
  delete(name: string, version?: number): Promise<number>;
}

/** Who may read a stored response: the key that made it, and the other keys of its team. The admin key has no id. */
export interface ResponseOwner {
  keyId: string | null;
  team: string | null;
}

/** A Responses API answer kept for `previous_response_id`, retrieval and `input_items`. */
export interface StoredResponse {
  /** `resp_...`, as returned to the client. */
  id: string;
  owner: ResponseOwner;
  previousResponseId: string | null;
  /** Epoch ms. */
  createdAt: number;
  /** The response object as the client received it (for a stream, the one of `response.completed`). */
  response: unknown;
  /** The request's own input, as items with ids (not those of earlier responses). */
  inputItems: unknown[];
  /** What the wire items cannot carry (reasoning signatures, provider metadata of calls); opaque to the store. */
  carry: unknown;
}

export interface ResponseRepository {
  /** Fails on a duplicate id. */
  insert(response: StoredResponse): Promise<void>;
  /** The response if the owner may read it and it was created at or after `since` (epoch ms). */
  get(id: string, owner: ResponseOwner, since: number): Promise<StoredResponse | undefined>;
  /**
   * The conversation ending with `id`, oldest first, following `previousResponseId`, at most `maxLength` responses.
   * Links the owner may not read or created before `since` are left out, so a caller sees a broken chain as one
   * whose first element still names a previous response.
   */
  chain(id: string, owner: ResponseOwner, options: { since: number; maxLength: number }): Promise<StoredResponse[]>;
  /** Returns false when no response with this id is readable by the owner. */
  delete(id: string, owner: ResponseOwner): Promise<boolean>;
  /** Deletes every response created before `before` (epoch ms); returns how many. */
  sweep(before: number): Promise<number>;
}

/** Evaluation runs and their per-(item, candidate) results, kept so that a restarted run never pays twice. */
export interface EvaluationRepository {
  insert(evaluation: EvaluationRecord): Promise<void>;
  get(id: string): Promise<EvaluationRecord | undefined>;
  /** Newest first. */
  list(): Promise<EvaluationRecord[]>;
  /** Returns false when no such evaluation exists. */
  setStatus(id: string, update: { status: EvaluationStatus; message: string | null; updatedAt: number }): Promise<boolean>;
  /** Writes a result unless one exists for its (evaluation, item, candidate); returns whether it was written. */
  saveResult(result: EvaluationResult): Promise<boolean>;
  /** Ordered by finish time, then item and candidate. */
  results(evaluationId: string): Promise<EvaluationResult[]>;
}

/** Everything the gateway persists, behind one interface per concern. */
export interface Store {
  readonly driver: string;
  keys: KeyRepository;
  ledger: LedgerRepository;
  settings: SettingRepository;
  revenue: RevenueRepository;
  customers: CustomerRepository;
  datasets: DatasetRepository;
  responses: ResponseRepository;
  /** Captured request and answer bodies, and the request log that joins them to the ledger. */
  captures: CaptureRepository;
  feedback: FeedbackRepository;
  evaluations: EvaluationRepository;
  /** Administrative actions, append-only. */
  audit: AuditRepository;
  close(): Promise<void>;
}
