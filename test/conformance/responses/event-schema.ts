import assert from 'node:assert/strict';

/**
 * The required fields of every Responses API object and stream event the gateway writes, with their JSON types, as
 * OpenAI documents them: https://platform.openai.com/docs/api-reference/responses/object (response, output items,
 * usage) and https://platform.openai.com/docs/api-reference/responses-streaming (one entry per event type).
 */

type JsonType = 'string' | 'integer' | 'number' | 'boolean' | 'object' | 'array' | 'null';
type FieldSpec = JsonType | readonly JsonType[] | { literal: string };
type Shape = Record<string, FieldSpec>;
export type Json = Record<string, unknown>;

function typeOf(value: unknown): JsonType | 'undefined' {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'number') return Number.isInteger(value) ? 'integer' : 'number';
  if (typeof value === 'string' || typeof value === 'boolean' || typeof value === 'object') return typeof value as JsonType;
  return 'undefined';
}

function accepts(spec: FieldSpec, value: unknown): boolean {
  if (typeof spec === 'object' && 'literal' in spec) return value === spec.literal;
  const types: readonly JsonType[] = typeof spec === 'string' ? [spec] : (spec as readonly JsonType[]);
  const actual = typeOf(value);
  return types.some((type) => type === actual || (type === 'number' && actual === 'integer'));
}

export function asJson(value: unknown, where: string): Json {
  assert.equal(typeOf(value), 'object', `${where} is an object`);
  return value as Json;
}

export function checkShape(value: unknown, shape: Shape, where: string): Json {
  const object = asJson(value, where);
  for (const [field, spec] of Object.entries(shape)) {
    assert.ok(field in object, `${where} has the required field ${field}`);
    assert.ok(accepts(spec, object[field]), `${where}.${field} is ${JSON.stringify(spec)}, got ${JSON.stringify(object[field])}`);
  }
  return object;
}

const nullableString = ['string', 'null'] as const;
const nullableNumber = ['number', 'null'] as const;

const usageShape: Shape = { input_tokens: 'integer', input_tokens_details: 'object', output_tokens: 'integer', output_tokens_details: 'object', total_tokens: 'integer' };

export function checkUsage(value: unknown, where: string): Json {
  const usage = checkShape(value, usageShape, where);
  checkShape(usage.input_tokens_details, { cached_tokens: 'integer' }, `${where}.input_tokens_details`);
  checkShape(usage.output_tokens_details, { reasoning_tokens: 'integer' }, `${where}.output_tokens_details`);
  assert.equal(usage.total_tokens, (usage.input_tokens as number) + (usage.output_tokens as number), `${where}.total_tokens is input plus output`);
  return usage;
}

const contentShapes: Record<string, Shape> = {
  output_text: { type: { literal: 'output_text' }, text: 'string', annotations: 'array' },
  refusal: { type: { literal: 'refusal' }, refusal: 'string' },
  reasoning_text: { type: { literal: 'reasoning_text' }, text: 'string' },
};

export function checkContentPart(value: unknown, where: string): Json {
  const part = asJson(value, where);
  const shape = contentShapes[String(part.type)];
  assert.ok(shape, `${where}.type ${String(part.type)} is a documented content part`);
  return checkShape(part, shape, where);
}

const itemStatus = ['string'] as const;
const itemShapes: Record<string, Shape> = {
  message: { id: 'string', type: { literal: 'message' }, role: { literal: 'assistant' }, status: itemStatus, content: 'array' },
  function_call: { id: 'string', type: { literal: 'function_call' }, call_id: 'string', name: 'string', arguments: 'string', status: itemStatus },
  reasoning: { id: 'string', type: { literal: 'reasoning' }, summary: 'array' },
  web_search_call: { id: 'string', type: { literal: 'web_search_call' }, status: itemStatus },
  file_search_call: { id: 'string', type: { literal: 'file_search_call' }, status: itemStatus, queries: 'array' },
};

export function checkItem(value: unknown, where: string): Json {
  const item = asJson(value, where);
  const shape = itemShapes[String(item.type)];
  assert.ok(shape, `${where}.type ${String(item.type)} is a documented output item`);
  checkShape(item, shape, where);
  if (item.type === 'message') (item.content as unknown[]).forEach((part, index) => checkContentPart(part, `${where}.content[${index}]`));
  if (item.type === 'reasoning') {
    (item.summary as unknown[]).forEach((part, index) => checkShape(part, { type: { literal: 'summary_text' }, text: 'string' }, `${where}.summary[${index}]`));
    if ('encrypted_content' in item) assert.ok(accepts(nullableString, item.encrypted_content), `${where}.encrypted_content is a string or null`);
  }
  return item;
}

const responseShape: Shape = {
  id: 'string', object: { literal: 'response' }, created_at: 'number', status: 'string', error: ['object', 'null'], incomplete_details: ['object', 'null'],
  instructions: ['string', 'array', 'null'], metadata: ['object', 'null'], model: 'string', output: 'array', parallel_tool_calls: 'boolean',
  temperature: nullableNumber, tool_choice: ['string', 'object'], tools: 'array', top_p: nullableNumber,
};

