import type { ServerResponse } from 'node:http';
import type { UsageGroup } from '../ledger/ledger-record.js';
import { parseTime } from './admin/admin-routes.js';
import type { Principal } from './auth/key-service.js';
import type { Gateway } from './gateway.js';
import { sendJson } from './http-body.js';
import { invalid } from './openai/field-reader.js';

const ownGroups: readonly UsageGroup[] = ['model', 'route', 'customer', 'provider', 'day'];

/** The ledger key id of a caller's requests, as request records write it. */
function ownKeyId(principal: Principal): string {
  return principal.key?.id ?? 'admin';
}

/** `GET /v1/usage?groupBy=&from=&to=`: the calling key's own usage, never another key's. */
export async function ownUsage(gateway: Gateway, url: URL, principal: Principal, response: ServerResponse): Promise<void> {
  const groupBy = (url.searchParams.get('groupBy') ?? 'model') as UsageGroup;
  if (!ownGroups.includes(groupBy)) throw invalid('groupBy', `expected one of ${ownGroups.join(', ')}.`);
  const from = parseTime(url.searchParams.get('from'), 'from');
  const to = parseTime(url.searchParams.get('to'), 'to');
  const keyId = ownKeyId(principal);
  await gateway.ledger.flush();
  const rows = await gateway.store.ledger.usage({ groupBy, keyId, ...(from === undefined ? {} : { from }), ...(to === undefined ? {} : { to }) });
  sendJson(response, 200, { keyId, groupBy, from: from ?? null, to: to ?? null, rows });
}
