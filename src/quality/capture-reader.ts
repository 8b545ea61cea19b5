import { emptyUsage, type ChatRequest } from '../core/canonical.js';
import { GatewayError } from '../core/errors.js';
import type { RequestRecord } from '../ledger/ledger-record.js';
import type { CaptureRow, FeedbackRecord, FeedbackValue, RequestPosition } from '../store/quality-store.js';
import type { Store } from '../store/store.js';
import { decodeBody } from './capture-encoding.js';
import type { CaptureDetails, CapturedAnswer, CapturedRequest, CaptureFilter, CaptureReader } from './captured-request.js';

export const maxPageSize = 200;

/** An opaque cursor: the position of the last row served. */
export function encodeCursor(position: RequestPosition): string {
  return Buffer.from(JSON.stringify([position.startedAt, position.id]), 'utf8').toString('base64url');
}

export function decodeCursor(cursor: string): RequestPosition {
  try {
    const [startedAt, id] = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as unknown[];
    if (typeof startedAt === 'number' && Number.isFinite(startedAt) && typeof id === 'string') return { startedAt, id };
  } catch {
    // Falls through to the error below.
  }
  throw new GatewayError('invalid_request', 'cursor: not a cursor this gateway returned; pass nextCursor from the previous page unchanged.', { param: 'cursor' });
}

export function checkLimit(limit: number): number {
  if (!Number.isInteger(limit) || limit < 1 || limit > maxPageSize) {
    throw new GatewayError('invalid_request', `limit: expected an integer from 1 to ${maxPageSize}, got ${limit}.`, { param: 'limit' });
  }
  return limit;
}

function details(row: CaptureRow): CaptureDetails {
  const truncated: CaptureDetails['truncated'] = [];
  if (row.requestTruncated) truncated.push('request');
  if (row.answerTruncated) truncated.push('answer');
  return { expiresAt: row.expiresAt, requestBytes: row.requestBytes, answerBytes: row.answerBytes, truncated };
}

function latestValues(feedback: FeedbackRecord[]): Record<string, FeedbackValue> {
  return Object.fromEntries(feedback.map((item) => [item.metric, item.value]));
}

/** The newest demonstration among the feedback, as the answer a dataset takes for reference. */
function demonstrationOf(feedback: FeedbackRecord[]): CapturedAnswer | undefined {
  let newest: FeedbackRecord | undefined;
  for (const item of feedback) {
    if (typeof item.value === 'object' && (!newest || item.createdAt >= newest.createdAt)) newest = item;
  }
  if (!newest || typeof newest.value !== 'object') return undefined;
  const { text, toolCalls = [] } = newest.value;
  const calls = toolCalls.map((call, index) => ({ id: call.id ?? `call_demonstration_${index}`, name: call.name, arguments: call.arguments }));
  return { text, toolCalls: calls, finishReason: calls.length > 0 ? 'tool-calls' : 'stop', usage: emptyUsage() };
}

/** One ledger record, its capture row and its latest feedback as the quality loop sees it. */
export async function capturedRequestOf(record: RequestRecord, capture: CaptureRow | null, feedback: FeedbackRecord[]): Promise<CapturedRequest> {
  const result: CapturedRequest = {
    requestId: record.id, createdAt: record.startedAt, endpoint: record.endpoint, requestedModel: record.requestedModel, route: record.route,
    provider: record.provider, upstreamModel: record.upstreamModel, customer: record.customer, keyId: record.keyId, team: record.team,
    status: record.status, tags: record.tags ?? {},
    request: capture ? decodeBody<ChatRequest>(capture.request) : null,
    answer: capture ? decodeBody<CapturedAnswer>(capture.answer) : null,
    redacted: capture?.redacted ?? false,
  };
  if (capture) result.capture = details(capture);
  if (feedback.length > 0) result.feedback = latestValues(feedback);
  const demonstration = demonstrationOf(feedback);
  if (demonstration) result.demonstration = demonstration;
  return result;
}

/** The reader datasets and evaluations use, over the store's ledger, captures and feedback. */
export function createCaptureReader(store: Store, beforeRead: () => Promise<void> = async () => undefined): CaptureReader {
  return {
    async list(filter: CaptureFilter, page: { limit: number; cursor?: string }) {
      const limit = checkLimit(page.limit);
      const after = page.cursor ? decodeCursor(page.cursor) : undefined;
      await beforeRead();
      // One row more than asked tells whether another page exists, so the last page's cursor is null.
      const fetched = await store.captures.listRequests({ filter, limit: limit + 1, ...(after ? { after } : {}) });
      const rows = fetched.slice(0, limit);
      const feedback = await store.feedback.latestFor(rows.map((row) => row.record.id));
      const items = await Promise.all(rows.map((row) => capturedRequestOf(row.record, row.capture, feedback.filter((item) => item.requestId === row.record.id))));
      const last = rows[rows.length - 1]?.record;
      return { items, nextCursor: fetched.length > limit && last ? encodeCursor({ startedAt: last.startedAt, id: last.id }) : null };
    },
    async get(requestId: string) {
      await beforeRead();
      const record = await store.ledger.get(requestId);
      if (!record) return undefined;
      const [capture, feedback] = await Promise.all([store.captures.get(requestId), store.feedback.latestFor([requestId])]);
      return capturedRequestOf(record, capture ?? null, feedback);
    },
  };
}

/** The reader over a running gateway's store; each read first writes what the ledger and capture queues hold. */
export function gatewayCaptureReader(gateway: { store: Store; ledger: { flush(): Promise<void> }; capture: { flush(): Promise<void> } }): CaptureReader {
  return createCaptureReader(gateway.store, async () => {
    await gateway.ledger.flush();
    await gateway.capture.flush();
  });
}
