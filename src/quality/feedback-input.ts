import type { Config } from '../config/schema.js';
import { GatewayError } from '../core/errors.js';
import type { Demonstration, FeedbackValue } from '../store/quality-store.js';
import type { MetricDefinition } from './capture-config.js';
import type { FeedbackCondition } from './captured-request.js';

export const maxCommentLength = 4_000;
const maxDemonstrationLength = 200_000;

function invalid(param: string, message: string): GatewayError {
  return new GatewayError('invalid_request', `${param}: ${message}`, { param });
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The declared metric of this name, or a 400 that lists the declared ones. */
export function metricNamed(config: Config, name: unknown, param: string): { name: string; definition: MetricDefinition } {
  if (typeof name !== 'string' || name === '') throw invalid(param, 'expected the name of a metric.');
  const definition = config.metrics[name];
  if (!definition) {
    const known = Object.keys(config.metrics);
    throw invalid(param, `unknown metric "${name.slice(0, 80)}". ${known.length > 0 ? `Declared metrics: ${known.join(', ')}.` : 'No metrics are declared in the configuration (metrics:).'}`);
  }
  return { name, definition };
}

function demonstrationOf(value: unknown): Demonstration {
  if (typeof value === 'string') return { text: value };
  if (!isObject(value)) throw invalid('value', 'a demonstration is a string or an object {text, toolCalls?}.');
  if (typeof value.text !== 'string') throw invalid('value.text', 'expected a string.');
  const result: Demonstration = { text: value.text };
  if (value.toolCalls !== undefined) {
    if (!Array.isArray(value.toolCalls)) throw invalid('value.toolCalls', 'expected an array.');
    result.toolCalls = value.toolCalls.map((call: unknown, index) => {
      const param = `value.toolCalls[${index}]`;
      if (!isObject(call)) throw invalid(param, 'expected an object {name, arguments}.');
      if (typeof call.name !== 'string' || call.name === '') throw invalid(`${param}.name`, 'expected a non-empty string.');
      const args = typeof call.arguments === 'string' ? call.arguments : isObject(call.arguments) ? JSON.stringify(call.arguments) : undefined;
      if (args === undefined) throw invalid(`${param}.arguments`, 'expected a JSON string or an object.');
      return { ...(typeof call.id === 'string' ? { id: call.id } : {}), name: call.name, arguments: args };
    });
  }
  if (JSON.stringify(result).length > maxDemonstrationLength) throw invalid('value', `a demonstration may hold at most ${maxDemonstrationLength} characters.`);
  return result;
}

/** A feedback value checked against its metric's type and range. */
export function feedbackValueFor(metric: { name: string; definition: MetricDefinition }, value: unknown): FeedbackValue {
  const { definition } = metric;
  if (definition.type === 'boolean') {
    if (typeof value !== 'boolean') throw invalid('value', `metric "${metric.name}" takes true or false.`);
    return value;
  }
  if (definition.type === 'float') {
    if (typeof value !== 'number' || !Number.isFinite(value)) throw invalid('value', `metric "${metric.name}" takes a number.`);
    if (definition.min !== undefined && value < definition.min) throw invalid('value', `metric "${metric.name}" must be at least ${definition.min}, got ${value}.`);
    if (definition.max !== undefined && value > definition.max) throw invalid('value', `metric "${metric.name}" must be at most ${definition.max}, got ${value}.`);
    return value;
  }
  return demonstrationOf(value);
}

export interface FeedbackInput {
  requestId: string;
  metric: string;
  value: FeedbackValue;
  comment: string | null;
}

/** The body of POST /v1/feedback, every field checked. */
export function parseFeedbackInput(config: Config, body: unknown): FeedbackInput {
  if (!isObject(body)) throw invalid('body', 'expected a JSON object {requestId, metric, value, comment?}.');
  if (typeof body.requestId !== 'string' || body.requestId === '' || body.requestId.length > 200) throw invalid('requestId', 'expected the x-request-id of a request, as a string.');
  const metric = metricNamed(config, body.metric, 'metric');
  if (body.value === undefined) throw invalid('value', 'is required.');
  const value = feedbackValueFor(metric, body.value);
  if (body.comment !== undefined && body.comment !== null && typeof body.comment !== 'string') throw invalid('comment', 'expected a string.');
  const comment = typeof body.comment === 'string' ? body.comment : null;
  if (comment !== null && comment.length > maxCommentLength) throw invalid('comment', `at most ${maxCommentLength} characters, got ${comment.length}.`);
  return { requestId: body.requestId, metric: metric.name, value, comment };
}

const conditionPattern = /^([^<>=!]+?)(?:(>=|<=|!=|=)(.*))?$/;
const operatorNames = { '=': 'eq', '!=': 'ne', '>=': 'gte', '<=': 'lte' } as const;

/** A `feedback` query filter: `metric` (has feedback), `metric=true`, `rating>=4`, `rating<=2`, `rating!=3`. */
export function parseFeedbackCondition(config: Config, text: string): FeedbackCondition {
  const match = conditionPattern.exec(text);
  if (!match) throw invalid('feedback', `"${text.slice(0, 80)}" is not metric, metric=value, metric>=value, metric<=value or metric!=value.`);
  const metric = metricNamed(config, match[1], 'feedback');
  const operator = match[2] as keyof typeof operatorNames | undefined;
  if (operator === undefined) return { metric: metric.name };
  const raw = match[3] ?? '';
  if (metric.definition.type === 'demonstration') throw invalid('feedback', `metric "${metric.name}" holds demonstrations, which only filter by presence.`);
  if (metric.definition.type === 'boolean') {
    if (raw !== 'true' && raw !== 'false') throw invalid('feedback', `metric "${metric.name}" compares to true or false.`);
    if (operator !== '=' && operator !== '!=') throw invalid('feedback', `metric "${metric.name}" is boolean: use = or !=.`);
    return { metric: metric.name, op: operatorNames[operator], value: raw === 'true' };
  }
  const value = Number(raw);
  if (raw === '' || !Number.isFinite(value)) throw invalid('feedback', `metric "${metric.name}" compares to a number, got "${raw.slice(0, 40)}".`);
  return { metric: metric.name, op: operatorNames[operator], value };
}
