import { useMemo, useState, type ChangeEvent, type FormEvent } from 'react';
import type { ColumnDef } from '@tanstack/react-table';
import { Sankey, Tooltip, ResponsiveContainer, Line, LineChart, CartesianGrid, XAxis, YAxis, Legend, ReferenceLine } from 'recharts';
import { api, ApiError, authHeaders, errorOf, query } from '../api';
import { SeriesChart } from '../components/charts';
import { DataTable } from '../components/DataTable';
import { ErrorNote } from '../components/ErrorNote';
import { Figure } from '../components/Figure';
import { PageTitle } from '../components/PageTitle';
import { count, percent, usd } from '../format';
import type { MarginReport, MarginRow, SpendReport, SpendRow } from '../types';
import { useApi } from '../useApi';

const groups = ['provider', 'cloud', 'model', 'route', 'customer', 'key'] as const;
const currentMonth = () => new Date().toISOString().slice(0, 7);

const spendColumns: ColumnDef<SpendRow, any>[] = [
  { header: 'Group', accessorKey: 'group', cell: (cell) => (cell.getValue() as string | null) ?? '(none)' },
  { header: 'Requests', accessorKey: 'requests', cell: (cell) => count(cell.getValue() as number) },
  { header: 'Tokens', accessorKey: 'tokens', cell: (cell) => count(cell.getValue() as number) },
  { header: 'Cost', accessorKey: 'costUsd', cell: (cell) => usd(cell.getValue() as number) },
  { header: 'Cache saved', accessorKey: 'cacheSavedUsd', cell: (cell) => usd(cell.getValue() as number) },
];

const marginColumns: ColumnDef<MarginRow, any>[] = [
  { header: 'Customer', accessorKey: 'customer', cell: (cell) => (cell.getValue() as string | null) ?? '(no customer)' },
  { header: 'Revenue', accessorKey: 'revenueUsd', cell: (cell) => usd(cell.getValue() as number) },
  { header: 'AI cost', accessorKey: 'costUsd', cell: (cell) => usd(cell.getValue() as number) },
  { header: 'Margin', accessorKey: 'marginUsd', cell: (cell) => usd(cell.getValue() as number) },
  { header: 'Margin %', accessorKey: 'marginPercent', cell: (cell) => percent(cell.getValue() as number | null) },
  { header: 'Requests', accessorKey: 'requests', cell: (cell) => count(cell.getValue() as number) },
];

/** Daily cost per group, one object a day with a field per group, for a stacked chart. */
function pivot(rows: SpendRow[]): { days: Array<Record<string, number | string>>; keys: string[] } {
  const keys = rows.slice(0, 8).map((row) => row.group ?? '(none)');
  const byDay = new Map<string, Record<string, number | string>>();
  for (const row of rows.slice(0, 8)) {
    for (const point of row.series) {
      const day = byDay.get(point.day) ?? { day: point.day };
      day[row.group ?? '(none)'] = point.costUsd;
      byDay.set(point.day, day);
    }
  }
  const days = [...byDay.values()].sort((left, right) => String(left.day).localeCompare(String(right.day)));
  for (const day of days) for (const key of keys) day[key] ??= 0;
  return { days, keys };
}

function SpendSection() {
  const [groupBy, setGroupBy] = useState<(typeof groups)[number]>('provider');
  const [days, setDays] = useState('30');
  const from = useMemo(() => new Date(Date.now() - Number(days) * 86_400_000).toISOString().slice(0, 10), [days]);
  const { data, error } = useApi<SpendReport>(`/admin/reports/spend${query({ groupBy, from })}`);
  const chart = useMemo(() => pivot(data?.rows ?? []), [data]);
  return (
    <section aria-labelledby="spend-title">
      <h2 id="spend-title">Spend over time</h2>
      <div className="toolbar">
        <label className="field inline" htmlFor="spend-group">
          By
          <select id="spend-group" value={groupBy} onChange={(event) => setGroupBy(event.target.value as (typeof groups)[number])}>
            {groups.map((group) => (
              <option key={group} value={group}>
                {group}
              </option>
            ))}
          </select>
        </label>
        <label className="field inline" htmlFor="spend-days">
          Days
          <select id="spend-days" value={days} onChange={(event) => setDays(event.target.value)}>
            {['7', '30', '90'].map((value) => (
              <option key={value} value={value}>
                Last {value} days
              </option>
            ))}
          </select>
        </label>
      </div>
      <ErrorNote error={error} />
      <SeriesChart title={`Daily cost by ${groupBy}`} data={chart.days} x="day" lines={chart.keys.map((key) => ({ key, label: key }))} format={(value) => usd(value)} stacked />
      <DataTable caption={`Spend by ${groupBy}`} columns={spendColumns} data={data?.rows ?? []} sortable />
      {data ? (
        <>
          <h3>What caching and routing saved</h3>
          <dl className="figures">
            <Figure id="savedCache" label="Saved by the cache" value={usd(data.savings.cacheUsd)} />
            <Figure id="savedRouting" label="Saved by routing" value={usd(data.savings.routingUsd)} />
            <Figure id="savedTotal" label="Saved in all" value={usd(data.savings.totalUsd)} />
            <Figure label="Spent on shadow traffic" value={usd(data.total.shadowCostUsd)} />
          </dl>
        </>
      ) : null}
    </section>
  );
}

