import { isDeepStrictEqual } from 'node:util';
import type { ToolCall } from '../core/canonical.js';
import type { DatasetItem } from './dataset.js';
import { validateJsonSchema } from './evaluator-json-schema.js';
import type { EvaluatedAnswer, EvaluatorSpec } from './evaluation-types.js';

type DeterministicSpec = Exclude<EvaluatorSpec, { type: 'judge' }>;

function normalise(text: string, ignoreCase: boolean): string {
  const trimmed = text.trim().replace(/\s+/g, ' ');
  return ignoreCase ? trimmed.toLowerCase() : trimmed;
}

/** The answer the item expects: `metadata.expected` when an import set one, else the reference answer's text (none for a bare tool call). */
export function expectedText(item: DatasetItem): string | undefined {
  if (item.metadata.expected !== undefined) return item.metadata.expected;
  const reference = item.reference;
  if (!reference || (reference.text === '' && reference.toolCalls.length > 0)) return undefined;
  return reference.text;
}

function parsedArguments(call: ToolCall): unknown {
  try {
    return JSON.parse(call.arguments === '' ? '{}' : call.arguments);
  } catch {
    return { unparsable: call.arguments };
  }
}

/** Every reference call has a distinct answer call of the same name and equal parsed arguments, and no call is extra. */
export function toolCallsMatch(expected: ToolCall[], actual: ToolCall[]): boolean {
  if (expected.length !== actual.length) return false;
  const unused = [...actual];
  for (const call of expected) {
    const found = unused.findIndex((candidate) => candidate.name === call.name && isDeepStrictEqual(parsedArguments(candidate), parsedArguments(call)));
    if (found === -1) return false;
    unused.splice(found, 1);
  }
  return true;
}

function schemaOf(spec: Extract<EvaluatorSpec, { type: 'json-schema' }>, item: DatasetItem): Record<string, unknown> | undefined {
  if (spec.schema) return spec.schema;
  const format = item.request.responseFormat;
  return format?.type === 'json-schema' ? format.schema : undefined;
}

function jsonScore(spec: Extract<EvaluatorSpec, { type: 'json-schema' }>, item: DatasetItem, answer: EvaluatedAnswer): number | null {
  // An item that asked for no JSON (no schema here, no JSON response format) is not this evaluator's to score.
  if (spec.schema === undefined && item.request.responseFormat?.type !== 'json' && item.request.responseFormat?.type !== 'json-schema') return null;
  let value: unknown;
  try {
    value = JSON.parse(answer.text);
  } catch {
    return 0;
  }
  const schema = schemaOf(spec, item);
  return schema === undefined || validateJsonSchema(value, schema).length === 0 ? 1 : 0;
}

/**
 * Scores one answer 1 (pass) or 0 (fail), or null when the item gives nothing to compare with (no reference text
 * for exact match, no reference tool calls for tool-call match, no JSON asked for JSON-schema validity).
 */
export function scoreDeterministic(spec: DeterministicSpec, item: DatasetItem, answer: EvaluatedAnswer): number | null {
  switch (spec.type) {
    case 'exact-match': {
      const expected = expectedText(item);
      if (expected === undefined) return null;
      return normalise(answer.text, spec.ignoreCase) === normalise(expected, spec.ignoreCase) ? 1 : 0;
    }
    case 'contains':
      return normalise(answer.text, spec.ignoreCase).includes(normalise(spec.value, spec.ignoreCase)) ? 1 : 0;
    case 'regex':
      return new RegExp(spec.pattern, spec.flags).test(answer.text) ? 1 : 0;
    case 'json-schema':
      return jsonScore(spec, item, answer);
    case 'tool-call': {
      const expected = item.reference?.toolCalls;
      if (!expected || expected.length === 0) return null;
      return toolCallsMatch(expected, answer.toolCalls) ? 1 : 0;
    }
  }
}
