import type { BudgetSpec, RateLimitSpec } from '../limits/limit-types.js';
import type { KeyRecord } from './store.js';

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
    expiresAt: row.expires_at === null || row.expires_at === undefined ? null : Number(row.expires_at),
    revokedAt: row.revoked_at === null || row.revoked_at === undefined ? null : Number(row.revoked_at),
    ...limitsFromColumns(row),
  };
}
