import type { ServerResponse } from 'node:http';
import { roundUsd } from '../../ledger/money.js';
import type { UsageGroup, UsageRow } from '../../ledger/ledger-record.js';
import { dayMs, monthOf, monthRange } from '../../reports/periods.js';
import { runMarginReport } from '../../reports/run-reports.js';
import type { SeriesRow } from '../../store/store.js';
import type { Gateway } from '../gateway.js';
import { sendJson } from '../http-body.js';
import { invalid } from '../openai/field-reader.js';
import { parseTime } from './admin-routes.js';

const defaultSpanMs = dayMs;
const defaultBuckets = 24;
const maxBuckets = 500;
const topCount = 5;

function readBuckets(value: string | null): number {
  if (value === null || value === '') return defaultBuckets;
  if (!/^\d+$/.test(value) || Number(value) < 1 || Number(value) > maxBuckets) throw invalid('buckets', `expected an integer from 1 to ${maxBuckets}, got "${value.slice(0, 40)}".`);
  return Number(value);
}

function top(rows: UsageRow[]) {
  return rows.slice(0, topCount).map((row) => ({ group: row.group, requests: row.requests, errors: row.errors, costUsd: row.costUsd }));
}

/** One bucket over the whole span: its totals, or zeros when it saw no request. */
async function totalOver(gateway: Gateway, from: number, to: number): Promise<Omit<SeriesRow, 'bucket'>> {
  const [row] = await gateway.store.ledger.series({ from, to, bucketMs: Math.max(1, to - from) });
  return row ? { requests: row.requests, errors: row.errors, costUsd: row.costUsd, p50Ms: row.p50Ms, p99Ms: row.p99Ms } : { requests: 0, errors: 0, costUsd: 0, p50Ms: 0, p99Ms: 0 };
}

/**
 * GET /admin/overview?from=&to=&buckets=: the figures of the console's first page over a time range (default the
 * last 24 hours in 24 buckets): requests per second, error rate, p50/p99 latency and cost, per bucket and in total;
 * spend of the current UTC day and month, the month's gross margin, and the top models, customers and keys of the range.
 */
export async function overview(gateway: Gateway, url: URL, response: ServerResponse, now = Date.now()): Promise<void> {
  const to = parseTime(url.searchParams.get('to'), 'to') ?? now;
  const from = parseTime(url.searchParams.get('from'), 'from') ?? to - defaultSpanMs;
  if (from >= to) throw invalid('from', `the range must start before it ends (from ${new Date(from).toISOString()}, to ${new Date(to).toISOString()}).`);
  const buckets = readBuckets(url.searchParams.get('buckets'));
  const bucketMs = Math.max(1, Math.ceil((to - from) / buckets));
  await gateway.ledger.flush();
  const dayStart = Math.floor(now / dayMs) * dayMs;
  const month = monthOf(now);
  const range = monthRange(month, month);
  const usage = (groupBy: UsageGroup) => gateway.store.ledger.usage({ groupBy, from, to });
  const [series, total, today, thisMonth, margin, models, customers, keys] = await Promise.all([
    gateway.store.ledger.series({ from, to, bucketMs }),
    totalOver(gateway, from, to),
    totalOver(gateway, dayStart, dayStart + dayMs),
    totalOver(gateway, range.start, range.end),
    runMarginReport(gateway.store, range),
    usage('model'),
    usage('customer'),
    usage('key'),
  ]);
  const seconds = (to - from) / 1000;
  sendJson(response, 200, {
    from: new Date(from).toISOString(),
    to: new Date(to).toISOString(),
    bucketMs,
    totals: {
      ...total,
      requestsPerSecond: Math.round((total.requests / seconds) * 1e6) / 1e6,
      errorRate: total.requests === 0 ? 0 : Math.round((total.errors / total.requests) * 1e6) / 1e6,
    },
    series: series.map((row) => ({ ...row, time: new Date(row.bucket).toISOString(), requestsPerSecond: Math.round((row.requests / (bucketMs / 1000)) * 1e6) / 1e6 })),
    spend: { todayUsd: roundUsd(today.costUsd), monthUsd: roundUsd(thisMonth.costUsd), month },
    margin: { month, revenueUsd: margin.total.revenueUsd, costUsd: margin.total.costUsd, marginUsd: margin.total.marginUsd, marginPercent: margin.total.marginPercent },
    top: { models: top(models), customers: top(customers), keys: top(keys) },
  });
}
