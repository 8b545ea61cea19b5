import { useState, type FormEvent } from 'react';
import type { ColumnDef } from '@tanstack/react-table';
import { useNavigate, useSearchParams } from 'react-router';
import { query } from '../api';
import { DataTable } from '../components/DataTable';
import { ErrorNote } from '../components/ErrorNote';
import { PageTitle } from '../components/PageTitle';
import { count, ms, time, usd } from '../format';
import type { RequestRow } from '../types';
import { useApi } from '../useApi';

const filterNames = ['from', 'to', 'model', 'route', 'customer', 'key', 'status'] as const;
const pageSize = 50;

const columns: ColumnDef<RequestRow, any>[] = [
  { header: 'Started (UTC)', accessorKey: 'startedAt', cell: (cell) => time(cell.getValue() as number) },
  { header: 'Status', accessorKey: 'status' },
  { header: 'Model', accessorKey: 'requestedModel' },
  { header: 'Route', accessorKey: 'route', cell: (cell) => (cell.getValue() as string | null) ?? '—' },
  { header: 'Served by', id: 'served', cell: ({ row }) => (row.original.provider ? `${row.original.provider}/${row.original.upstreamModel}` : row.original.cacheHit ? 'cache' : '—') },
  { header: 'Customer', accessorKey: 'customer', cell: (cell) => (cell.getValue() as string | null) ?? '—' },
  { header: 'Key', accessorKey: 'keyId', cell: (cell) => (cell.getValue() as string | null) ?? 'admin' },
  { header: 'Tokens in/out', id: 'tokens', cell: ({ row }) => `${count(row.original.inputTokens)} / ${count(row.original.outputTokens)}` },
  { header: 'Cost', accessorKey: 'costUsd', cell: (cell) => usd(cell.getValue() as number) },
  { header: 'Latency', accessorKey: 'latencyMs', cell: (cell) => ms(cell.getValue() as number) },
];

/** datetime-local (read as UTC) to ISO, or nothing. */
function isoOf(local: string): string | undefined {
  return local ? new Date(`${local}Z`).toISOString() : undefined;
}

export function RequestsPage() {
  const [params, setParams] = useSearchParams();
  const navigate = useNavigate();
  // Cursors of the pages before this one, so Previous goes back without the server keeping any state.
  const [cursors, setCursors] = useState<string[]>([]);
  const cursor = params.get('cursor') ?? undefined;
  const filters = Object.fromEntries(filterNames.map((name) => [name, params.get(name) ?? ''])) as Record<(typeof filterNames)[number], string>;
  const [draft, setDraft] = useState(filters);
  const path = `/admin/requests${query({ ...filters, from: isoOf(filters.from), to: isoOf(filters.to), limit: pageSize, cursor })}`;
  const { data, error, loading } = useApi<{ data: RequestRow[]; nextCursor: string | null }>(path);

  function apply(event: FormEvent) {
    event.preventDefault();
    const next = new URLSearchParams();
    for (const name of filterNames) if (draft[name]) next.set(name, draft[name]);
    setCursors([]);
    setParams(next);
  }

  function go(nextCursor: string | null, back = false) {
    const next = new URLSearchParams(params);
    if (back) {
      const previous = cursors.at(-1);
      setCursors(cursors.slice(0, -1));
      if (previous) next.set('cursor', previous);
      else next.delete('cursor');
    } else if (nextCursor) {
      setCursors([...cursors, cursor ?? '']);
      next.set('cursor', nextCursor);
    }
    setParams(next);
  }

  const field = (name: (typeof filterNames)[number], label: string, type = 'text', placeholder = '') => (
    <label className="field" htmlFor={`filter-${name}`}>
      {label}
      <input id={`filter-${name}`} type={type} value={draft[name]} placeholder={placeholder} onChange={(event) => setDraft({ ...draft, [name]: event.target.value })} />
    </label>
  );

  return (
    <section>
      <PageTitle>Requests</PageTitle>
      <form className="filters" onSubmit={apply} aria-label="Filter requests">
        {field('from', 'From (UTC)', 'datetime-local')}
        {field('to', 'To (UTC)', 'datetime-local')}
        {field('model', 'Model')}
        {field('route', 'Route')}
        {field('customer', 'Customer')}
        {field('key', 'Key id', 'text', 'key_…')}
        {field('status', 'Status', 'text', 'ok, error or 429')}
        <div className="actions">
          <button type="submit">Apply filters</button>
          <button type="button" className="secondary" onClick={() => { setDraft(Object.fromEntries(filterNames.map((name) => [name, ''])) as typeof draft); setCursors([]); setParams(new URLSearchParams()); }}>
            Clear
          </button>
        </div>
      </form>
      <ErrorNote error={error} />
      <DataTable
        caption={`Request log, newest first (page ${cursors.length + 1}, ${pageSize} a page)`}
        columns={columns}
        data={data?.data ?? []}
        empty={loading ? 'Loading…' : 'No requests match.'}
        onRowClick={(row) => navigate(`/requests/${encodeURIComponent(row.id)}`)}
        rowLabel={(row) => `Request ${row.id} at ${time(row.startedAt)}`}
      />
      <nav className="pager" aria-label="Pages of the request log">
        <button type="button" onClick={() => go(null, true)} disabled={cursors.length === 0}>
          Previous page
        </button>
        <button type="button" onClick={() => go(data?.nextCursor ?? null)} disabled={!data?.nextCursor}>
          Next page
        </button>
      </nav>
    </section>
  );
}
