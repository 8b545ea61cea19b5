import { z } from 'zod';

export const budgetPeriods = ['daily', 'monthly', 'lifetime'] as const;
export type BudgetPeriod = (typeof budgetPeriods)[number];

/** Who a budget belongs to. */
export type BudgetScopeKind = 'key' | 'team' | 'customer';

/** Who a rate limit belongs to. */
export type RateScopeKind = 'key' | 'team' | 'customer' | 'model';

/** Thresholds reported when none are configured: 80% and 100% of the budget. */
export const defaultAlertAt: readonly number[] = [0.8, 1];

export const budgetSpecSchema = z
  .object({
    usd: z.number().nonnegative().finite().describe('Limit in US dollars for one period'),
    period: z.enum(budgetPeriods).describe('UTC day, UTC calendar month, or no reset'),
    hard: z.boolean().describe('true rejects requests once the limit is reached; false only reports thresholds'),
    alertAt: z
      .array(
        z
          .number()
          .positive()
          .max(10, 'alertAt holds fractions of the budget: 0.8 means 80%'),
      )
      .max(10)
      .optional()
      .describe('Fractions of the budget whose crossing is reported once per period (default 0.8 and 1)'),
  })
  .strict();

export const rateLimitSpecSchema = z
  .object({
    rpm: z.number().int().positive().optional().describe('Requests per minute'),
    tpm: z.number().int().positive().optional().describe('Tokens per minute (input estimate plus the output cap)'),
  })
  .strict()
  .refine((spec) => spec.rpm !== undefined || spec.tpm !== undefined, { message: 'Set rpm, tpm or both.' });

export type BudgetSpec = z.infer<typeof budgetSpecSchema>;
export type RateLimitSpec = z.infer<typeof rateLimitSpecSchema>;
