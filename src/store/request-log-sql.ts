import type { RequestRecord } from '../ledger/ledger-record.js';
import { compressBody, compressBodyAsync, decompressBody } from './capture-compression.js';
import type { FeedbackCondition } from '../quality/captured-request.js';
import { requestColumns, routerFieldsFrom } from './ledger-columns.js';
import type { CaptureRow, FeedbackRecord, FeedbackValue, RequestLogQuery, RequestLogRow } from './quality-store.js';

export type Dialect = 'sqlite' | 'postgres';

type Row = Record<string, unknown>;

const captureColumns = ['request_id', 'created_at', 'expires_at', 'redacted', 'request_body', 'answer_body', 'request_bytes', 'answer_bytes', 'request_truncated', 'answer_truncated'];

const operators: Record<NonNullable<FeedbackCondition['op']>, string> = { eq: '=', ne: '<>', gte: '>=', lte: '<=' };

/** Collects positional values and names their placeholders in either dialect. */
class Parameters {
  readonly values: unknown[] = [];
  constructor(private readonly dialect: Dialect) {}

  add(value: unknown): string {
    this.values.push(value);
    return this.dialect === 'sqlite' ? '?' : `$${this.values.length}`;
  }
}

function feedbackCondition(condition: FeedbackCondition, parameters: Parameters): string {
  const metric = parameters.add(condition.metric);
  if (condition.value === undefined) return `EXISTS (SELECT 1 FROM feedback_latest f WHERE f.request_id = r.id AND f.metric = ${metric})`;
  const value = typeof condition.value === 'boolean' ? (condition.value ? 1 : 0) : condition.value;
  const operator = operators[condition.op ?? 'eq'];
  return `EXISTS (SELECT 1 FROM feedback_latest f WHERE f.request_id = r.id AND f.metric = ${metric} AND f.num_value ${operator} ${parameters.add(value)})`;
}

/**
 * The request log query for either driver: ledger requests left-joined with captures, newest first. Ordering by
 * (started_at, id) descending walks the `requests_newest` index, and a cursor resumes strictly after its position.
 */
export function requestLogSql(query: RequestLogQuery, dialect: Dialect): { text: string; values: unknown[] } {
  const parameters = new Parameters(dialect);
  const conditions: string[] = [];
  const { filter } = query;
  if (filter.from !== undefined) conditions.push(`r.started_at >= ${parameters.add(filter.from)}`);
  if (filter.to !== undefined) conditions.push(`r.started_at < ${parameters.add(filter.to)}`);
  const equals: Array<[string | undefined, string]> = [[filter.model, 'requested_model'], [filter.route, 'route'], [filter.customer, 'customer'], [filter.keyId, 'key_id']];
  for (const [value, column] of equals) if (value !== undefined) conditions.push(`r.${column} = ${parameters.add(value)}`);
  if (filter.status === 'ok') conditions.push('r.status < 400');
  else if (filter.status === 'error') conditions.push('r.status >= 400');
  else if (filter.status !== undefined) conditions.push(`r.status = ${parameters.add(filter.status)}`);
  for (const [name, value] of Object.entries(filter.tags ?? {})) {
    conditions.push(`EXISTS (SELECT 1 FROM request_tags t WHERE t.request_id = r.id AND t.name = ${parameters.add(name)} AND t.value = ${parameters.add(value)})`);
  }
  for (const condition of filter.feedback ?? []) conditions.push(feedbackCondition(condition, parameters));
  if (filter.withBodies) conditions.push('c.request_body IS NOT NULL');
  if (query.after) {
    const startedAt = parameters.add(query.after.startedAt);
    conditions.push(`(r.started_at < ${startedAt} OR (r.started_at = ${parameters.add(query.after.startedAt)} AND r.id < ${parameters.add(query.after.id)}))`);
  }
  const selected = [...requestColumns.map((column) => `r.${column}`), ...captureColumns.map((column) => `c.${column} AS capture_${column}`)];
  const text = `SELECT ${selected.join(', ')} FROM requests r LEFT JOIN captures c ON c.request_id = r.id
    ${conditions.length > 0 ? `WHERE ${conditions.join(' AND ')}` : ''}
    ORDER BY r.started_at DESC, r.id DESC LIMIT ${parameters.add(query.limit)}`;
  return { text, values: parameters.values };
}

function camel(name: string): string {
  return name.replace(/_([a-z])/g, (_match, letter: string) => letter.toUpperCase());
}

const flag = (value: unknown) => value === true || value === 1;
const flagColumns = new Set(['stream', 'estimated', 'cache_hit']);

