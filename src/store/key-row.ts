import { isAdminRole } from '../core/admin-role.js';
import type { BudgetSpec, RateLimitSpec } from '../limits/limit-types.js';
import type { KeyRecord, KeyUpdate } from './store.js';

/** Key limits are stored as JSON text columns in every driver. */
export function limitsToColumns(key: { budget?: BudgetSpec | null; rateLimit?: RateLimitSpec | null }): { budget: string | null; rateLimit: string | null } {
  return { budget: key.budget ? JSON.stringify(key.budget) : null, rateLimit: key.rateLimit ? JSON.stringify(key.rateLimit) : null };
}

export function limitsFromColumns(row: Record<string, unknown>): { budget: BudgetSpec | null; rateLimit: RateLimitSpec | null } {
  return {
    budget: typeof row.budget === 'string' ? (JSON.parse(row.budget) as BudgetSpec) : null,
    rateLimit: typeof row.rate_limit === 'string' ? (JSON.parse(row.rate_limit) as RateLimitSpec) : null,
  };
}

/** Every column of a `keys` row, in the order of `keyColumnNames`, as both drivers bind them. */
export const keyColumnNames = [
  'id', 'name', 'hash', 'prefix', 'models', 'team', 'tags', 'created_at', 'expires_at', 'revoked_at', 'budget', 'rate_limit',
  'role', 'previous_hash', 'previous_valid_until', 'allowed_cidrs',
] as const;

export function keyToColumns(key: KeyRecord): unknown[] {
  const limits = limitsToColumns(key);
  return [
    key.id, key.name, key.hash, key.prefix, key.models === null ? null : JSON.stringify(key.models), key.team, JSON.stringify(key.tags),
    key.createdAt, key.expiresAt, key.revokedAt, limits.budget, limits.rateLimit,
    key.role ?? null, key.previousHash ?? null, key.previousValidUntil ?? null, key.allowedCidrs ? JSON.stringify(key.allowedCidrs) : null,
  ];
}

/** The columns an update sets, by name, with their stored values; fields the update leaves out are absent. */
export function keyUpdateColumns(update: KeyUpdate): Array<[string, string | null]> {
  const columns: Array<[string, string | null]> = [];
  const limits = limitsToColumns(update);
  if (update.budget !== undefined) columns.push(['budget', limits.budget]);
  if (update.rateLimit !== undefined) columns.push(['rate_limit', limits.rateLimit]);
  if (update.allowedCidrs !== undefined) columns.push(['allowed_cidrs', update.allowedCidrs ? JSON.stringify(update.allowedCidrs) : null]);
  return columns;
}

function optionalNumber(value: unknown): number | null {
  return value === null || value === undefined ? null : Number(value);
}

/** A key read back from a row of the `keys` table, the same in every driver. */
export function keyFromRow(row: Record<string, unknown>): KeyRecord {
  return {
    id: row.id as string,
    name: row.name as string,
    hash: row.hash as string,
    prefix: row.prefix as string,
    models: row.models === null ? null : (JSON.parse(row.models as string) as string[]),
    team: (row.team as string | null) ?? null,
    tags: JSON.parse(row.tags as string) as Record<string, string>,
    createdAt: Number(row.created_at),
    expiresAt: optionalNumber(row.expires_at),
    revokedAt: optionalNumber(row.revoked_at),
    ...limitsFromColumns(row),
    role: isAdminRole(row.role) ? row.role : null,
    previousHash: typeof row.previous_hash === 'string' ? row.previous_hash : null,
    previousValidUntil: optionalNumber(row.previous_valid_until),
    allowedCidrs: typeof row.allowed_cidrs === 'string' ? (JSON.parse(row.allowed_cidrs) as string[]) : null,
  };
}