/** Revenue split into what each provider was paid and the margin left (or the loss when cost exceeds revenue). */
function flowOf(revenueUsd: number, providers: SpendRow[]) {
  const cost = providers.reduce((sum, row) => sum + row.costUsd, 0);
  const nodes = [{ name: 'Revenue' }, ...providers.map((row) => ({ name: row.group ?? 'cache and errors' })), { name: revenueUsd >= cost ? 'Margin' : 'Loss' }];
  const marginIndex = nodes.length - 1;
  const links = providers.filter((row) => row.costUsd > 0).map((row) => ({ source: 0, target: providers.indexOf(row) + 1, value: row.costUsd }));
  if (revenueUsd >= cost && revenueUsd - cost > 0) links.push({ source: 0, target: marginIndex, value: revenueUsd - cost });
  if (revenueUsd < cost) {
    // The loss pays for the part of the cost revenue does not cover: draw it as a second source.
    links.forEach((link) => (link.value = revenueUsd > 0 ? (link.value * revenueUsd) / cost : 0));
    providers.forEach((row, index) => row.costUsd > 0 && links.push({ source: marginIndex, target: index + 1, value: revenueUsd > 0 ? (row.costUsd * (cost - revenueUsd)) / cost : row.costUsd }));
  }
  return { nodes, links: links.filter((link) => link.value > 0) };
}

interface FlowNodeProps {
  x: number;
  y: number;
  width: number;
  height: number;
  payload: { name: string; value: number; depth?: number };
}

/** A node of the flow chart with its name and amount beside it (left of the first column, right of the others). */
function FlowNode({ x, y, width, height, payload }: FlowNodeProps) {
  const first = payload.depth === 0;
  return (
    <g>
      <rect x={x} y={y} width={width} height={height} fill={payload.name === 'Loss' ? '#b91c1c' : payload.name === 'Margin' ? '#047857' : '#1d4ed8'} />
      <text x={first ? x + width + 6 : x - 6} y={y + height / 2} textAnchor={first ? 'start' : 'end'} dominantBaseline="middle" fontSize={12} fill="#18181b">
        {payload.name} {usd(payload.value)}
      </text>
    </g>
  );
}

function FlowSection({ month }: { month: string }) {
  const margin = useApi<MarginReport>(`/admin/reports/margin${query({ period: month })}`);
  const byProvider = useApi<SpendReport>(`/admin/reports/spend${query({ groupBy: 'provider', period: month })}`);
  const byCloud = useApi<SpendReport>(`/admin/reports/spend${query({ groupBy: 'cloud', period: month })}`);
  const flow = margin.data && byProvider.data ? flowOf(margin.data.total.revenueUsd, byProvider.data.rows) : null;
  return (
    <section aria-labelledby="flow-title">
      <h2 id="flow-title">Where the money goes, {month}</h2>
      <ErrorNote error={margin.error ?? byProvider.error} />
      <figure className="chart">
        <figcaption>
          Revenue {usd(margin.data?.total.revenueUsd)} to providers ({usd(byProvider.data?.total.costUsd)}) and margin ({usd(margin.data?.total.marginUsd)})
        </figcaption>
        <div className="chart-body">
          {flow && flow.links.length > 0 ? (
            <ResponsiveContainer width="100%" height={260}>
              <Sankey data={flow} nodePadding={24} margin={{ left: 8, right: 8, top: 8, bottom: 8 }} link={{ stroke: '#93c5fd' }} node={(props: unknown) => <FlowNode {...(props as FlowNodeProps)} />}>
                <Tooltip formatter={(value: unknown) => usd(Number(value))} />
              </Sankey>
            </ResponsiveContainer>
          ) : (
            <p className="empty">No revenue or spend in {month} yet.</p>
          )}
        </div>
      </figure>
      <DataTable caption={`Spend by cloud, ${month}`} columns={spendColumns} data={byCloud.data?.rows ?? []} />
    </section>
  );
}

