import type { ChatRequest, FinishReason, ToolCall, Usage } from '../core/canonical.js';
import type { RequestRecord } from '../ledger/ledger-record.js';
import type { FeedbackValue } from '../store/quality-store.js';

/**
 * What the quality loop knows of one served request: the ledger's view of it, the canonical request and the final
 * answer when its route, model or key captures bodies, and the feedback given on it. Capture writes these; datasets
 * and evaluations read them through `CaptureReader`.
 */
export interface CapturedAnswer {
  text: string;
  toolCalls: ToolCall[];
  finishReason: FinishReason;
  usage: Usage;
}

export interface CapturedRequest {
  /** The ledger record's id, which clients see as `x-request-id`. */
  requestId: string;
  /** Epoch ms. */
  createdAt: number;
  endpoint: RequestRecord['endpoint'];
  requestedModel: string;
  route: string | null;
  provider: string | null;
  upstreamModel: string | null;
  customer: string | null;
  keyId: string | null;
  team: string | null;
  status: number;
  /** From the `x-switchyard-tags` request header. */
  tags: Record<string, string>;
  /** The canonical request as stored (redacted when the capture policy redacts), never its native body. */
  request: ChatRequest | null;
  answer: CapturedAnswer | null;
  /** The corrected answer of the latest `demonstration` feedback on this request, when one was given. */
  demonstration?: CapturedAnswer;
  /** Whether the privacy detector's redaction ran on the stored bodies. */
  redacted: boolean;
  /** Present when a capture policy sampled the request, with or without bodies. */
  capture?: CaptureDetails;
  /** The latest value given for each feedback metric. */
  feedback?: Record<string, FeedbackValue>;
}

export interface CaptureDetails {
  /** Epoch ms after which the retention sweep deletes the bodies. */
  expiresAt: number;
  /** Size of each body's JSON before compression; null when not captured. */
  requestBytes: number | null;
  answerBytes: number | null;
  /** Bodies over the size cap: only their size was kept, and `request` or `answer` is null. */
  truncated: Array<'request' | 'answer'>;
}

/** A condition on the feedback a request received: the metric exists, or its value compares to `value`. */
export interface FeedbackCondition {
  metric: string;
  op?: 'eq' | 'ne' | 'gte' | 'lte';
  value?: number | boolean;
}

export interface CaptureFilter {
  /** Inclusive, epoch ms. */
  from?: number;
  /** Exclusive, epoch ms. */
  to?: number;
  model?: string;
  route?: string;
  customer?: string;
  keyId?: string;
  /** An exact status, or every status below 400 (`ok`) or from 400 (`error`). */
  status?: number | 'ok' | 'error';
  /** Every listed tag must be present with this value. */
  tags?: Record<string, string>;
  feedback?: FeedbackCondition[];
  /** Only requests whose bodies were captured. */
  withBodies?: boolean;
}

export interface CapturePage {
  items: CapturedRequest[];
  /** Pass back as `cursor` for the next page; null on the last page. */
  nextCursor: string | null;
}

export interface CaptureReader {
  /** Newest first. */
  list(filter: CaptureFilter, page: { limit: number; cursor?: string }): Promise<CapturePage>;
  get(requestId: string): Promise<CapturedRequest | undefined>;
}
