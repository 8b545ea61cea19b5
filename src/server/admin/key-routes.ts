import type { IncomingMessage, ServerResponse } from 'node:http';
import { cidrListSchema } from '../../config/access-schema.js';
import { GatewayError } from '../../core/errors.js';
import { budgetSpecSchema, rateLimitSpecSchema } from '../../limits/limit-types.js';
import type { KeyRecord, KeyUpdate } from '../../store/store.js';
import { bootstrapKeyId, recordAudit, type AdminCall } from './audit-trail.js';
import type { Gateway } from '../gateway.js';
import { readJsonBody, readOptionalJsonBody, sendJson } from '../http-body.js';
import { invalid, optionalNumber, requireObject } from '../openai/field-reader.js';
import { parseSpec, publicKey } from './admin-routes.js';


type Http = { request: IncomingMessage; response: ServerResponse };

/** `GET /admin/whoami`: the calling admin key's id, name and role. */
export function whoami(principal: AdminCall['principal'], response: ServerResponse): void {
  const key = principal.key;
  sendJson(response, 200, { id: key?.id ?? bootstrapKeyId, name: key?.name ?? 'bootstrap admin key', role: principal.role });
}

/** `allowedCidrs` of a key: absent or null for anywhere, else a list of IPv4 and IPv6 networks. */
export function readAllowedCidrs(value: unknown): string[] | null | undefined {
  if (value === undefined || value === null) return value;
  return parseSpec(cidrListSchema, value, 'allowedCidrs');
}

function readKeyUpdate(body: Record<string, unknown>, call: AdminCall): KeyUpdate {
  const known = ['budget', 'rateLimit', 'allowedCidrs'];
  const unknown = Object.keys(body).filter((field) => !known.includes(field));
  if (unknown.length > 0) throw invalid(unknown[0] as string, `cannot be changed here; a key's ${known.join(', ')} can.`);
  if (body.allowedCidrs !== undefined && call.principal.role !== 'admin') {
    throw new GatewayError('permission_denied', `Changing allowedCidrs needs the admin role; this key has the ${call.principal.role} role.`);
  }
  const update: KeyUpdate = {};
  if (body.budget !== undefined) update.budget = body.budget === null ? null : parseSpec(budgetSpecSchema, body.budget, 'budget');
  if (body.rateLimit !== undefined) update.rateLimit = body.rateLimit === null ? null : parseSpec(rateLimitSpecSchema, body.rateLimit, 'rateLimit');
  const allowedCidrs = readAllowedCidrs(body.allowedCidrs);
  if (allowedCidrs !== undefined) update.allowedCidrs = allowedCidrs;
  return update;
}

function limitsOf(key: KeyRecord): Record<string, unknown> {
  return { budget: key.budget ?? null, rateLimit: key.rateLimit ?? null, allowedCidrs: key.allowedCidrs ?? null };
}

/** `PATCH /admin/keys/:id`: sets or clears (null) the budget, rate limit and allowed networks of an existing key. */
export async function updateKey(gateway: Gateway, http: Http, call: AdminCall, id: string): Promise<void> {
  const update = readKeyUpdate(requireObject(await readJsonBody(http.request, gateway.config.server.bodyLimitBytes), 'body'), call);
  const updated = await gateway.keys.update(id, update);
  if (!updated) throw new GatewayError('not_found', `No key with id "${id.slice(0, 80)}".`);
  await recordAudit(gateway, http.request, { action: 'key.update', target: id, before: limitsOf(updated.before), after: limitsOf(updated.after) });
  sendJson(http.response, 200, publicKey(updated.after));
}

/** `POST /admin/keys/:id/rotate` with an optional `{"graceSeconds"}`: a new secret, the old one valid for the grace. */
export async function rotateKey(gateway: Gateway, http: Http, id: string): Promise<void> {
  const body = await readOptionalJsonBody(http.request, gateway.config.server.bodyLimitBytes);
  const asked = body === undefined ? undefined : optionalNumber(requireObject(body, 'body').graceSeconds, 'graceSeconds', { min: 0, max: 30 * 86_400, integer: true });
  const graceSeconds = asked ?? gateway.config.access.rotation.graceSeconds;
  const rotated = await gateway.keys.rotate(id, graceSeconds * 1000);
  if (!rotated) throw new GatewayError('not_found', `No active key with id "${id.slice(0, 80)}".`);
  const previousValidUntil = new Date(rotated.record.previousValidUntil ?? Date.now()).toISOString();
  await recordAudit(gateway, http.request, { action: 'key.rotate', target: id, after: { previousValidUntil } });
  sendJson(http.response, 200, { ...publicKey(rotated.record), key: rotated.key, previousValidUntil });
}
