import type { BudgetSpec, RateLimitSpec } from '../limits/limit-types.js';

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
