import type { ServerResponse } from 'node:http';
import type { AuditEntry, AuditQuery } from '../../store/audit-store.js';
import type { Gateway } from '../gateway.js';
import { sendJson } from '../http-body.js';
import { invalid } from '../openai/field-reader.js';
import { parseTime } from './admin-routes.js';

const maxLimit = 500;

function publicEntry(entry: AuditEntry): Record<string, unknown> {
  return { ...entry, at: new Date(entry.at).toISOString() };
}

function readLimit(text: string | null): number {
  if (text === null || text === '') return 100;
  if (!/^\d+$/.test(text) || Number(text) < 1 || Number(text) > maxLimit) throw invalid('limit', `expected a whole number from 1 to ${maxLimit}, got "${text.slice(0, 40)}".`);
  return Number(text);
}

function readCursor(text: string | null): number | undefined {
  if (text === null || text === '') return undefined;
  if (!/^\d{1,15}$/.test(text)) throw invalid('cursor', 'expected the nextCursor of an earlier page.');
  return Number(text);
}

/** The query string of `GET /admin/audit` as a query of the log. */
export function auditQueryFrom(url: URL): AuditQuery {
  const params = url.searchParams;
  const query: AuditQuery = { limit: readLimit(params.get('limit')) };
  const actor = params.get('actor');
  if (actor) query.actorId = actor;
  const action = params.get('action');
  if (action) {
    if (!/^[a-z]+(\.[a-z]+)*(\.\*)?$/.test(action)) throw invalid('action', `expected an action such as key.create, or a prefix such as key.*, got "${action.slice(0, 40)}".`);
    query.action = action;
  }
  const from = parseTime(params.get('from'), 'from');
  const to = parseTime(params.get('to'), 'to');
  if (from !== undefined) query.from = from;
  if (to !== undefined) query.to = to;
  const beforeSeq = readCursor(params.get('cursor'));
  if (beforeSeq !== undefined) query.beforeSeq = beforeSeq;
  return query;
}

/** `GET /admin/audit?actor=&action=&from=&to=&limit=&cursor=`: the audit log, newest first, a page at a time. */
export async function handleAudit(gateway: Gateway, url: URL, response: ServerResponse): Promise<void> {
  const query = auditQueryFrom(url);
  const entries = await gateway.store.audit.list({ ...query, limit: query.limit + 1 });
  const page = entries.slice(0, query.limit);
  const last = page.at(-1);
  sendJson(response, 200, { data: page.map(publicEntry), nextCursor: entries.length > query.limit && last ? String(last.seq) : null });
}
