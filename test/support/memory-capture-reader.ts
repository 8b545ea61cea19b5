import type { CaptureFilter, CapturePage, CaptureReader, CapturedRequest, FeedbackCondition } from '../../src/quality/captured-request.js';

type Feedback = Record<string, Record<string, number | boolean>>;

function compare(value: number | boolean | undefined, condition: FeedbackCondition): boolean {
  if (value === undefined) return false;
  if (condition.op === undefined || condition.value === undefined) return true;
  if (condition.op === 'eq') return value === condition.value;
  if (condition.op === 'ne') return value !== condition.value;
  if (typeof value !== 'number' || typeof condition.value !== 'number') return false;
  return condition.op === 'gte' ? value >= condition.value : value <= condition.value;
}

function matches(captured: CapturedRequest, filter: CaptureFilter, feedback: Feedback): boolean {
  if (filter.from !== undefined && captured.createdAt < filter.from) return false;
  if (filter.to !== undefined && captured.createdAt >= filter.to) return false;
  if (filter.model !== undefined && captured.requestedModel !== filter.model) return false;
  if (filter.route !== undefined && captured.route !== filter.route) return false;
  if (filter.customer !== undefined && captured.customer !== filter.customer) return false;
  if (filter.keyId !== undefined && captured.keyId !== filter.keyId) return false;
  if (filter.status === 'ok' && captured.status >= 400) return false;
  if (filter.status === 'error' && captured.status < 400) return false;
  if (typeof filter.status === 'number' && captured.status !== filter.status) return false;
  for (const [tag, value] of Object.entries(filter.tags ?? {})) if (captured.tags[tag] !== value) return false;
  if (filter.withBodies && !captured.request) return false;
  const given = feedback[captured.requestId] ?? {};
  return (filter.feedback ?? []).every((condition) => compare(given[condition.metric], condition));
}

/** A CaptureReader over an array, with the filter semantics of the contract, for tests of what reads captures. */
export class MemoryCaptureReader implements CaptureReader {
  /** How many pages were asked for, to check that callers page. */
  pagesRead = 0;

  constructor(private readonly captured: CapturedRequest[], private readonly feedback: Feedback = {}) {}

  async list(filter: CaptureFilter, page: { limit: number; cursor?: string }): Promise<CapturePage> {
    this.pagesRead += 1;
    const all = this.captured.filter((item) => matches(item, filter, this.feedback)).sort((left, right) => right.createdAt - left.createdAt);
    const start = page.cursor === undefined ? 0 : Number(page.cursor);
    const items = all.slice(start, start + page.limit);
    return { items, nextCursor: start + page.limit < all.length ? String(start + page.limit) : null };
  }

  async get(requestId: string): Promise<CapturedRequest | undefined> {
    return this.captured.find((item) => item.requestId === requestId);
  }
}
