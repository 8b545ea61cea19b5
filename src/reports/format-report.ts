import { formatTable } from '../cli/print-table.js';
import type { GraduationReport } from './graduation-report.js';
import type { MarginReport } from './margin-report.js';
import type { SpendReport } from './spend-report.js';

/** Dollars for people: cents for amounts from $1, more digits for the small sums single requests cost. */
export function formatUsd(value: number | null): string {
  if (value === null) return '-';
  const magnitude = Math.abs(value);
  const digits = magnitude >= 1 || magnitude === 0 ? 2 : magnitude >= 0.01 ? 4 : 6;
  const text = magnitude.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
  return `${value < 0 && Number(text.replace(/,/g, '')) !== 0 ? '-' : ''}$${text}`;
}

export function formatCount(value: number): string {
  return Math.round(value).toLocaleString('en-US');
}

function formatPercent(value: number | null): string {
  return value === null ? '-' : `${value.toFixed(1)}%`;
}

export function formatMarginReport(report: MarginReport): string {
  const period = report.from === report.to ? report.from : `${report.from} to ${report.to}`;
  const row = (name: string, figures: MarginReport['total']) => [
    name, formatUsd(figures.revenueUsd), formatUsd(figures.costUsd), formatUsd(figures.marginUsd), formatPercent(figures.marginPercent), formatCount(figures.requests), formatCount(figures.tokens),
  ];
  const rows = report.rows.map((entry) => row(entry.customer ?? '(no customer)', entry));
  const table = formatTable(['customer', 'revenue', 'AI cost', 'margin', 'margin %', 'requests', 'tokens'], [...rows, row('TOTAL', report.total)]);
  return `Gross margin, ${period} (UTC)\n\n${table}\n\nShadow spend (not charged to any customer): ${formatUsd(report.shadowCostUsd)}\nEvaluation spend (the gateway's own, not in any row): ${formatUsd(report.evaluationCostUsd)}\n`;
}

export function formatSpendReport(report: SpendReport): string {
  const rows = report.rows.map((row) => [
    row.group ?? '(none)', formatUsd(row.costUsd), formatCount(row.requests), formatCount(row.tokens), formatCount(row.cacheHits), formatUsd(row.cacheSavedUsd), formatUsd(row.shadowCostUsd),
  ]);
  rows.push(['TOTAL', formatUsd(report.total.costUsd), formatCount(report.total.requests), formatCount(report.total.tokens), '', formatUsd(report.savings.cacheUsd), formatUsd(report.shadowCostUsd)]);
  const lines = [
    `Spend by ${report.groupBy}, ${report.from} to ${report.to}`,
    '',
    formatTable([report.groupBy, 'cost', 'requests', 'tokens', 'cache hits', 'cache saved', 'shadow'], rows),
    '',
    `Saved by the cache:   ${formatUsd(report.savings.cacheUsd)}`,
    `Saved by routing:     ${formatUsd(report.savings.routingUsd)} (against each route's first target)`,
    `Saved in total:       ${formatUsd(report.savings.totalUsd)}`,
    `Shadow spend:         ${formatUsd(report.shadowCostUsd)} (outside request costs)`,
  ];
  if (report.savings.routes.length > 0) {
    const routes = report.savings.routes.map((route) => [route.route, route.baselineModel, formatCount(route.requests), formatUsd(route.costUsd), formatUsd(route.baselineUsd), formatUsd(route.savedUsd)]);
    lines.push('', formatTable(['route', 'first target', 'requests', 'cost', 'at first target', 'saved'], routes));
  }
  const evaluated = report.evaluation;
  if (evaluated) {
    const candidates = evaluated.candidates.map((row) => [row.candidate, formatUsd(row.costPerRequestUsd), formatUsd(row.wouldHaveCostUsd), formatUsd(row.differenceUsd)]);
    lines.push('', `Evaluated candidates on ${evaluated.target}'s ${formatCount(evaluated.requests)} requests (${formatUsd(evaluated.costUsd)}), evaluation ${evaluated.evaluationId}:`);
    lines.push(formatTable(['candidate', 'per request', 'would have cost', 'difference'], candidates));
  }
  if (report.savings.routerShadow.length > 0) {
    const shadow = report.savings.routerShadow.map((route) => [route.route, formatCount(route.requests), formatUsd(route.costUsd), formatUsd(route.wouldCostUsd), formatUsd(route.wouldSaveUsd)]);
    lines.push('', 'Routers in shadow mode, had they acted:', formatTable(['route', 'requests', 'cost', 'at router choice', 'would save'], shadow));
  }
  return `${lines.join('\n')}\n`;
}

function sourceOf(source: string | null): string {
  return source === null ? '' : ` (${source})`;
}

export function formatGraduationReport(report: GraduationReport): string {
  const { traffic, assumptions } = report;
  const verdict =
    report.monthlySavingUsd === null ? 'Cannot price self-hosting yet.' : report.monthlySavingUsd > 0 ? `Self-hosting would save ${formatUsd(report.monthlySavingUsd)} a month.` : `Staying on the API is cheaper by ${formatUsd(-report.monthlySavingUsd)} a month.`;
  const rows: Array<[string, string]> = [
    ['traffic', `${report.target.kind} ${report.target.name}, last ${report.window.days} days (${report.window.measuredDays} measured)`],
    ['requests', formatCount(traffic.requests)],
    ['tokens per day', formatCount(traffic.tokensPerDay)],
    ['tokens per month', formatCount(traffic.tokensPerMonth)],
    ['API $ per 1M tokens', formatUsd(traffic.apiUsdPerMillionTokens)],
    ['busiest hour', `${traffic.peakHour ?? '-'} (${traffic.peakTokensPerSecond.toFixed(2)} tokens/s)`],
    ['API cost per month', formatUsd(report.apiCostPerMonthUsd)],
    ['GPU price per hour', `${formatUsd(assumptions.gpuPricePerHour)}${sourceOf(assumptions.priceSource)}${assumptions.provider ? `, from ${assumptions.provider}` : ''}`],
    ['tokens/s per GPU', `${assumptions.tokensPerSecondPerGpu === null ? '-' : assumptions.tokensPerSecondPerGpu.toFixed(1)}${sourceOf(assumptions.throughputSource)}`],
    ['GPUs needed', `${report.gpusNeeded ?? '-'} (at least ${assumptions.minimumGpus}, ${assumptions.gpusSource})`],
    ['self-hosting per month', formatUsd(report.selfHostCostPerMonthUsd)],
    ['break-even tokens/month', report.breakEvenTokensPerMonth === null ? '-' : formatCount(report.breakEvenTokensPerMonth)],
    ['monthly saving', formatUsd(report.monthlySavingUsd)],
  ];
  const width = Math.max(...rows.map(([name]) => name.length));
  const body = rows.map(([name, value]) => `${name.padEnd(width)}  ${value}`).join('\n');
  const missing = report.missing.length > 0 ? `\nMissing: ${report.missing.join('; ')}.\n` : '';
  const quality = report.quality ? `\nQuality: ${report.quality.statement}.\n` : '';
  return `Graduation: ${report.target.kind} ${report.target.name}\n\n${body}\n\n${verdict}\n${quality}${missing}\nHow: ${report.method.join('; ')}.\n`;
}
