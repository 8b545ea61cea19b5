import type { IncomingMessage, ServerResponse } from 'node:http';
import { GatewayError } from '../../core/errors.js';
import { applyCustomerUpdate } from '../../reports/customer-input.js';
import { isMonth } from '../../reports/periods.js';
import { buildReportContext, type ReportContext } from '../../reports/report-context.js';
import { readGraduationQuery, readMonthRange, readSpendQuery, type ParameterReader } from '../../reports/report-queries.js';
import { readRevenueCsv, readRevenueRows } from '../../reports/revenue-input.js';
import { runGraduationReport, runMarginReport, runSpendReport } from '../../reports/run-reports.js';
import type { CustomerRecord } from '../../store/store.js';
import type { Gateway } from '../gateway.js';
import { readJsonBody, readTextBody, sendJson } from '../http-body.js';
import { recordAudit } from './audit-trail.js';
import { invalid, requireArray } from '../openai/field-reader.js';

const contexts = new WeakMap<Gateway, ReportContext>();

function contextOf(gateway: Gateway): ReportContext {
  let context = contexts.get(gateway);
  if (!context) contexts.set(gateway, (context = buildReportContext(gateway.config, gateway.registry)));
  return context;
}

function publicCustomer(customer: CustomerRecord): Record<string, unknown> {
  return { ...customer, updatedAt: new Date(customer.updatedAt).toISOString() };
}

/** A CSV upload (`content-type: text/csv`, header customer,period,usd): every bad line is named, and then nothing is imported. */
async function importRevenueCsv(gateway: Gateway, request: IncomingMessage, response: ServerResponse): Promise<void> {
  const text = await readTextBody(request, gateway.config.server.bodyLimitBytes);
  let rows;
  try {
    rows = readRevenueCsv(text);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    const line = /line (\d+)/.exec(message)?.[1];
    throw new GatewayError('invalid_request', `Nothing imported. ${message.replace(/, nothing imported:\n/, ': ').replace(/\n/g, '; ')}.`, { param: line ? `line ${line}` : 'body' });
  }
  await saveRevenue(gateway, request, response, rows);
}

async function importRevenue(gateway: Gateway, request: IncomingMessage, response: ServerResponse): Promise<void> {
  if ((request.headers['content-type'] ?? '').split(';')[0]?.trim().toLowerCase() === 'text/csv') return importRevenueCsv(gateway, request, response);
  const body = await readJsonBody(request, gateway.config.server.bodyLimitBytes);
  const values = Array.isArray(body) ? body : requireArray((body as { rows?: unknown } | null)?.rows, 'rows');
  const { rows, problems } = readRevenueRows(values);
  if (problems.length > 0) {
    const first = problems[0] as (typeof problems)[number];
    const listed = problems.slice(0, 20).map((problem) => `rows[${problem.row}].${problem.field}: ${problem.message}`);
    const more = problems.length > listed.length ? ` (and ${problems.length - listed.length} more)` : '';
    throw new GatewayError('invalid_request', `Nothing imported. ${listed.join('; ')}${more}.`, { param: `rows[${first.row}].${first.field}` });
  }
  await saveRevenue(gateway, request, response, rows);
}

/** Stores imported revenue rows (from JSON or CSV) and records the import in the audit log. */
async function saveRevenue(gateway: Gateway, request: IncomingMessage, response: ServerResponse, rows: Parameters<Gateway['store']['revenue']['upsert']>[0]): Promise<void> {
  await gateway.store.revenue.upsert(rows);
  const summary = { imported: rows.length, customers: [...new Set(rows.map((row) => row.customer))].length, periods: [...new Set(rows.map((row) => row.period))].sort() };
  await recordAudit(gateway, request, { action: 'revenue.import', target: null, after: summary });
  sendJson(response, 200, { imported: rows.length });
}

async function putCustomer(gateway: Gateway, request: IncomingMessage, response: ServerResponse, id: string): Promise<void> {
  const body = await readJsonBody(request, gateway.config.server.bodyLimitBytes);
  if (id.trim() === '') throw invalid('id', 'must not be empty.');
  const existing = await gateway.store.customers.get(id);
  const customer = applyCustomerUpdate(id, body, existing, Date.now());
  await gateway.store.customers.put(customer);
  await recordAudit(gateway, request, { action: 'customer.put', target: id, before: existing ? publicCustomer(existing) : null, after: publicCustomer(customer) });
  sendJson(response, existing ? 200 : 201, publicCustomer(customer));
}

async function customers(gateway: Gateway, request: IncomingMessage, response: ServerResponse, path: string): Promise<boolean> {
  const method = request.method ?? 'GET';
  if (path === '/admin/customers' && method === 'GET') {
    sendJson(response, 200, { data: (await gateway.store.customers.list()).map(publicCustomer) });
    return true;
  }
  const match = /^\/admin\/customers\/([^/]+)$/.exec(path);
  if (!match) return false;
  const id = decodeURIComponent(match[1] as string);
  if (method === 'PUT') {
    await putCustomer(gateway, request, response, id);
    return true;
  }
  if (method !== 'GET') return false;
  const customer = await gateway.store.customers.get(id);
  if (!customer) throw new GatewayError('not_found', `No customer with id "${id}".`);
  sendJson(response, 200, publicCustomer(customer));
  return true;
}

async function reports(gateway: Gateway, response: ServerResponse, url: URL): Promise<boolean> {
  const get: ParameterReader = (name) => url.searchParams.get(name) ?? undefined;
  const now = Date.now();
  const path = url.pathname;
  if (!['/admin/reports/margin', '/admin/reports/spend', '/admin/reports/graduation'].includes(path)) return false;
  await gateway.ledger.flush();
  if (path === '/admin/reports/margin') sendJson(response, 200, await runMarginReport(gateway.store, readMonthRange(get, now)));
  else if (path === '/admin/reports/spend') sendJson(response, 200, await runSpendReport(gateway.store, contextOf(gateway), readSpendQuery(get, now)));
  else sendJson(response, 200, await runGraduationReport(gateway.store, contextOf(gateway), readGraduationQuery(get), now));
  return true;
}

/** `/admin/revenue`, `/admin/customers[/:id]` and `/admin/reports/*`; false when the path is none of these. */
export async function handleReports(gateway: Gateway, request: IncomingMessage, response: ServerResponse, url: URL): Promise<boolean> {
  const path = url.pathname;
  const method = request.method ?? 'GET';
  if (path === '/admin/revenue' && method === 'POST') {
    await importRevenue(gateway, request, response);
    return true;
  }
  if (path === '/admin/revenue' && method === 'GET') {
    const get: ParameterReader = (name) => url.searchParams.get(name) ?? undefined;
    const from = get('from') ?? get('period');
    const to = get('to') ?? get('period');
    for (const [param, value] of [['from', from], ['to', to]] as const) {
      if (value !== undefined && !isMonth(value)) throw invalid(param, `expected a month as YYYY-MM, got "${value}".`);
    }
    sendJson(response, 200, { data: await gateway.store.revenue.list({ ...(from ? { from } : {}), ...(to ? { to } : {}) }) });
    return true;
  }
  if (path.startsWith('/admin/customers')) return customers(gateway, request, response, path);
  if (path.startsWith('/admin/reports/') && method === 'GET') return reports(gateway, response, url);
  return false;
}
