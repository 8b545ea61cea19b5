import type { ZodType, ZodTypeDef } from 'zod';
import { budgetSpecSchema, rateLimitSpecSchema } from '../../limits/limit-types.js';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { GatewayError } from '../../core/errors.js';
import type { UsageGroup } from '../../ledger/ledger-record.js';
import type { KeyRecord } from '../../store/store.js';
import type { Gateway } from '../gateway.js';
import { readJsonBody, sendJson } from '../http-body.js';
import { invalid, optionalString, requireArray, requireObject, requireString } from '../openai/field-reader.js';
import { handleDatasets } from './dataset-routes.js';
import { handleEvaluations } from './evaluation-routes.js';
import { handleReports } from './report-routes.js';
import { overview } from './overview-routes.js';
import { listDeployments } from './deployment-routes.js';
import { handleRequestLog } from '../../quality/capture-routes.js';
import { withFeedbackRates } from '../../quality/feedback-usage.js';
import { adminRoles, isAdminRole } from '../../core/admin-role.js';
import { readAllowedCidrs, rotateKey, updateKey, whoami } from './key-routes.js';
import { bindAdminCall, recordAudit, type AdminCall } from './audit-trail.js';
import { handleAudit } from './audit-routes.js';

const usageGroups: readonly UsageGroup[] = ['key', 'customer', 'model', 'provider', 'team', 'route', 'day'];

export function publicKey(record: KeyRecord): Record<string, unknown> {
  return {
    id: record.id,
    name: record.name,
    prefix: record.prefix,
    models: record.models,
    team: record.team,
    tags: record.tags,
    createdAt: new Date(record.createdAt).toISOString(),
    expiresAt: record.expiresAt === null ? null : new Date(record.expiresAt).toISOString(),
    revokedAt: record.revokedAt === null ? null : new Date(record.revokedAt).toISOString(),
    budget: record.budget ?? null,
    rateLimit: record.rateLimit ?? null,
    role: record.role ?? null,
    allowedCidrs: record.allowedCidrs ?? null,
  };
}

export function parseTime(value: string | null, param: string): number | undefined {
  if (value === null || value === '') return undefined;
  const time = /^\d+$/.test(value) ? Number(value) : Date.parse(value);
  if (Number.isNaN(time)) throw invalid(param, `expected an ISO 8601 date or epoch milliseconds, got "${value}".`);
  return time;
}

export function parseSpec<T>(schema: ZodType<T, ZodTypeDef, unknown>, value: unknown, param: string): T {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  throw invalid(issue && issue.path.length > 0 ? `${param}.${issue.path.join('.')}` : param, issue?.message ?? 'invalid value.');
}

async function createKey(gateway: Gateway, request: IncomingMessage, response: ServerResponse): Promise<void> {
  const body = requireObject(await readJsonBody(request, gateway.config.server.bodyLimitBytes), 'body');
  const name = requireString(body.name, 'name');
  if (name.trim() === '') throw invalid('name', 'must not be empty.');
  const input: Parameters<Gateway['keys']['create']>[0] = { name };
  if (body.role !== undefined && body.role !== null) {
    if (!isAdminRole(body.role)) throw invalid('role', `expected one of ${adminRoles.join(', ')}, or no role for a client key.`);
    input.role = body.role;
  }
  if (body.models !== undefined && body.models !== null) input.models = requireArray(body.models, 'models').map((item, index) => requireString(item, `models[${index}]`));
  const expiresAt = optionalString(body.expiresAt, 'expiresAt');
  if (expiresAt !== undefined) input.expiresAt = parseTime(expiresAt, 'expiresAt') as number;
  const team = optionalString(body.team, 'team');
  if (team !== undefined) input.team = team;
  if (body.tags !== undefined && body.tags !== null) {
    const tags = requireObject(body.tags, 'tags');
    input.tags = Object.fromEntries(Object.entries(tags).map(([tag, value]) => [tag, requireString(value, `tags.${tag}`)]));
  }
  if (body.budget !== undefined && body.budget !== null) input.budget = parseSpec(budgetSpecSchema, body.budget, 'budget');
  const allowedCidrs = readAllowedCidrs(body.allowedCidrs);
  if (allowedCidrs) input.allowedCidrs = allowedCidrs;
  if (body.rateLimit !== undefined && body.rateLimit !== null) input.rateLimit = parseSpec(rateLimitSpecSchema, body.rateLimit, 'rateLimit');
  const created = await gateway.keys.create(input);
  await recordAudit(gateway, request, { action: 'key.create', target: created.id, after: publicKey(created.record) });
  sendJson(response, 201, { ...publicKey(created.record), id: created.id, key: created.key });
}