/** Codes a failed response may carry: https://platform.openai.com/docs/api-reference/responses/object#responses/object-error */
export const responseErrorCodes = [
  'server_error', 'rate_limit_exceeded', 'invalid_prompt', 'vector_store_timeout', 'invalid_image', 'invalid_image_format', 'invalid_base64_image',
  'invalid_image_url', 'image_too_large', 'image_too_small', 'image_parse_error', 'image_content_policy_violation', 'invalid_image_mode',
  'image_file_too_large', 'unsupported_image_media_type', 'empty_image_file', 'failed_to_download_image', 'image_file_not_found',
];

export function checkResponse(value: unknown, where: string): Json {
  const response = checkShape(value, responseShape, where);
  (response.output as unknown[]).forEach((item, index) => checkItem(item, `${where}.output[${index}]`));
  if (response.usage !== undefined && response.usage !== null) checkUsage(response.usage, `${where}.usage`);
  if (response.status === 'failed') {
    const error = checkShape(response.error, { code: 'string', message: 'string' }, `${where}.error`);
    assert.ok(responseErrorCodes.includes(error.code as string), `${where}.error.code ${String(error.code)} is a documented code`);
  }
  if (response.status === 'incomplete') checkShape(response.incomplete_details, { reason: 'string' }, `${where}.incomplete_details`);
  return response;
}

const at = { item_id: 'string', output_index: 'integer' } as const;
const inContent = { ...at, content_index: 'integer' } as const;
const inSummary = { ...at, summary_index: 'integer' } as const;

/** Fields of each event beyond `type` and `sequence_number`; `response`, `item` and `part` are checked deeper. */
const eventShapes: Record<string, Shape> = {
  'response.created': { response: 'object' },
  'response.in_progress': { response: 'object' },
  'response.queued': { response: 'object' },
  'response.completed': { response: 'object' },
  'response.incomplete': { response: 'object' },
  'response.failed': { response: 'object' },
  'response.output_item.added': { output_index: 'integer', item: 'object' },
  'response.output_item.done': { output_index: 'integer', item: 'object' },
  'response.content_part.added': { ...inContent, part: 'object' },
  'response.content_part.done': { ...inContent, part: 'object' },
  'response.output_text.delta': { ...inContent, delta: 'string', logprobs: 'array' },
  'response.output_text.done': { ...inContent, text: 'string', logprobs: 'array' },
  'response.output_text.annotation.added': { ...inContent, annotation_index: 'integer', annotation: 'object' },
  'response.refusal.delta': { ...inContent, delta: 'string' },
  'response.refusal.done': { ...inContent, refusal: 'string' },
  'response.function_call_arguments.delta': { ...at, delta: 'string' },
  'response.function_call_arguments.done': { ...at, name: 'string', arguments: 'string' },
  'response.reasoning_summary_part.added': { ...inSummary, part: 'object' },
  'response.reasoning_summary_part.done': { ...inSummary, part: 'object' },
  'response.reasoning_summary_text.delta': { ...inSummary, delta: 'string' },
  'response.reasoning_summary_text.done': { ...inSummary, text: 'string' },
  'response.reasoning_text.delta': { ...inContent, delta: 'string' },
  'response.reasoning_text.done': { ...inContent, text: 'string' },
  'response.web_search_call.in_progress': at,
  'response.web_search_call.searching': at,
  'response.web_search_call.completed': at,
  'response.file_search_call.in_progress': at,
  'response.file_search_call.searching': at,
  'response.file_search_call.completed': at,
  error: { code: nullableString, message: 'string', param: nullableString },
};

/** Checks one event's fields and the objects it carries; returns it typed as JSON. */
export function checkEvent(value: unknown, where: string): Json {
  const event = checkShape(value, { type: 'string', sequence_number: 'integer' }, where);
  const type = event.type as string;
  const shape = eventShapes[type];
  assert.ok(shape, `${where}: ${type} is a documented stream event`);
  // OpenAI also sends an error event's fields inside an `error` object; both forms carry the same fields.
  const fields = type === 'error' && typeof event.error === 'object' && event.error !== null ? (event.error as Json) : event;
  checkShape(fields, shape, `${where} (${type})`);
  if ('response' in shape) checkResponse(event.response, `${where} (${type}).response`);
  if ('item' in shape) checkItem(event.item, `${where} (${type}).item`);
  if (type.startsWith('response.content_part.')) checkContentPart(event.part, `${where} (${type}).part`);
  if (type.startsWith('response.reasoning_summary_part.')) checkShape(event.part, { type: { literal: 'summary_text' }, text: 'string' }, `${where} (${type}).part`);
  return event;
}

/** OpenAI's error envelope: https://platform.openai.com/docs/guides/error-codes */
export function checkErrorEnvelope(value: unknown, where: string): Json {
  const body = checkShape(value, { error: 'object' }, where);
  return checkShape(body.error, { message: 'string', type: 'string', param: nullableString, code: nullableString }, `${where}.error`);
}
