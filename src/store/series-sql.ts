import type { SeriesQuery, SeriesRow } from './store.js';
import { roundUsd } from '../ledger/money.js';

/**
 * Requests per time bucket with their errors, cost and nearest-rank latency percentiles, for either driver.
 * Buckets start at `from` and are `bucketMs` wide; a bucket without requests has no row. The percentile of a
 * bucket of n requests is the latency of rank r, the smallest with r / n >= p (integer arithmetic on both drivers).
 */
export function seriesSql(query: SeriesQuery, dialect: 'sqlite' | 'postgres'): { text: string; values: unknown[] } {
  // Each value is used more than once: named for SQLite (bound as one object), numbered for PostgreSQL.
  const names = ['from', 'to', 'size'];
  const at = (index: number) => (dialect === 'sqlite' ? `@${names[index - 1]}` : `$${index}`);
  const values = dialect === 'sqlite' ? [{ from: query.from, to: query.to, size: query.bucketMs }] : [query.from, query.to, query.bucketMs];
  // SQLite binds JavaScript numbers as floating point: the cast keeps the division whole.
  const steps = dialect === 'sqlite' ? `CAST((started_at - ${at(1)}) / ${at(3)} AS INTEGER)` : `((started_at - ${at(1)}) / ${at(3)})`;
  const bucket = `(${at(1)} + ${steps} * ${at(3)})`;
  const text = `WITH ranked AS (
      SELECT ${bucket} AS bucket, latency_ms, status, cost_usd,
        ROW_NUMBER() OVER (PARTITION BY ${bucket} ORDER BY latency_ms) AS rn,
        COUNT(*) OVER (PARTITION BY ${bucket}) AS n
      FROM requests WHERE started_at >= ${at(1)} AND started_at < ${at(2)}
    )
    SELECT bucket, COUNT(*) AS requests, SUM(CASE WHEN status >= 400 THEN 1 ELSE 0 END) AS errors, SUM(cost_usd) AS cost_usd,
      MIN(CASE WHEN rn * 100 >= n * 50 THEN latency_ms END) AS p50,
      MIN(CASE WHEN rn * 100 >= n * 99 THEN latency_ms END) AS p99
    FROM ranked GROUP BY bucket ORDER BY bucket`;
  return { text, values };
}

/** A driver's result row as a SeriesRow. */
export function seriesRowFrom(row: Record<string, unknown>): SeriesRow {
  const number = (name: string) => Number(row[name] ?? 0);
  const latency = (name: string) => Math.round(number(name) * 1000) / 1000;
  return { bucket: number('bucket'), requests: number('requests'), errors: number('errors'), costUsd: roundUsd(number('cost_usd')), p50Ms: latency('p50'), p99Ms: latency('p99') };
}