function MarginSection({ month, setMonth }: { month: string; setMonth: (month: string) => void }) {
  const margin = useApi<MarginReport>(`/admin/reports/margin${query({ period: month })}`);
  const [file, setFile] = useState<File | null>(null);
  const [result, setResult] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);

  async function upload(event: FormEvent) {
    event.preventDefault();
    if (!file) return;
    setResult(null);
    setError(null);
    const response = await fetch('/admin/revenue', { method: 'POST', headers: { ...authHeaders(), 'content-type': 'text/csv' }, body: await file.text() });
    if (!response.ok) {
      setError(await errorOf(response));
      return;
    }
    const { imported } = (await response.json()) as { imported: number };
    setResult(`Imported ${imported} revenue row${imported === 1 ? '' : 's'} from ${file.name}.`);
    margin.reload();
  }

  return (
    <section aria-labelledby="margin-title">
      <h2 id="margin-title">Margin per customer</h2>
      <div className="toolbar">
        <label className="field inline" htmlFor="margin-month">
          Month
          <input id="margin-month" type="month" value={month} onChange={(event) => event.target.value && setMonth(event.target.value)} />
        </label>
      </div>
      <ErrorNote error={margin.error} />
      {margin.data ? (
        <dl className="figures">
          <Figure id="marginRevenue" label="Revenue" value={usd(margin.data.total.revenueUsd)} raw={margin.data.total.revenueUsd} />
          <Figure id="marginCost" label="AI cost" value={usd(margin.data.total.costUsd)} raw={margin.data.total.costUsd} />
          <Figure id="marginTotal" label="Gross margin" value={usd(margin.data.total.marginUsd)} raw={margin.data.total.marginUsd} />
          <Figure id="marginPercentTotal" label="Margin %" value={percent(margin.data.total.marginPercent)} />
        </dl>
      ) : null}
      <DataTable caption={`Gross margin per customer, ${month}`} columns={marginColumns} data={margin.data?.rows ?? []} sortable />
      <form className="upload" onSubmit={upload} aria-describedby="revenue-help">
        <label className="field" htmlFor="revenue-file">
          Revenue CSV
          <input id="revenue-file" type="file" accept=".csv,text/csv" onChange={(event: ChangeEvent<HTMLInputElement>) => setFile(event.target.files?.[0] ?? null)} />
        </label>
        <p id="revenue-help" className="help">
          Header <code>customer,period,usd</code>, one row per customer and month (<code>acme,2026-11,1200</code>). A file with any bad line imports nothing.
        </p>
        <button type="submit" disabled={!file}>
          Upload revenue
        </button>
      </form>
      {result ? (
        <p className="ok" role="status">
          {result}
        </p>
      ) : null}
      <ErrorNote error={error} />
    </section>
  );
}

interface Graduation {
  target: { kind: string; name: string };
  traffic: { requests: number; tokensPerMonth: number; costUsd: number; apiUsdPerMillionTokens: number | null };
  apiCostPerMonthUsd: number;
  gpusNeeded: number | null;
  selfHostCostPerMonthUsd: number | null;
  breakEvenTokensPerMonth: number | null;
  monthlySavingUsd: number | null;
  missing: string[];
}