async function usage(gateway: Gateway, url: URL, response: ServerResponse): Promise<void> {
  const groupBy = (url.searchParams.get('groupBy') ?? 'model') as UsageGroup;
  if (!usageGroups.includes(groupBy)) throw invalid('groupBy', `expected one of ${usageGroups.join(', ')}.`);
  const from = parseTime(url.searchParams.get('from'), 'from');
  const to = parseTime(url.searchParams.get('to'), 'to');
  await gateway.ledger.flush();
  const query = { groupBy, ...(from === undefined ? {} : { from }), ...(to === undefined ? {} : { to }) };
  const [rows, feedback] = await Promise.all([gateway.store.ledger.usage(query), gateway.store.feedback.summary(query)]);
  sendJson(response, 200, { groupBy, from: from ?? null, to: to ?? null, rows: withFeedbackRates(gateway.config, rows, feedback) });
}

/** `/admin/*`: keys and reports. The caller's role has already been checked against `adminPermissions`. */
export async function handleAdmin(gateway: Gateway, request: IncomingMessage, response: ServerResponse, options: AdminCall): Promise<void> {
  const { url, principal } = options;
  bindAdminCall(request, options);
  const path = url.pathname;
  const method = request.method ?? 'GET';
  if (path === '/admin/whoami' && method === 'GET') return whoami(principal, response);
  if (path === '/admin/keys' && method === 'POST') return createKey(gateway, request, response);
  if (path === '/admin/keys' && method === 'GET') {
    sendJson(response, 200, { data: (await gateway.keys.list()).map(publicKey) });
    return;
  }
  const keyMatch = /^\/admin\/keys\/([^/]+)$/.exec(path);
  if (keyMatch && method === 'PATCH') return updateKey(gateway, { request, response }, options, decodeURIComponent(keyMatch[1] as string));
  const rotateMatch = /^\/admin\/keys\/([^/]+)\/rotate$/.exec(path);
  if (rotateMatch && method === 'POST') return rotateKey(gateway, { request, response }, decodeURIComponent(rotateMatch[1] as string));
  if (keyMatch && method === 'DELETE') {
    const id = decodeURIComponent(keyMatch[1] as string);
    if (!(await gateway.keys.revoke(id))) throw new GatewayError('not_found', `No key with id "${id}".`);
    await recordAudit(gateway, request, { action: 'key.revoke', target: id });
    sendJson(response, 200, { id, revoked: true });
    return;
  }
  if (path === '/admin/usage' && method === 'GET') return usage(gateway, url, response);
  if (path === '/admin/audit' && method === 'GET') return handleAudit(gateway, url, response);
  if (path === '/admin/overview' && method === 'GET') return overview(gateway, url, response);
  if (await handleRequestLog(gateway, { method, url, role: principal.role }, response)) return;
  if (path === '/admin/health' && method === 'GET') {
    sendJson(response, 200, { deployments: gateway.health.snapshot() });
    return;
  }
  if (path === '/admin/deployments' && method === 'GET') return listDeployments(gateway, response);
  if (path === '/admin/ledger/stats' && method === 'GET') {
    await gateway.ledger.flush();
    sendJson(response, 200, { ...(await gateway.store.ledger.count()), ...gateway.ledger.stats() });
    return;
  }
  if (path === '/admin/responses/stats' && method === 'GET') {
    sendJson(response, 200, gateway.responses.stats());
    return;
  }
  if (await handleReports(gateway, request, response, url)) return;
  if (path.startsWith('/admin/datasets') && (await handleDatasets(gateway, request, response, url))) return;
  if (await handleEvaluations(gateway, request, response, path)) return;
  throw new GatewayError('not_found', `No admin endpoint ${method} ${path}.`);
}
