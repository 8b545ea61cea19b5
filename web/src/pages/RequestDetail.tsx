import type { ColumnDef } from '@tanstack/react-table';
import { Link, useParams } from 'react-router';
import { DataTable } from '../components/DataTable';
import { ErrorNote } from '../components/ErrorNote';
import { Figure } from '../components/Figure';
import { PageTitle } from '../components/PageTitle';
import { count, ms, time, usd } from '../format';
import type { Attempt, RequestDetail } from '../types';
import { useApi } from '../useApi';

const attemptColumns: ColumnDef<Attempt, any>[] = [
  { header: '#', accessorKey: 'attempt' },
  { header: 'Model', accessorKey: 'model' },
  { header: 'Provider', accessorKey: 'provider' },
  { header: 'Upstream model', accessorKey: 'upstreamModel' },
  { header: 'Status', accessorKey: 'status' },
  { header: 'Error', accessorKey: 'errorCode', cell: (cell) => (cell.getValue() as string | null) ?? '—' },
  { header: 'Shadow', accessorKey: 'shadow', cell: (cell) => (cell.getValue() ? 'yes' : 'no') },
  { header: 'Cost', accessorKey: 'costUsd', cell: (cell) => usd(cell.getValue() as number) },
  { header: 'Latency', accessorKey: 'latencyMs', cell: (cell) => ms(cell.getValue() as number) },
];

function Body({ title, value }: { title: string; value: unknown }) {
  if (value === undefined || value === null) return null;
  return (
    <details open>
      <summary>{title}</summary>
      <pre tabIndex={0}>{typeof value === 'string' ? value : JSON.stringify(value, null, 2)}</pre>
    </details>
  );
}

export function RequestDetailPage() {
  const { id = '' } = useParams();
  const { data, error } = useApi<RequestDetail>(`/admin/requests/${encodeURIComponent(id)}`);
  return (
    <section>
      <PageTitle>Request</PageTitle>
      <p>
        <Link to="/requests">Back to the request log</Link>
      </p>
      <ErrorNote error={error} />
      {data ? (
        <>
          <p className="mono" data-testid="request-id">{data.id}</p>
          <dl className="figures">
            <Figure label="Started (UTC)" value={time(data.startedAt)} />
            <Figure label="Status" value={String(data.status)} id="status" />
            <Figure label="Model asked" value={data.requestedModel} />
            <Figure label="Served by" value={data.provider ? `${data.provider}/${data.upstreamModel}` : data.cacheHit ? 'cache' : '—'} />
            <Figure label="Cost" value={usd(data.costUsd)} id="cost" />
            <Figure label="Latency" value={ms(data.latencyMs)} />
            <Figure label="Time to first token" value={ms(data.ttftMs)} />
            <Figure label="Tokens in / out" value={`${count(data.inputTokens)} / ${count(data.outputTokens)}`} />
            <Figure label="Customer" value={data.customer ?? '—'} />
            <Figure label="Key" value={data.keyId ?? 'admin'} />
          </dl>
          <DataTable caption="Attempts" columns={attemptColumns} data={data.attempts} />
          <h2>Captured bodies</h2>
          {data.capture && (data.capture.request !== undefined || data.capture.answer !== undefined) ? (
            <>
              {data.capture.redacted ? <p className="muted">Personal data was redacted before capture.</p> : null}
              <Body title="Request" value={data.capture.request} />
              <Body title="Answer" value={data.capture.answer} />
            </>
          ) : data.capture?.bodies ? (
            <p className="muted">Bodies were captured, but only the admin role may read them.</p>
          ) : (
            <p className="muted">No bodies were captured for this request (capture is opt-in per route, model or key tag).</p>
          )}
        </>
      ) : null}
    </section>
  );
}