function GraduationSection() {
  const [form, setForm] = useState({ target: '', gpuPricePerHour: '2.49', tokensPerSecond: '2500' });
  const [report, setReport] = useState<Graduation | null>(null);
  const [error, setError] = useState<unknown>(null);
  // The names clients may call: finance keys see these, but not the deployments behind them.
  const names = useApi<{ data: Array<{ id: string; owned_by: string }> }>('/v1/models');
  const routes = (names.data?.data ?? []).filter((item) => item.owned_by === 'switchyard-route').map((item) => ({ name: item.id }));
  const models = (names.data?.data ?? []).filter((item) => item.owned_by !== 'switchyard-route' && !item.id.includes('/')).map((item) => ({ name: item.id }));

  async function run(event: FormEvent) {
    event.preventDefault();
    setError(null);
    const [kind, name] = form.target.split(':') as [string, string];
    try {
      setReport(await api<Graduation>(`/admin/reports/graduation${query({ [kind]: name, gpuPricePerHour: form.gpuPricePerHour, tokensPerSecond: form.tokensPerSecond })}`));
    } catch (caught) {
      setReport(null);
      setError(caught);
    }
  }

  // Monthly cost at volumes from none to three times today's (or the break-even), API against self-hosting.
  const curve = useMemo(() => {
    if (!report || report.traffic.apiUsdPerMillionTokens === null || report.selfHostCostPerMonthUsd === null) return [];
    const top = Math.max(report.traffic.tokensPerMonth, report.breakEvenTokensPerMonth ?? 0) * 2 || 1_000_000;
    return Array.from({ length: 21 }, (_, index) => {
      const tokens = (top * index) / 20;
      return { millions: Math.round(tokens / 1e4) / 100, api: (tokens / 1e6) * (report.traffic.apiUsdPerMillionTokens as number), selfHost: report.selfHostCostPerMonthUsd as number };
    });
  }, [report]);

  return (
    <section aria-labelledby="graduation-title">
      <h2 id="graduation-title">Graduation report</h2>
      <form className="filters" onSubmit={run}>
        <label className="field" htmlFor="graduation-target">
          Model or route
          <select id="graduation-target" required value={form.target} onChange={(event) => setForm({ ...form, target: event.target.value })}>
            <option value="">Choose…</option>
            {routes.map((route) => (
              <option key={`route:${route.name}`} value={`route:${route.name}`}>
                route {route.name}
              </option>
            ))}
            {models.map((model) => (
              <option key={`model:${model.name}`} value={`model:${model.name}`}>
                model {model.name}
              </option>
            ))}
          </select>
        </label>
        <label className="field" htmlFor="graduation-price">
          GPU price per hour (USD)
          <input id="graduation-price" inputMode="decimal" value={form.gpuPricePerHour} onChange={(event) => setForm({ ...form, gpuPricePerHour: event.target.value })} />
        </label>
        <label className="field" htmlFor="graduation-tps">
          Tokens per second per GPU
          <input id="graduation-tps" inputMode="decimal" value={form.tokensPerSecond} onChange={(event) => setForm({ ...form, tokensPerSecond: event.target.value })} />
        </label>
        <div className="actions">
          <button type="submit" disabled={!form.target}>
            Run report
          </button>
        </div>
      </form>
      <ErrorNote error={error} />
      {report ? (
        <>
          <dl className="figures">
            <Figure label="API cost per month" value={usd(report.apiCostPerMonthUsd)} />
            <Figure label="Self-hosting per month" value={usd(report.selfHostCostPerMonthUsd)} />
            <Figure label="GPUs needed" value={count(report.gpusNeeded)} />
            <Figure label="Break-even tokens per month" value={count(report.breakEvenTokensPerMonth)} />
            <Figure label="Monthly saving (positive: self-hosting saves)" value={usd(report.monthlySavingUsd)} />
          </dl>
          {report.missing.length > 0 ? <p className="muted">Missing to price self-hosting: {report.missing.join('; ')}</p> : null}
          {curve.length > 0 ? (
            <figure className="chart">
              <figcaption>Break-even: monthly cost against monthly volume (million tokens)</figcaption>
              <div className="chart-body">
                <ResponsiveContainer width="100%" height={240}>
                  <LineChart data={curve}>
                    <CartesianGrid strokeDasharray="3 3" stroke="#d4d4d8" />
                    <XAxis dataKey="millions" tick={{ fontSize: 11 }} />
                    <YAxis tick={{ fontSize: 11 }} width={72} tickFormatter={(value: number) => usd(value)} />
                    <Tooltip formatter={(value: unknown) => usd(Number(value))} />
                    <Legend />
                    <Line dataKey="api" name="API" stroke="#1d4ed8" dot={false} isAnimationActive={false} />
                    <Line dataKey="selfHost" name="Self-hosting" stroke="#b45309" dot={false} isAnimationActive={false} />
                    <ReferenceLine x={Math.round(report.traffic.tokensPerMonth / 1e4) / 100} stroke="#52525b" label="today" />
                  </LineChart>
                </ResponsiveContainer>
              </div>
            </figure>
          ) : null}
        </>
      ) : null}
    </section>
  );
}

export function MoneyPage() {
  const [month, setMonth] = useState(currentMonth);
  return (
    <section>
      <PageTitle>Money</PageTitle>
      <SpendSection />
      <FlowSection month={month} />
      <MarginSection month={month} setMonth={setMonth} />
      <GraduationSection />
    </section>
  );
}

export { ApiError };
