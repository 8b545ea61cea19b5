import { useMemo, useState } from 'react';
import type { ColumnDef } from '@tanstack/react-table';
import { query } from '../api';
import { SeriesChart } from '../components/charts';
import { DataTable } from '../components/DataTable';
import { ErrorNote } from '../components/ErrorNote';
import { Figure } from '../components/Figure';
import { PageTitle } from '../components/PageTitle';
import { rangeOf, TimeRange } from '../components/TimeRange';
import { count, ms, percent, usd } from '../format';
import type { Overview, TopRow } from '../types';
import { useApi } from '../useApi';

function topColumns(label: string, names: Map<string, string> = new Map()): ColumnDef<TopRow, any>[] {
  return [
    { header: label, accessorKey: 'group', cell: (cell) => { const group = cell.getValue() as string | null; return group === null ? '(none)' : names.get(group) ?? group; } },
    { header: 'Requests', accessorKey: 'requests', cell: (cell) => count(cell.getValue() as number) },
    { header: 'Errors', accessorKey: 'errors', cell: (cell) => count(cell.getValue() as number) },
    { header: 'Cost', accessorKey: 'costUsd', cell: (cell) => usd(cell.getValue() as number) },
  ];
}

/** Requests per second to three significant digits: quiet gateways see fractions of one. */
function rate(value: number): string {
  return value === 0 ? '0' : value >= 100 ? Math.round(value).toLocaleString('en-US') : value.toPrecision(3);
}

/** The figures of a range as the page prints them. */
function overviewFigures(data: Overview): Record<string, string> {
  return {
    rps: rate(data.totals.requestsPerSecond),
    p50: ms(data.totals.p50Ms),
    p99: ms(data.totals.p99Ms),
    errorRate: percent(data.totals.errorRate * 100, 2),
    requests: count(data.totals.requests),
    spendToday: usd(data.spend.todayUsd),
    spendMonth: usd(data.spend.monthUsd),
    margin: usd(data.margin.marginUsd),
    marginPercent: percent(data.margin.marginPercent),
  };
}

export function OverviewPage() {
  const [rangeId, setRangeId] = useState('24h');
  // The range ends at the minute the page (or the range) was chosen, so the figures hold still while read.
  const [now, setNow] = useState(() => Math.ceil(Date.now() / 60_000) * 60_000);
  const range = rangeOf(rangeId);
  const from = now - range.ms;
  const { data, error, loading, reload } = useApi<Overview>(`/admin/overview${query({ from, to: now, buckets: range.buckets })}`);
  const series = useMemo(() => (data?.series ?? []).map((point) => ({ ...point, label: new Date(point.bucket).toISOString().slice(range.ms > 86_400_000 ? 5 : 11, 16).replace('T', ' ') })), [data, range.ms]);
  const figures = data ? overviewFigures(data) : undefined;
  const keys = useApi<{ data: Array<{ id: string; name: string }> }>('/admin/keys');
  const keyNames = useMemo(() => new Map((keys.data?.data ?? []).map((key) => [key.id, key.name])), [keys.data]);
  return (
    <section aria-labelledby="overview-title">
      <PageTitle>Overview</PageTitle>
      <div className="toolbar">
        <TimeRange value={rangeId} onChange={(id) => { setRangeId(id); setNow(Math.ceil(Date.now() / 60_000) * 60_000); }} />
        <button type="button" onClick={() => { setNow(Math.ceil(Date.now() / 60_000) * 60_000); reload(); }}>
          Refresh
        </button>
        <span className="muted" aria-live="polite">{loading ? 'Loading…' : data ? `${data.from.slice(0, 16)} to ${data.to.slice(0, 16)} UTC` : ''}</span>
      </div>
      <ErrorNote error={error} />
      {figures && data ? (
        <>
          <dl className="figures" data-from={from} data-to={now} data-buckets={range.buckets}>
            <Figure id="rps" label="Requests per second" value={figures.rps} raw={data.totals.requestsPerSecond} />
            <Figure id="requests" label="Requests" value={figures.requests} raw={data.totals.requests} />
            <Figure id="p50" label="Latency p50" value={figures.p50} raw={data.totals.p50Ms} />
            <Figure id="p99" label="Latency p99" value={figures.p99} raw={data.totals.p99Ms} />
            <Figure id="errorRate" label="Error rate" value={figures.errorRate} raw={data.totals.errorRate} />
            <Figure id="spendToday" label="Spend today (UTC)" value={figures.spendToday} raw={data.spend.todayUsd} />
            <Figure id="spendMonth" label={`Spend in ${data.spend.month}`} value={figures.spendMonth} raw={data.spend.monthUsd} />
            <Figure id="margin" label={`Gross margin ${data.margin.month}`} value={figures.margin} raw={data.margin.marginUsd} />
            <Figure id="marginPercent" label="Margin %" value={figures.marginPercent} raw={data.margin.marginPercent} />
          </dl>
          <div className="charts">
            <SeriesChart title="Requests per second" data={series} x="label" lines={[{ key: 'requestsPerSecond', label: 'req/s' }]} />
            <SeriesChart title="Latency" data={series} x="label" lines={[{ key: 'p50Ms', label: 'p50 ms' }, { key: 'p99Ms', label: 'p99 ms' }]} />
            <SeriesChart title="Errors" data={series} x="label" lines={[{ key: 'errors', label: 'errors' }]} />
            <SeriesChart title="Cost" data={series} x="label" lines={[{ key: 'costUsd', label: 'USD' }]} format={(value) => usd(value)} />
          </div>
          <div className="grid-3">
            <DataTable caption="Top models" columns={topColumns('Model')} data={data.top.models} />
            <DataTable caption="Top customers" columns={topColumns('Customer')} data={data.top.customers} />
            <DataTable caption="Top keys" columns={topColumns('Key', keyNames)} data={data.top.keys} />
          </div>
        </>
      ) : null}
    </section>
  );
}
