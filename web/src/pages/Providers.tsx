import type { ColumnDef } from '@tanstack/react-table';
import { DataTable } from '../components/DataTable';
import { ErrorNote } from '../components/ErrorNote';
import { PageTitle } from '../components/PageTitle';
import { count, ms, percent } from '../format';
import type { Deployment, RouteInfo } from '../types';
import { useApi } from '../useApi';

function price(deployment: Deployment): string {
  if (!deployment.price) return deployment.priceSource === 'gpu-time' ? 'GPU time' : 'none';
  return `$${deployment.price.input} in / $${deployment.price.output} out per 1M (${deployment.priceSource})`;
}

const deploymentColumns: ColumnDef<Deployment, any>[] = [
  { header: 'Model', accessorKey: 'name' },
  { header: 'Provider', accessorKey: 'provider', cell: ({ row }) => `${row.original.provider} (${row.original.providerType})` },
  { header: 'Upstream model', accessorKey: 'upstreamModel' },
  { header: 'Circuit', id: 'circuit', accessorFn: (row) => row.health?.state ?? 'closed', cell: (cell) => <span className={`state state-${cell.getValue() as string}`}>{cell.getValue() as string}</span> },
  { header: 'Requests', id: 'requests', accessorFn: (row) => row.health?.requests ?? 0, cell: (cell) => count(cell.getValue() as number) },
  { header: 'Error rate', id: 'errors', accessorFn: (row) => (row.health && row.health.requests > 0 ? (row.health.failures / row.health.requests) * 100 : null), cell: (cell) => percent(cell.getValue() as number | null) },
  { header: 'Latency (avg)', id: 'latency', accessorFn: (row) => row.health?.latencyMs ?? null, cell: (cell) => ms(cell.getValue() as number | null) },
  { header: 'Price', id: 'price', accessorFn: price },
  { header: 'Private', accessorKey: 'private', cell: (cell) => (cell.getValue() ? 'yes' : 'no') },
  { header: 'Last error', id: 'lastError', accessorFn: (row) => row.health?.lastError ?? '—' },
];

const routeColumns: ColumnDef<RouteInfo, any>[] = [
  { header: 'Route', accessorKey: 'name' },
  { header: 'Strategy', accessorKey: 'strategy' },
  { header: 'Targets', id: 'targets', accessorFn: (row) => row.targets.map((target) => (target.weight === undefined ? target.model : `${target.model} (weight ${target.weight})`)).join(' → ') },
  { header: 'Privacy', accessorKey: 'privacy', cell: (cell) => (cell.getValue() as string | null) ?? 'off' },
];

export function ProvidersPage() {
  const { data, error, reload } = useApi<{ deployments: Deployment[]; routes: RouteInfo[] }>('/admin/deployments');
  return (
    <section>
      <PageTitle>Providers and routes</PageTitle>
      <div className="toolbar">
        <button type="button" onClick={reload}>
          Refresh
        </button>
        <span className="muted">Health is this gateway process's own view since it started.</span>
      </div>
      <ErrorNote error={error} />
      <DataTable caption="Deployments" columns={deploymentColumns} data={data?.deployments ?? []} sortable />
      <DataTable caption="Routes (read-only; set in switchyard.yaml)" columns={routeColumns} data={data?.routes ?? []} sortable />
    </section>
  );
}
