import type { BudgetPeriod } from './limit-types.js';

export interface PeriodWindow {
  /** `2026-11-05` (daily), `2026-11` (monthly) or `lifetime`; part of the counter's key. */
  id: string;
  /** Epoch milliseconds when the next period starts; Infinity for `lifetime`. */
  endsAt: number;
}

const pad = (value: number) => String(value).padStart(2, '0');

/** The UTC period holding `now`. Budgets reset at 00:00 UTC (daily) and on the 1st at 00:00 UTC (monthly). */
export function periodAt(period: BudgetPeriod, now: number): PeriodWindow {
  if (period === 'lifetime') return { id: 'lifetime', endsAt: Number.POSITIVE_INFINITY };
  const date = new Date(now);
  const year = date.getUTCFullYear();
  const month = date.getUTCMonth();
  if (period === 'monthly') return { id: `${year}-${pad(month + 1)}`, endsAt: Date.UTC(year, month + 1, 1) };
  const day = date.getUTCDate();
  return { id: `${year}-${pad(month + 1)}-${pad(day)}`, endsAt: Date.UTC(year, month, day + 1) };
}
