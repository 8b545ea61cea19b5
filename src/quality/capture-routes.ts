import type { ServerResponse } from 'node:http';
import type { Config } from '../config/schema.js';
import type { AdminRole } from '../core/admin-role.js';
import { mayReadBodies } from '../server/admin/admin-permissions.js';
import { GatewayError } from '../core/errors.js';
import type { RequestRecord } from '../ledger/ledger-record.js';
import type { Gateway } from '../server/gateway.js';
import { sendJson } from '../server/http-body.js';
import type { CaptureRow, FeedbackRecord } from '../store/quality-store.js';
import type { CaptureFilter } from './captured-request.js';
import { decodeBody } from './capture-encoding.js';
import { checkLimit, decodeCursor, encodeCursor } from './capture-reader.js';
import { parseRequestTags } from './capture-tags.js';
import { parseFeedbackCondition } from './feedback-input.js';

const defaultLimit = 50;

function invalid(param: string, message: string): GatewayError {
  return new GatewayError('invalid_request', `${param}: ${message}`, { param });
}

function time(url: URL, param: string): number | undefined {
  const value = url.searchParams.get(param);
  if (value === null || value === '') return undefined;
  const parsed = /^\d+$/.test(value) ? Number(value) : Date.parse(value);
  if (Number.isNaN(parsed)) throw invalid(param, `expected an ISO 8601 date or epoch milliseconds, got "${value.slice(0, 40)}".`);
  return parsed;
}

function statusFilter(value: string | null): CaptureFilter['status'] {
  if (value === null || value === '') return undefined;
  if (value === 'ok' || value === 'error') return value;
  if (/^[1-5]\d\d$/.test(value)) return Number(value);
  throw invalid('status', `expected ok, error or an HTTP status such as 429, got "${value.slice(0, 40)}".`);
}

/** The query string of GET /admin/requests as a capture filter. */
export function filterFromQuery(config: Config, url: URL): CaptureFilter {
  const query = url.searchParams;
  const filter: CaptureFilter = {};
  const from = time(url, 'from');
  const to = time(url, 'to');
  if (from !== undefined) filter.from = from;
  if (to !== undefined) filter.to = to;
  const fields: Array<[string, 'model' | 'route' | 'customer' | 'keyId']> = [['model', 'model'], ['route', 'route'], ['customer', 'customer'], ['key', 'keyId']];
  for (const [param, field] of fields) {
    const value = query.get(param);
    if (value !== null && value !== '') filter[field] = value;
  }
  const status = statusFilter(query.get('status'));
  if (status !== undefined) filter.status = status;
  const tags = query.getAll('tag');
  if (tags.length > 0) {
    try {
      filter.tags = parseRequestTags(tags.join(',')) ?? {};
    } catch (error) {
      throw invalid('tag', `${error instanceof Error ? error.message.replace(/^x-switchyard-tags: /, '') : 'expected k=v.'}`);
    }
  }
  const feedback = query.getAll('feedback');
  if (feedback.length > 0) filter.feedback = feedback.map((text) => parseFeedbackCondition(config, text));
  const bodies = query.get('bodies');
  if (bodies === 'true') filter.withBodies = true;
  else if (bodies !== null && bodies !== 'false') throw invalid('bodies', 'expected true or false.');
  return filter;
}

function captureSummary(row: CaptureRow | null) {
  if (!row) return null;
  const truncated = [...(row.requestTruncated ? ['request'] : []), ...(row.answerTruncated ? ['answer'] : [])];
  return { redacted: row.redacted, bodies: row.request !== null || row.requestTruncated, expiresAt: new Date(row.expiresAt).toISOString(), requestBytes: row.requestBytes, answerBytes: row.answerBytes, storedBytes: row.storedBytes ?? null, truncated };
}

function listed(record: RequestRecord, capture: CaptureRow | null, feedback: FeedbackRecord[]) {
  const { attempts: _attempts, ...fields } = record;
  return { ...fields, tags: record.tags ?? {}, capture: captureSummary(capture), feedback: Object.fromEntries(feedback.map((item) => [item.metric, item.value])) };
}

async function listRequests(gateway: Gateway, url: URL, response: ServerResponse): Promise<void> {
  const filter = filterFromQuery(gateway.config, url);
  const limitText = url.searchParams.get('limit');
  if (limitText !== null && !/^\d+$/.test(limitText)) throw invalid('limit', `expected an integer from 1 to 200, got "${limitText.slice(0, 40)}".`);
  const limit = checkLimit(limitText === null ? defaultLimit : Number(limitText));
  const cursor = url.searchParams.get('cursor');
  const after = cursor ? decodeCursor(cursor) : undefined;
  await gateway.ledger.flush();
  await gateway.capture.flush();
  const fetched = await gateway.store.captures.listRequests({ filter, limit: limit + 1, ...(after ? { after } : {}) });
  const rows = fetched.slice(0, limit);
  const feedback = await gateway.store.feedback.latestFor(rows.map((row) => row.record.id));
  const last = rows[rows.length - 1]?.record;
  sendJson(response, 200, {
    data: rows.map((row) => listed(row.record, row.capture, feedback.filter((item) => item.requestId === row.record.id))),
    nextCursor: fetched.length > limit && last ? encodeCursor({ startedAt: last.startedAt, id: last.id }) : null,
  });
}

async function getRequest(gateway: Gateway, id: string, response: ServerResponse, withBodies: boolean): Promise<void> {
  await gateway.ledger.flush();
  await gateway.capture.flush();
  const record = await gateway.store.ledger.get(id);
  if (!record) throw new GatewayError('not_found', `No ledger record with id "${id.slice(0, 80)}".`);
  const [capture, feedback] = await Promise.all([gateway.store.captures.get(id), gateway.store.feedback.listFor(id)]);
  // Roles that may not read bodies still learn that bodies were captured, from the summary.
  const bodies = capture && withBodies ? { request: decodeBody(capture.request), answer: decodeBody(capture.answer) } : undefined;
  sendJson(response, 200, {
    ...record,
    tags: record.tags ?? {},
    capture: capture ? { ...captureSummary(capture), ...bodies } : null,
    feedback: feedback.map((item) => ({ ...item, createdAt: new Date(item.createdAt).toISOString() })),
  });
}

/** GET /admin/requests, GET /admin/requests/:id, GET /admin/capture and POST /admin/capture/sweep; false for other paths. */
export async function handleRequestLog(gateway: Gateway, call: { method: string; url: URL; role: AdminRole }, response: ServerResponse): Promise<boolean> {
  const { method, url } = call;
  const path = url.pathname;
  if (path === '/admin/requests' && method === 'GET') {
    await listRequests(gateway, url, response);
    return true;
  }
  const match = /^\/admin\/requests\/([^/]+)$/.exec(path);
  if (match && method === 'GET') {
    await getRequest(gateway, decodeURIComponent(match[1] as string), response, mayReadBodies(call.role));
    return true;
  }
  if (path === '/admin/capture' && method === 'GET') {
    sendJson(response, 200, { ...gateway.capture.stats(), stored: await gateway.store.captures.count(), maxQueued: gateway.config.capture.maxQueued });
    return true;
  }
  if (path === '/admin/capture/sweep' && method === 'POST') {
    sendJson(response, 200, { deleted: await gateway.capture.sweep() });
    return true;
  }
  return false;
}
