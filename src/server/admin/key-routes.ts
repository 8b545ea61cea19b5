import type { IncomingMessage, ServerResponse } from 'node:http';
import { GatewayError } from '../../core/errors.js';
import { budgetSpecSchema, rateLimitSpecSchema } from '../../limits/limit-types.js';
import type { KeyUpdate } from '../../store/store.js';
import type { Principal } from '../auth/key-service.js';
import type { Gateway } from '../gateway.js';
import { readJsonBody, sendJson } from '../http-body.js';
import { invalid, requireObject } from '../openai/field-reader.js';
import { parseSpec, publicKey } from './admin-routes.js';

type AdminPrincipal = Extract<Principal, { kind: 'admin' }>;

/** The bootstrap admin key has no stored record; it answers with this id and name. */
export const bootstrapKeyId = 'bootstrap';

/** `GET /admin/whoami`: the calling admin key's id, name and role. */
export function whoami(principal: AdminPrincipal, response: ServerResponse): void {
  const key = principal.key;
  sendJson(response, 200, { id: key?.id ?? bootstrapKeyId, name: key?.name ?? 'bootstrap admin key', role: principal.role });
}

function readKeyUpdate(body: Record<string, unknown>): KeyUpdate {
  const known = ['budget', 'rateLimit'];
  const unknown = Object.keys(body).filter((field) => !known.includes(field));
  if (unknown.length > 0) throw invalid(unknown[0] as string, `cannot be changed here; a key's ${known.join(' and ')} can.`);
  const update: KeyUpdate = {};
  if (body.budget !== undefined) update.budget = body.budget === null ? null : parseSpec(budgetSpecSchema, body.budget, 'budget');
  if (body.rateLimit !== undefined) update.rateLimit = body.rateLimit === null ? null : parseSpec(rateLimitSpecSchema, body.rateLimit, 'rateLimit');
  return update;
}

/** `PATCH /admin/keys/:id`: sets or clears (null) the budget and rate limit of an existing key. */
export async function updateKey(gateway: Gateway, request: IncomingMessage, response: ServerResponse, id: string): Promise<void> {
  const update = readKeyUpdate(requireObject(await readJsonBody(request, gateway.config.server.bodyLimitBytes), 'body'));
  const updated = await gateway.keys.update(id, update);
  if (!updated) throw new GatewayError('not_found', `No key with id "${id.slice(0, 80)}".`);
  sendJson(response, 200, publicKey(updated.after));
}
