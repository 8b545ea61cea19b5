import type { AdminRole } from '../core/admin-role.js';

/** Who did something: an admin key (the bootstrap key has id `bootstrap`), or the gateway itself. */
export interface AuditActor {
  id: string;
  role: AdminRole | 'system';
}

/** One administrative action, as written to the append-only audit log. */
export interface NewAuditEntry {
  /** Epoch ms. */
  at: number;
  actor: AuditActor;
  /** Dotted name, e.g. `key.create`, `key.rotate`, `customer.put`, `revenue.import`, `dataset.delete`. */
  action: string;
  /** What was acted on: a key id, customer id, dataset name; null when the action has no single target. */
  target: string | null;
  clientAddress: string | null;
  /** For changes: the state before and after, as JSON values; null otherwise. */
  before: unknown;
  after: unknown;
}

export interface AuditEntry extends NewAuditEntry {
  /** Position in the log; later entries have larger numbers. */
  seq: number;
}

export interface AuditQuery {
  actorId?: string;
  /** An action name, or a prefix ending in `.*` such as `key.*`. */
  action?: string;
  /** Inclusive, epoch ms. */
  from?: number;
  /** Exclusive, epoch ms. */
  to?: number;
  /** Only entries older than this one (the cursor of the previous page). */
  beforeSeq?: number;
  limit: number;
}

/** The audit log: entries are appended and read, never changed or deleted. */
export interface AuditRepository {
  append(entry: NewAuditEntry): Promise<AuditEntry>;
  /** Newest first. */
  list(query: AuditQuery): Promise<AuditEntry[]>;
}

/** The column values of an entry, in the order of `auditColumns`. */
export const auditColumns = ['at', 'actor_id', 'actor_role', 'action', 'target', 'client_address', 'before_json', 'after_json'] as const;

export function auditValues(entry: NewAuditEntry): unknown[] {
  const json = (value: unknown) => (value === null || value === undefined ? null : JSON.stringify(value));
  return [entry.at, entry.actor.id, entry.actor.role, entry.action, entry.target, entry.clientAddress, json(entry.before), json(entry.after)];
}

export function auditFromRow(row: Record<string, unknown>): AuditEntry {
  const json = (value: unknown) => (typeof value === 'string' ? (JSON.parse(value) as unknown) : null);
  return {
    seq: Number(row.seq),
    at: Number(row.at),
    actor: { id: row.actor_id as string, role: row.actor_role as AuditActor['role'] },
    action: row.action as string,
    target: (row.target as string | null) ?? null,
    clientAddress: (row.client_address as string | null) ?? null,
    before: json(row.before_json),
    after: json(row.after_json),
  };
}

/** The SELECT of a query, with `placeholder(n)` writing the driver's n-th (1-based) parameter. */
export function auditListSql(query: AuditQuery, placeholder: (index: number) => string): { text: string; values: unknown[] } {
  const conditions: string[] = [];
  const values: unknown[] = [];
  const add = (condition: (slot: string) => string, value: unknown) => {
    values.push(value);
    conditions.push(condition(placeholder(values.length)));
  };
  if (query.actorId !== undefined) add((slot) => `actor_id = ${slot}`, query.actorId);
  const action = query.action;
  if (action?.endsWith('.*')) add((slot) => `substr(action, 1, ${action.length - 1}) = ${slot}`, action.slice(0, -1));
  else if (action !== undefined) add((slot) => `action = ${slot}`, action);
  if (query.from !== undefined) add((slot) => `at >= ${slot}`, query.from);
  if (query.to !== undefined) add((slot) => `at < ${slot}`, query.to);
  if (query.beforeSeq !== undefined) add((slot) => `seq < ${slot}`, query.beforeSeq);
  values.push(query.limit);
  const where = conditions.length > 0 ? `WHERE ${conditions.join(' AND ')}` : '';
  return { text: `SELECT * FROM audit_log ${where} ORDER BY seq DESC LIMIT ${placeholder(values.length)}`, values };
}
