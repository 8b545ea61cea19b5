import { invalid, optionalString, requireArray, requireObject, requireString } from '../server/openai/field-reader.js';
import type { CaptureFilter, FeedbackCondition } from './captured-request.js';

const operators = new Set(['eq', 'ne', 'gte', 'lte']);

function readTime(value: unknown, param: string): number | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value === 'number' && Number.isFinite(value)) return value;
  const text = requireString(value, param);
  const time = /^\d+$/.test(text) ? Number(text) : Date.parse(text);
  if (Number.isNaN(time)) throw invalid(param, `expected an ISO 8601 date or epoch milliseconds, got "${text}".`);
  return time;
}

function readStatus(value: unknown, param: string): CaptureFilter['status'] {
  if (value === undefined || value === null) return undefined;
  if (value === 'ok' || value === 'error') return value;
  if (typeof value === 'number' && Number.isInteger(value) && value >= 100 && value <= 599) return value;
  throw invalid(param, 'expected an HTTP status, "ok" or "error".');
}

function readFeedback(value: unknown, param: string): FeedbackCondition[] {
  return requireArray(value, param).map((entry, index) => {
    const path = `${param}[${index}]`;
    const condition = requireObject(entry, path);
    const decoded: FeedbackCondition = { metric: requireString(condition.metric, `${path}.metric`) };
    if (condition.op !== undefined) {
      if (typeof condition.op !== 'string' || !operators.has(condition.op)) throw invalid(`${path}.op`, 'expected "eq", "ne", "gte" or "lte".');
      decoded.op = condition.op as FeedbackCondition['op'] & string;
    }
    if (condition.value !== undefined) {
      if (typeof condition.value !== 'number' && typeof condition.value !== 'boolean') throw invalid(`${path}.value`, 'expected a number or a boolean.');
      decoded.value = condition.value;
    }
    if ((decoded.op === undefined) !== (decoded.value === undefined)) throw invalid(`${path}.${decoded.op === undefined ? 'op' : 'value'}`, 'give "op" and "value" together, or neither to ask only that the metric exists.');
    return decoded;
  });
}

/** Reads a capture filter from a JSON body, naming every bad field under `param` (for example `filter.status`). */
export function readCaptureFilter(value: unknown, param = 'filter'): CaptureFilter {
  const body = requireObject(value, param);
  const known = new Set(['from', 'to', 'model', 'route', 'customer', 'keyId', 'status', 'tags', 'feedback']);
  for (const key of Object.keys(body)) if (!known.has(key)) throw invalid(`${param}.${key}`, `unknown filter field; expected one of ${[...known].join(', ')}.`);
  const filter: CaptureFilter = {};
  const from = readTime(body.from, `${param}.from`);
  if (from !== undefined) filter.from = from;
  const to = readTime(body.to, `${param}.to`);
  if (to !== undefined) filter.to = to;
  if (from !== undefined && to !== undefined && from >= to) throw invalid(`${param}.to`, 'must be later than "from".');
  for (const key of ['model', 'route', 'customer', 'keyId'] as const) {
    const text = optionalString(body[key], `${param}.${key}`);
    if (text !== undefined) filter[key] = text;
  }
  const status = readStatus(body.status, `${param}.status`);
  if (status !== undefined) filter.status = status;
  if (body.tags !== undefined && body.tags !== null) {
    const tags = requireObject(body.tags, `${param}.tags`);
    filter.tags = Object.fromEntries(Object.entries(tags).map(([tag, tagValue]) => [tag, requireString(tagValue, `${param}.tags.${tag}`)]));
  }
  if (body.feedback !== undefined && body.feedback !== null) filter.feedback = readFeedback(body.feedback, `${param}.feedback`);
  return filter;
}
