import type { IncomingMessage } from 'node:http';
import type { AuditActor } from '../../store/audit-store.js';
import type { Store } from '../../store/store.js';
import type { Principal } from '../auth/key-service.js';
import type { Gateway } from '../gateway.js';

/** An admin request after its role was checked: the caller and the client address it came from. */
export interface AdminCall {
  url: URL;
  principal: Extract<Principal, { kind: 'admin' }>;
  address: string;
}

/** What an action changed; before and after only for changes of state worth comparing (budgets, limits). */
export interface AuditedChange {
  action: string;
  target: string | null;
  before?: unknown;
  after?: unknown;
}

/** The bootstrap admin key has no stored record; it is named by this id. */
export const bootstrapKeyId = 'bootstrap';

const calls = new WeakMap<IncomingMessage, AdminCall>();

/** Remembers who makes an admin request, so that handlers deeper down can audit it without passing the caller along. */
export function bindAdminCall(request: IncomingMessage, call: AdminCall): void {
  calls.set(request, call);
}

export function actorOf(principal: AdminCall['principal']): AuditActor {
  return { id: principal.key?.id ?? bootstrapKeyId, role: principal.role };
}

/**
 * Appends an admin request's action to the audit log, after the action succeeded. A failed write answers 500, so an
 * action is never reported done without its entry.
 */
export async function recordAudit(gateway: Gateway, request: IncomingMessage, change: AuditedChange): Promise<void> {
  const call = calls.get(request);
  if (!call) throw new Error(`audit: ${change.action} came from a request that did not pass the admin check`);
  await gateway.store.audit.append({
    at: Date.now(), actor: actorOf(call.principal), action: change.action, target: change.target, clientAddress: call.address,
    before: change.before ?? null, after: change.after ?? null,
  });
}

/**
 * For actions not made through the admin API, from no address: the gateway's own, such as a configuration reload
 * (actor `system`), or the command line's on the data folder (actor `cli`).
 */
export async function recordSystemAudit(store: Store, change: AuditedChange, actorId: 'system' | 'cli' = 'system'): Promise<void> {
  await store.audit.append({ at: Date.now(), actor: { id: actorId, role: 'system' }, action: change.action, target: change.target, clientAddress: null, before: change.before ?? null, after: change.after ?? null });
}
