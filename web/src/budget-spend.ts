import { useMemo } from 'react';
import { query } from './api';
import type { UsageRow } from './types';
import { useApi } from './useApi';

/** Spend per key or customer in the current UTC day, the current UTC month and in all, to set against budgets. */
export function useBudgetSpend(groupBy: 'key' | 'customer'): (id: string, period: string) => number {
  const now = new Date();
  const dayStart = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate());
  const monthStart = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 1);
  const daily = useApi<{ rows: UsageRow[] }>(`/admin/usage${query({ groupBy, from: dayStart })}`);
  const monthly = useApi<{ rows: UsageRow[] }>(`/admin/usage${query({ groupBy, from: monthStart })}`);
  const lifetime = useApi<{ rows: UsageRow[] }>(`/admin/usage${query({ groupBy })}`);
  return useMemo(() => {
    const index = (rows: UsageRow[] | undefined) => new Map((rows ?? []).map((row) => [row.group ?? '', row.costUsd]));
    const periods: Record<string, Map<string, number>> = { daily: index(daily.data?.rows), monthly: index(monthly.data?.rows), lifetime: index(lifetime.data?.rows) };
    return (id: string, period: string) => periods[period]?.get(id) ?? 0;
  }, [daily.data, monthly.data, lifetime.data]);
}
