import assert from 'node:assert/strict';
import { test } from 'node:test';
import { SpanKind, SpanStatusCode } from '@opentelemetry/api';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { finishedSpan } from './finished-span.js';
import { attemptAttributeKeys, requestAttributeKeys, type AttributeValue, type SpanData } from './span-data.js';

const resource = resourceFromAttributes({ 'service.name': 'switchyard' });
const scope = { name: 'switchyard', version: '1.0.0' };
const noLimits = { countLimit: 128, valueLengthLimit: Number.POSITIVE_INFINITY };
const traceId = '0af7651916cd43dd8448eb211c80319c';

function requestValues(): AttributeValue[] {
  const values: AttributeValue[] = requestAttributeKeys.map(() => null);
  values[requestAttributeKeys.indexOf('gen_ai.operation.name')] = 'chat';
  values[requestAttributeKeys.indexOf('gen_ai.request.model')] = 'gpt-4o-mini';
  values[requestAttributeKeys.indexOf('gen_ai.usage.input_tokens')] = 12;
  values[requestAttributeKeys.indexOf('gen_ai.response.finish_reasons')] = ['stop'];
  values[requestAttributeKeys.indexOf('switchyard.cost_usd')] = 0.00042;
  return values;
}

test('a request span keeps the ids, parent, times and attributes it was sent with', () => {
  const data: SpanData = ['server', 'chat gpt-4o-mini', traceId, 'b7ad6b7169203331', '00f067aa0ba902b7', true, 'vendor=1', 1_700_000_000_123.5, 1_700_000_000_456.25, false, requestValues()];
  const span = finishedSpan(data, resource, scope, noLimits);
  assert.equal(span.name, 'chat gpt-4o-mini');
  assert.equal(span.kind, SpanKind.SERVER);
  assert.deepEqual({ ...span.spanContext(), traceState: span.spanContext().traceState?.serialize() }, { traceId, spanId: 'b7ad6b7169203331', traceFlags: 1, traceState: 'vendor=1' });
  assert.equal(span.parentSpanContext?.spanId, '00f067aa0ba902b7');
  assert.equal(span.parentSpanContext?.isRemote, true);
  assert.deepEqual(span.startTime, [1_700_000_000, 123_500_000]);
  assert.deepEqual(span.endTime, [1_700_000_000, 456_250_000]);
  assert.deepEqual(span.duration, [0, 332_750_000]);
  assert.equal(span.status.code, SpanStatusCode.UNSET);
  assert.deepEqual(span.attributes, { 'gen_ai.operation.name': 'chat', 'gen_ai.request.model': 'gpt-4o-mini', 'gen_ai.usage.input_tokens': 12, 'gen_ai.response.finish_reasons': ['stop'], 'switchyard.cost_usd': 0.00042 });
  assert.equal(span.droppedAttributesCount, 0);
  assert.equal(span.resource, resource);
  assert.equal(span.instrumentationScope, scope);
});

test('an attempt span without a parent id is a root; a failed one has the error status; it never ends before it starts', () => {
  const values: AttributeValue[] = attemptAttributeKeys.map(() => null);
  values[attemptAttributeKeys.indexOf('error.type')] = 'upstream_timeout';
  const span = finishedSpan(['client', 'chat bench-model', traceId, 'b7ad6b7169203331', null, false, null, 2_000, 1_999, true, values], resource, scope, noLimits);
  assert.equal(span.kind, SpanKind.CLIENT);
  assert.equal(span.parentSpanContext, undefined);
  assert.equal(span.spanContext().traceState, undefined);
  assert.equal(span.status.code, SpanStatusCode.ERROR);
  assert.deepEqual(span.endTime, span.startTime);
  assert.deepEqual(span.attributes, { 'error.type': 'upstream_timeout' });
});

test('the span limits of the SDK apply: attributes past the count are dropped and counted, long strings are cut', () => {
  const values = requestValues();
  values[requestAttributeKeys.indexOf('gen_ai.input.messages')] = 'x'.repeat(50);
  const span = finishedSpan(['server', 'chat gpt-4o-mini', traceId, 'b7ad6b7169203331', null, false, null, 1, 2, false, values], resource, scope, { countLimit: 3, valueLengthLimit: 8 });
  assert.deepEqual(span.attributes, { 'gen_ai.operation.name': 'chat', 'gen_ai.request.model': 'gpt-4o-m', 'gen_ai.input.messages': 'xxxxxxxx' });
  assert.equal(span.droppedAttributesCount, 3);
});
