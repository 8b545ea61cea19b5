import type { RevenueRecord } from '../store/store.js';
import { isMonth } from './periods.js';

/** One problem with one input row: which row (0-based index) and which field. */
export interface RowProblem {
  row: number;
  field: string;
  message: string;
}

/** Checks one `{customer, period, usd}` row; returns the record or the problems found. */
export function readRevenueRow(value: unknown, row: number): RevenueRecord | RowProblem[] {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return [{ row, field: '(row)', message: 'expected an object with customer, period and usd' }];
  const input = value as Record<string, unknown>;
  const problems: RowProblem[] = [];
  const { customer, period, usd } = input;
  if (typeof customer !== 'string' || customer.trim() === '') problems.push({ row, field: 'customer', message: 'expected a non-empty string' });
  if (typeof period !== 'string' || !isMonth(period)) problems.push({ row, field: 'period', message: `expected a month as YYYY-MM, got ${JSON.stringify(period ?? null)}` });
  if (typeof usd !== 'number' || !Number.isFinite(usd) || usd < 0) problems.push({ row, field: 'usd', message: `expected a finite number >= 0, got ${JSON.stringify(usd ?? null)}` });
  for (const field of Object.keys(input)) if (!['customer', 'period', 'usd'].includes(field)) problems.push({ row, field, message: 'unknown field' });
  if (problems.length > 0) return problems;
  return { customer: (customer as string).trim(), period: period as string, usd: usd as number };
}

/** Checks every row; all problems are reported together so a file can be fixed in one pass. */
export function readRevenueRows(values: unknown[]): { rows: RevenueRecord[]; problems: RowProblem[] } {
  const rows: RevenueRecord[] = [];
  const problems: RowProblem[] = [];
  const seen = new Map<string, number>();
  values.forEach((value, index) => {
    const result = readRevenueRow(value, index);
    if (Array.isArray(result)) {
      problems.push(...result);
      return;
    }
    const key = `${result.customer}\u0000${result.period}`;
    const earlier = seen.get(key);
    if (earlier !== undefined) problems.push({ row: index, field: 'period', message: `repeats ${result.customer} ${result.period} of row ${earlier}` });
    seen.set(key, index);
    rows.push(result);
  });
  return { rows, problems };
}

/** Splits CSV text into records of fields: commas, double-quoted fields with `""` escapes and line breaks inside quotes. */
export function parseCsv(text: string): Array<{ line: number; fields: string[] }> {
  const records: Array<{ line: number; fields: string[] }> = [];
  let fields: string[] = [];
  let field = '';
  let quoted = false;
  let line = 1;
  let recordLine = 1;
  const endRecord = () => {
    fields.push(field);
    if (fields.length > 1 || fields[0]?.trim() !== '') records.push({ line: recordLine, fields });
    fields = [];
    field = '';
  };
  const source = text.replace(/^\uFEFF/, '');
  for (let index = 0; index < source.length; index += 1) {
    const char = source[index] as string;
    if (quoted) {
      if (char === '"' && source[index + 1] === '"') {
        field += '"';
        index += 1;
      } else if (char === '"') quoted = false;
      else {
        if (char === '\n') line += 1;
        field += char;
      }
    } else if (char === '"' && field.trim() === '') {
      field = '';
      quoted = true;
    } else if (char === ',') {
      fields.push(field);
      field = '';
    } else if (char === '\n' || char === '\r') {
      if (char === '\r' && source[index + 1] === '\n') index += 1;
      endRecord();
      line += 1;
      recordLine = line;
    } else field += char;
  }
  if (quoted) throw new Error(`line ${recordLine}: a quoted field is not closed`);
  if (field !== '' || fields.length > 0) endRecord();
  return records;
}

/**
 * Reads a revenue CSV with the header `customer,period,usd` (any column order). Throws one error listing every
 * bad line, so that nothing is imported from a file with a mistake in it.
 */
export function readRevenueCsv(text: string): RevenueRecord[] {
  const [header, ...records] = parseCsv(text);
  if (!header) throw new Error('the file is empty; expected the header customer,period,usd');
  const names = header.fields.map((name) => name.trim().toLowerCase());
  const columns = ['customer', 'period', 'usd'].map((name) => names.indexOf(name));
  if (columns.some((column) => column === -1)) throw new Error(`line ${header.line}: expected the header customer,period,usd, got "${header.fields.join(',')}"`);
  const [customerColumn, periodColumn, usdColumn] = columns as [number, number, number];
  const rows: RevenueRecord[] = [];
  const problems: string[] = [];
  const seen = new Map<string, number>();
  for (const record of records) {
    if (record.fields.length !== names.length) {
      problems.push(`line ${record.line}: expected ${names.length} fields, got ${record.fields.length}`);
      continue;
    }
    const usdText = (record.fields[usdColumn] as string).trim().replace(/^\$/, '');
    const usd = usdText === '' || !/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(usdText) ? Number.NaN : Number(usdText);
    const value = { customer: record.fields[customerColumn], period: (record.fields[periodColumn] as string).trim(), usd };
    const result = readRevenueRow(value, record.line);
    if (Array.isArray(result)) {
      for (const problem of result) problems.push(`line ${record.line}: ${problem.field}: ${problem.field === 'usd' ? `expected a number >= 0, got "${record.fields[usdColumn]}"` : problem.message}`);
      continue;
    }
    const key = `${result.customer}\u0000${result.period}`;
    const earlier = seen.get(key);
    if (earlier !== undefined) problems.push(`line ${record.line}: repeats ${result.customer} ${result.period} of line ${earlier}`);
    seen.set(key, record.line);
    rows.push(result);
  }
  if (problems.length > 0) throw new Error(`${problems.length} problem${problems.length > 1 ? 's' : ''}, nothing imported:\n${problems.join('\n')}`);
  return rows;
}
