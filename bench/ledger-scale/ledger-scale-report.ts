import type { LoadShape } from './ledger-scale-load.js';

export interface Timing {
  name: string;
  runs: number;
  firstMs: number;
  medianMs: number;
  maxMs: number;
  resultRows: number;
}

export interface LedgerScaleReport {
  startedAt: string;
  commandLine: string;
  machine: Record<string, unknown>;
  postgres: string;
  shape: LoadShape;
  loadSeconds: number;
  rollupSeconds: number;
  analyzeSeconds: number;
  counts: { requests: number; attempts: number; rollups: number };
  sizes: Array<{ name: string; bytes: number }>;
  timings: Timing[];
}

/** The goal each report is held to. */
export const reportGoalMs = 1_000;

const megabytes = (bytes: number) => (bytes / 1024 / 1024).toFixed(0);

export function renderLedgerScaleReport(report: LedgerScaleReport): string {
  const timed = report.timings.map((timing) => {
    const verdict = timing.name.startsWith('for comparison') ? '' : timing.maxMs < reportGoalMs ? 'under 1 s' : '**over 1 s**';
    return `| ${timing.name} | ${timing.runs} | ${timing.firstMs.toFixed(0)} | ${timing.medianMs.toFixed(0)} | ${timing.maxMs.toFixed(0)} | ${timing.resultRows} | ${verdict} |`;
  });
  return [
    `# Ledger at scale: ${report.counts.requests.toLocaleString('en-US')} requests on PostgreSQL ${report.postgres}`,
    '',
    `Started ${report.startedAt}. Command: \`${report.commandLine}\` (after \`npx tsc -p tsconfig.json\`).`,
    `Machine: ${JSON.stringify(report.machine)}.`,
    '',
    `${report.shape.rows.toLocaleString('en-US')} requests from ${new Date(report.shape.from).toISOString()} over ${(report.shape.spanMs / 86_400_000).toFixed(0)} days, ${report.shape.customers} customers`,
    `(each with its own key, two of six models), bulk-loaded by INSERT … SELECT over generate_series in chunks of one million into the month's partitions.`,
    '',
    '| step | seconds |',
    '| --- | --- |',
    `| load requests and attempts | ${report.loadSeconds.toFixed(1)} |`,
    `| fill the hourly and daily rollups from them (the upgrade migration's statements) | ${report.rollupSeconds.toFixed(1)} |`,
    `| ANALYZE | ${report.analyzeSeconds.toFixed(1)} |`,
    '',
    `Rows: ${report.counts.requests.toLocaleString('en-US')} requests, ${report.counts.attempts.toLocaleString('en-US')} attempts, ${report.counts.rollups.toLocaleString('en-US')} hourly rollup rows.`,
    `Sizes (MB, with indexes): ${report.sizes.map((size) => `${size.name} ${megabytes(size.bytes)}`).join(', ')}.`,
    '',
    '## Reports over the month',
    '',
    'Each timed through the same functions the admin API calls, from the query to the finished report object (ms).',
    '',
    '| report | runs | first | median | max | rows out | goal |',
    '| --- | --- | --- | --- | --- | --- | --- |',
    ...timed,
    '',
  ].join('\n');
}
