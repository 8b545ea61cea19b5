import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { bundledPriceCatalog } from '../ledger/price-catalog.js';
import { formatGraduationReport, formatMarginReport, formatSpendReport, formatUsd } from '../reports/format-report.js';
import { isMonth } from '../reports/periods.js';
import { buildReportContext } from '../reports/report-context.js';
import { readGraduationQuery, readMonthRange, readSpendQuery, type ParameterReader } from '../reports/report-queries.js';
import { readRevenueCsv } from '../reports/revenue-input.js';
import { runGraduationReport, runMarginReport, runSpendReport } from '../reports/run-reports.js';
import { ModelRegistry } from '../routing/model-registry.js';
import { openStore } from '../store/open-store.js';
import type { RevenueRecord, Store } from '../store/store.js';
import type { Config } from '../config/schema.js';
import { dataDirOf, readConfig } from './commands.js';
import { flagString, type ParsedArgs } from './parse-args.js';
import { formatTable } from './print-table.js';

const reportUsage = `Usage:
  switchyard report margin [--period YYYY-MM | --from YYYY-MM --to YYYY-MM] [--json]
  switchyard report spend [--group-by provider|cloud|model|route|key|customer|day] [--period YYYY-MM | --from ISO --to ISO] [--json]
  switchyard report graduation --model NAME | --route NAME [--days 30] [--gpu-price-per-hour USD] [--gpus N] [--tokens-per-second N] [--provider NAME] [--json]`;

const revenueUsage = `Usage:
  switchyard revenue import FILE.csv   (header customer,period,usd; period as YYYY-MM)
  switchyard revenue list [--period YYYY-MM | --from YYYY-MM --to YYYY-MM]`;

async function withConfigAndStore<T>(args: ParsedArgs, action: (store: Store, config: Config) => Promise<T>): Promise<T> {
  const config = readConfig(args);
  const store = await openStore(config.storage, join(dataDirOf(args, config), 'switchyard.db'));
  try {
    return await action(store, config);
  } finally {
    await store.close();
  }
}

/** Reads `--kebab-case` flags under the camelCase names the report queries use. */
function flagReader(args: ParsedArgs): ParameterReader {
  return (name) => flagString(args, name.replace(/[A-Z]/g, (letter) => `-${letter.toLowerCase()}`)) ?? flagString(args, name);
}

function print(args: ParsedArgs, report: unknown, text: string): void {
  process.stdout.write(args.flags.json ? `${JSON.stringify(report, null, 2)}\n` : text);
}

/** `switchyard report margin|spend|graduation`: the finance reports, read from the store the gateway writes. */
export async function reportCommand(args: ParsedArgs): Promise<void> {
  const kind = args.positional[1];
  if (kind !== 'margin' && kind !== 'spend' && kind !== 'graduation') throw new Error(reportUsage);
  const get = flagReader(args);
  const now = Date.now();
  await withConfigAndStore(args, async (store, config) => {
    if (kind === 'margin') {
      const report = await runMarginReport(store, readMonthRange(get, now));
      print(args, report, formatMarginReport(report));
      return;
    }
    const context = buildReportContext(config, new ModelRegistry(config, bundledPriceCatalog()));
    if (kind === 'spend') {
      const report = await runSpendReport(store, context, readSpendQuery(get, now));
      print(args, report, formatSpendReport(report));
      return;
    }
    const report = await runGraduationReport(store, context, readGraduationQuery(get), now);
    print(args, report, formatGraduationReport(report));
  });
}

async function readRevenueFile(file: string): Promise<RevenueRecord[]> {
  try {
    return readRevenueCsv(await readFile(file, 'utf8'));
  } catch (error) {
    throw new Error(`${file}: ${error instanceof Error ? error.message : String(error)}`);
  }
}

/** `switchyard revenue import FILE.csv | list`: what customers paid, for the margin report. */
export async function revenueCommand(args: ParsedArgs): Promise<void> {
  const action = args.positional[1];
  if (action === 'import') {
    const file = args.positional[2];
    if (!file) throw new Error(revenueUsage);
    const rows = await readRevenueFile(file);
    await withConfigAndStore(args, (store) => store.revenue.upsert(rows));
    const total = rows.reduce((sum, row) => sum + row.usd, 0);
    process.stdout.write(`Imported ${rows.length} revenue row${rows.length === 1 ? '' : 's'} (${formatUsd(total)}) from ${file}.\n`);
    return;
  }
  if (action === 'list') {
    const get = flagReader(args);
    const from = get('from') ?? get('period');
    const to = get('to') ?? get('period');
    for (const value of [from, to]) if (value !== undefined && !isMonth(value)) throw new Error(`expected a month as YYYY-MM, got "${value}"`);
    const rows = await withConfigAndStore(args, (store) => store.revenue.list({ ...(from ? { from } : {}), ...(to ? { to } : {}) }));
    print(args, rows, `${formatTable(['period', 'customer', 'revenue'], rows.map((row) => [row.period, row.customer, formatUsd(row.usd)]))}\n`);
    return;
  }
  throw new Error(revenueUsage);
}