/** A ledger row (either driver) as a record without attempts. */
export function requestFromRow(row: Row): RequestRecord {
  const record: Row = {};
  for (const column of requestColumns) {
    const value = row[column];
    if (column === 'tags') {
      if (typeof value === 'string') record.tags = JSON.parse(value) as Record<string, string>;
    } else record[camel(column)] = flagColumns.has(column) ? flag(value) : value;
  }
  const withRouter = routerFieldsFrom(record);
  withRouter.attempts = [];
  return withRouter as unknown as RequestRecord;
}

function bufferOrNull(value: unknown): Buffer | null {
  if (value === null || value === undefined) return null;
  return Buffer.isBuffer(value) ? value : Buffer.from(value as Uint8Array);
}

function bodyOf(data: Buffer | null): string | null {
  return data ? decompressBody(data) : null;
}

const numberOrNull = (value: unknown) => (value === null || value === undefined ? null : Number(value));

/** A captures row; `prefix` is `capture_` when it came aliased from the request log join. */
export function captureFromRow(row: Row, prefix = ''): CaptureRow | null {
  if (row[`${prefix}request_id`] === null || row[`${prefix}request_id`] === undefined) return null;
  const request = bufferOrNull(row[`${prefix}request_body`]);
  const answer = bufferOrNull(row[`${prefix}answer_body`]);
  return {
    requestId: row[`${prefix}request_id`] as string,
    createdAt: Number(row[`${prefix}created_at`]),
    expiresAt: Number(row[`${prefix}expires_at`]),
    redacted: flag(row[`${prefix}redacted`]),
    request: bodyOf(request),
    answer: bodyOf(answer),
    requestBytes: numberOrNull(row[`${prefix}request_bytes`]),
    answerBytes: numberOrNull(row[`${prefix}answer_bytes`]),
    requestTruncated: flag(row[`${prefix}request_truncated`]),
    answerTruncated: flag(row[`${prefix}answer_truncated`]),
    storedBytes: (request?.length ?? 0) + (answer?.length ?? 0),
  };
}

export function requestLogRowFrom(row: Row): RequestLogRow {
  return { record: requestFromRow(row), capture: captureFromRow(row, 'capture_') };
}

/** A capture row's values in `captureColumns` order, bodies still JSON text (see `compressCaptureValues`). */
export function captureValues(row: CaptureRow, flagValue: (value: boolean) => boolean | number): unknown[] {
  return [row.requestId, row.createdAt, row.expiresAt, flagValue(row.redacted), row.request, row.answer, row.requestBytes, row.answerBytes, flagValue(row.requestTruncated), flagValue(row.answerTruncated)];
}

const bodyColumns = [captureColumns.indexOf('request_body'), captureColumns.indexOf('answer_body')];

/** The same values with both bodies compressed, as they are stored. */
export function compressCaptureValues(values: unknown[], compress: (json: string) => Buffer = compressBody): unknown[] {
  const stored = [...values];
  for (const index of bodyColumns) if (typeof stored[index] === 'string') stored[index] = compress(stored[index] as string);
  return stored;
}

export async function compressCaptureValuesAsync(values: unknown[]): Promise<unknown[]> {
  const stored = [...values];
  for (const index of bodyColumns) if (typeof stored[index] === 'string') stored[index] = await compressBodyAsync(stored[index] as string);
  return stored;
}

export { captureColumns };

/** The number a feedback value compares as: booleans as 1 or 0, demonstrations as none. */
export function feedbackNumber(value: FeedbackValue): number | null {
  if (typeof value === 'boolean') return value ? 1 : 0;
  return typeof value === 'number' ? value : null;
}

export function feedbackFromRow(row: Row): FeedbackRecord {
  return {
    id: row.id as string,
    requestId: row.request_id as string,
    metric: row.metric as string,
    value: JSON.parse(row.value as string) as FeedbackValue,
    comment: (row.comment as string | null) ?? null,
    keyId: (row.key_id as string | null) ?? null,
    createdAt: Number(row.created_at),
  };
}

/** The feedback summary query, grouped by one of the usage groupings' column expressions. */
export function feedbackSummarySql(groupColumn: string, dialect: Dialect): string {
  const [from, to] = dialect === 'sqlite' ? ['?', '?'] : ['$1', '$2'];
  return `SELECT ${groupColumn} AS "group", f.metric AS metric, COUNT(*) AS count, AVG(f.num_value) AS mean
    FROM feedback_latest f JOIN requests ON requests.id = f.request_id
    WHERE started_at >= ${from} AND started_at < ${to} GROUP BY 1, 2`;
}
