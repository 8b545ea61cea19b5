import type { RequestRecord, UsageQuery } from '../ledger/ledger-record.js';
import type { CaptureFilter } from '../quality/captured-request.js';

/**
 * One captured request. Bodies are JSON text here; the drivers store them gzip-compressed (the SQLite driver
 * compresses on its writer thread). Absent when bodies are off or over the size cap.
 */
export interface CaptureRow {
  requestId: string;
  createdAt: number;
  /** The retention sweep deletes the row once this time (epoch ms) has passed. */
  expiresAt: number;
  redacted: boolean;
  request: string | null;
  answer: string | null;
  /** Size of each body's JSON before compression; null when bodies are off (or, for the answer, when there was none). */
  requestBytes: number | null;
  answerBytes: number | null;
  /** The body was over the size cap: only its size was kept. */
  requestTruncated: boolean;
  answerTruncated: boolean;
  /** Bytes both bodies take in the store once compressed; set on rows read back. */
  storedBytes?: number;
}

/** Requests older than `before` (same time: smaller id) come next; this is what a list cursor holds. */
export interface RequestPosition {
  startedAt: number;
  id: string;
}

export interface RequestLogQuery {
  filter: CaptureFilter;
  limit: number;
  after?: RequestPosition;
}

/** A ledger request (attempts left empty) with its capture row, if it was captured. */
export interface RequestLogRow {
  record: RequestRecord;
  capture: CaptureRow | null;
}

export interface CaptureRepository {
  /** Writes all rows or none; a row already stored for the same request is replaced. */
  insertBatch(rows: CaptureRow[]): Promise<void>;
  get(requestId: string): Promise<CaptureRow | undefined>;
  /** Deletes the rows whose `expiresAt` is at or before `now`; returns how many. */
  deleteExpired(now: number): Promise<number>;
  count(): Promise<number>;
  /** Ledger requests matching the filter, joined with their captures, newest first (then by id, descending). */
  listRequests(query: RequestLogQuery): Promise<RequestLogRow[]>;
}

/** A corrected answer given as feedback. */
export interface Demonstration {
  text: string;
  toolCalls?: Array<{ id?: string; name: string; arguments: string }>;
}

export type FeedbackValue = boolean | number | Demonstration;

export interface FeedbackRecord {
  id: string;
  requestId: string;
  metric: string;
  value: FeedbackValue;
  comment: string | null;
  /** The key that gave it. */
  keyId: string | null;
  createdAt: number;
}

/** Feedback on the requests of one usage group: the latest value of each request for one metric. */
export interface FeedbackSummaryRow {
  group: string | null;
  metric: string;
  count: number;
  /** Mean of numeric values; for a boolean metric the share of `true`. Null for demonstrations. */
  mean: number | null;
}

export interface FeedbackRepository {
  /** Stores the feedback; it becomes the request's value for its metric unless a later one is already stored. */
  insert(feedback: FeedbackRecord): Promise<void>;
  /** Every feedback given on one request, oldest first. */
  listFor(requestId: string): Promise<FeedbackRecord[]>;
  /** The latest feedback per metric for each of these requests. */
  latestFor(requestIds: string[]): Promise<FeedbackRecord[]>;
  /** Grouped like `LedgerRepository.usage`, over the requests started in the query's time range. */
  summary(query: UsageQuery): Promise<FeedbackSummaryRow[]>;
}
