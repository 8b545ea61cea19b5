import type { ColumnDef } from '@tanstack/react-table';
import { DataTable } from '../components/DataTable';
import { ErrorNote } from '../components/ErrorNote';
import { PageTitle } from '../components/PageTitle';
import { count, time } from '../format';
import type { RequestRow } from '../types';
import { useApi } from '../useApi';
import { query } from '../api';

interface DatasetInfo {
  name: string;
  latestVersion: number;
  itemCount: number;
  createdAt: string;
}

interface EvaluationInfo {
  id: string;
  createdAt: number;
  status: string;
  total: number;
  message: string | null;
  spec: { dataset: string; version: number; candidates: string[]; baseline: string };
}

type Rates = Record<string, { type: string; count: number; rate?: number; mean?: number }>;

interface FeedbackRow {
  group: string | null;
  requests: number;
  feedback?: Rates;
}

const datasetColumns: ColumnDef<DatasetInfo, any>[] = [
  { header: 'Dataset', accessorKey: 'name' },
  { header: 'Latest version', accessorKey: 'latestVersion' },
  { header: 'Items', accessorKey: 'itemCount', cell: (cell) => count(cell.getValue() as number) },
  { header: 'Created (UTC)', accessorKey: 'createdAt', cell: (cell) => time(cell.getValue() as string) },
];

const evaluationColumns: ColumnDef<EvaluationInfo, any>[] = [
  { header: 'Evaluation', accessorKey: 'id' },
  { header: 'Status', accessorKey: 'status' },
  { header: 'Dataset', id: 'dataset', accessorFn: (row) => `${row.spec.dataset} v${row.spec.version}` },
  { header: 'Candidates', id: 'candidates', accessorFn: (row) => row.spec.candidates.join(', ') },
  { header: 'Baseline', id: 'baseline', accessorFn: (row) => row.spec.baseline },
  { header: 'Pairs', accessorKey: 'total', cell: (cell) => count(cell.getValue() as number) },
  { header: 'Created (UTC)', accessorKey: 'createdAt', cell: (cell) => time(cell.getValue() as number) },
];

const feedbackColumns: ColumnDef<FeedbackRow, any>[] = [
  { header: 'Model', accessorKey: 'group', cell: (cell) => (cell.getValue() as string | null) ?? '(none)' },
  { header: 'Requests', accessorKey: 'requests', cell: (cell) => count(cell.getValue() as number) },
  {
    header: 'Feedback',
    id: 'feedback',
    accessorFn: (row) =>
      Object.entries(row.feedback ?? {})
        .map(([metric, rate]) => `${metric}: ${rate.rate !== undefined ? `${(rate.rate * 100).toFixed(1)}%` : rate.mean !== undefined ? `mean ${rate.mean}` : ''} (${rate.count})`)
        .join('; ') || '—',
  },
];

const routerColumns: ColumnDef<RequestRow, any>[] = [
  { header: 'Started (UTC)', accessorKey: 'startedAt', cell: (cell) => time(cell.getValue() as number) },
  { header: 'Route', accessorKey: 'route' },
  { header: 'Chose', id: 'choice', accessorFn: (row) => row.router?.choice ?? '—' },
  { header: 'Score', id: 'score', accessorFn: (row) => (row.router ? `${row.router.score.toFixed(3)} / ${row.router.threshold}` : '—') },
  { header: 'Shadow', id: 'shadow', accessorFn: (row) => (row.router?.shadow ? 'yes' : 'no') },
  { header: 'Served by', id: 'served', accessorFn: (row) => row.upstreamModel ?? '—' },
];

export function QualityPage() {
  const datasets = useApi<{ data: DatasetInfo[] }>('/admin/datasets');
  const evaluations = useApi<{ data: EvaluationInfo[] }>('/admin/evaluations');
  const feedback = useApi<{ rows: FeedbackRow[] }>(`/admin/usage${query({ groupBy: 'model' })}`);
  const recent = useApi<{ data: RequestRow[] }>(`/admin/requests${query({ limit: 200 })}`);
  const decisions = (recent.data?.data ?? []).filter((row) => row.router !== undefined).slice(0, 50);
  return (
    <section>
      <PageTitle>Quality</PageTitle>
      <ErrorNote error={datasets.error ?? evaluations.error ?? feedback.error} />
      <DataTable caption="Datasets" columns={datasetColumns} data={datasets.data?.data ?? []} empty="No datasets yet: make one from captured requests or import JSONL (switchyard datasets)." />
      <DataTable caption="Evaluations" columns={evaluationColumns} data={evaluations.data?.data ?? []} empty="No evaluations yet (switchyard eval)." />
      <DataTable caption="Feedback rates per model" columns={feedbackColumns} data={(feedback.data?.rows ?? []).filter((row) => row.feedback)} empty="No feedback received yet (POST /v1/feedback)." />
      <DataTable caption="The router's latest decisions (among the last 200 requests)" columns={routerColumns} data={decisions} empty="No request went through a learned router among the last 200." />
    </section>
  );
}
