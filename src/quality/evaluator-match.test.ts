import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { DatasetItem } from './dataset.js';
import { scoreDeterministic, toolCallsMatch } from './evaluator-match.js';

const call = (name: string, args: string, id = 'call_1') => ({ id, name, arguments: args });

function item(overrides: Partial<DatasetItem> = {}): DatasetItem {
  return {
    id: 'i1', sourceRequestId: null, metadata: {},
    request: { model: 'support', stream: false, messages: [{ role: 'user', content: [{ type: 'text', text: 'Weather in Paris and Rome?' }] }] },
    reference: { text: 'It is  sunny.', toolCalls: [call('weather', '{"city":"Paris","units":"c"}'), call('weather', '{"city":"Rome"}', 'call_2')], finishReason: 'tool-calls', usage: { inputTokens: 1, cacheReadTokens: 0, cacheWriteTokens: 0, outputTokens: 1, reasoningTokens: 0 } },
    ...overrides,
  };
}

test('tool calls match by name and parsed arguments, in any order, ids ignored', () => {
  const expected = item().reference?.toolCalls ?? [];
  assert.equal(toolCallsMatch(expected, [call('weather', '{"city": "Rome"}', 'x'), call('weather', '{ "units":"c", "city":"Paris" }', 'y')]), true);
  assert.equal(toolCallsMatch(expected, [call('weather', '{"city":"Rome"}'), call('weather', '{"city":"Paris"}')]), false);
  assert.equal(toolCallsMatch(expected, [call('weather', '{"city":"Rome"}')]), false);
  assert.equal(toolCallsMatch(expected, [call('forecast', '{"city":"Rome"}'), call('weather', '{"city":"Paris","units":"c"}')]), false);
  assert.equal(toolCallsMatch([call('ping', '')], [call('ping', '{}')]), true);
  assert.equal(scoreDeterministic({ type: 'tool-call', name: 't' }, item({ reference: null }), { text: '', toolCalls: [] }), null);
});

test('exact match trims and folds whitespace, case optional; metadata.expected overrides the reference', () => {
  const spec = { type: 'exact-match' as const, name: 'e', ignoreCase: false };
  assert.equal(scoreDeterministic(spec, item(), { text: ' It is sunny. ', toolCalls: [] }), 1);
  assert.equal(scoreDeterministic(spec, item(), { text: 'it is sunny.', toolCalls: [] }), 0);
  assert.equal(scoreDeterministic({ ...spec, ignoreCase: true }, item(), { text: 'IT IS SUNNY.', toolCalls: [] }), 1);
  assert.equal(scoreDeterministic(spec, item({ metadata: { expected: '42' } }), { text: '42', toolCalls: [] }), 1);
  assert.equal(scoreDeterministic(spec, item({ reference: null }), { text: '42', toolCalls: [] }), null);
  const bareCall = item({ reference: { ...(item().reference as NonNullable<DatasetItem['reference']>), text: '' } });
  assert.equal(scoreDeterministic(spec, bareCall, { text: '', toolCalls: [] }), null);
});

test('contains and regex look at the answer text', () => {
  assert.equal(scoreDeterministic({ type: 'contains', name: 'c', value: 'SUNNY', ignoreCase: true }, item(), { text: 'Sunny all day', toolCalls: [] }), 1);
  assert.equal(scoreDeterministic({ type: 'contains', name: 'c', value: 'rain', ignoreCase: false }, item(), { text: 'Sunny', toolCalls: [] }), 0);
  assert.equal(scoreDeterministic({ type: 'regex', name: 'r', pattern: '^\\d+ ?°C$', flags: '' }, item(), { text: '21 °C', toolCalls: [] }), 1);
});

test('JSON-schema validity: the evaluator schema, else the response format schema, else any JSON when JSON was asked', () => {
  const schema = { type: 'object', properties: { city: { type: 'string' } }, required: ['city'], additionalProperties: false };
  const structured = item({ request: { ...item().request, responseFormat: { type: 'json-schema', name: 'place', schema } } });
  const spec = { type: 'json-schema' as const, name: 'j' };
  assert.equal(scoreDeterministic(spec, structured, { text: '{"city":"Paris"}', toolCalls: [] }), 1);
  assert.equal(scoreDeterministic(spec, structured, { text: '{"town":"Paris"}', toolCalls: [] }), 0);
  assert.equal(scoreDeterministic(spec, structured, { text: 'Paris', toolCalls: [] }), 0);
  const json = item({ request: { ...item().request, responseFormat: { type: 'json' } } });
  assert.equal(scoreDeterministic(spec, json, { text: '[1, 2]', toolCalls: [] }), 1);
  assert.equal(scoreDeterministic(spec, item(), { text: '[1, 2]', toolCalls: [] }), null);
  assert.equal(scoreDeterministic({ ...spec, schema: { type: 'array', items: { type: 'string' } } }, item(), { text: '[1, 2]', toolCalls: [] }), 0);
});
