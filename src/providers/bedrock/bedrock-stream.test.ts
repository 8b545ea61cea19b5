import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import type { StreamPart } from '../../core/canonical.js';
import { AwsEventStreamDecoder, encodeAwsEvent } from '../shared/aws-eventstream.js';
import { BedrockStreamDecoder } from './bedrock-stream.js';

const fixtures = new URL('../../../../src/providers/bedrock/__fixtures__/', import.meta.url);
const model = 'anthropic.claude-3-7-sonnet-20250219-v1:0';

/** Frames each fixture line (`{eventType: payload}`) as Bedrock sends it, then decodes it back in awkward chunk sizes. */
function decodeFixture(name: string): StreamPart[] {
  const frames = readFileSync(new URL(name, fixtures), 'utf8')
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => {
      const [eventType, payload] = Object.entries(JSON.parse(line) as Record<string, unknown>)[0] as [string, unknown];
      return encodeAwsEvent(eventType.endsWith('Exception') ? `exception:${eventType}` : eventType, payload);
    });
  const body = Uint8Array.from(frames.flatMap((frame) => [...frame]));
  const framing = new AwsEventStreamDecoder();
  const decoder = new BedrockStreamDecoder(model);
  const parts: StreamPart[] = [];
  for (let offset = 0; offset < body.length; offset += 37) {
    for (const event of framing.push(body.subarray(offset, offset + 37))) parts.push(...decoder.decode(event));
  }
  parts.push(...decoder.end());
  return parts;
}

function withoutStart(parts: StreamPart[]): StreamPart[] {
  const [start, ...rest] = parts;
  assert.equal(start?.type, 'stream-start');
  if (start?.type === 'stream-start') assert.equal(start.model, model);
  return rest;
}

test('a text stream yields text deltas, then usage, then the finish', () => {
  const parts = withoutStart(decodeFixture('text.chunks.txt'));
  assert.deepEqual(parts.slice(0, 3), [
    { type: 'text-delta', text: 'Canberra' },
    { type: 'text-delta', text: ' is the capital' },
    { type: 'text-delta', text: ' of Australia.' },
  ]);
  const usage = parts[3];
  assert.equal(usage?.type, 'usage');
  if (usage?.type === 'usage') {
    assert.equal(usage.usage.inputTokens, 14);
    assert.equal(usage.usage.cacheReadTokens, 1200);
    assert.equal(usage.usage.outputTokens, 8);
  }
  assert.deepEqual(parts[4], { type: 'finish', finishReason: 'stop', rawFinishReason: 'end_turn' });
  assert.equal(parts.length, 5);
});

test('parallel tool calls are numbered from zero and their fragments routed by block', () => {
  const parts = withoutStart(decodeFixture('parallel-tools.chunks.txt'));
  const tools = parts.filter((part) => part.type === 'tool-call-start' || part.type === 'tool-call-delta');
  assert.deepEqual(tools, [
    { type: 'tool-call-start', index: 0, id: 'tooluse_Qm3vX9aLTe2Jd0bYk1Rw7A', name: 'get_forecast' },
    { type: 'tool-call-delta', index: 0, argumentsDelta: '{"city": "Lis' },
    { type: 'tool-call-delta', index: 0, argumentsDelta: 'bon", "unit": ' },
    { type: 'tool-call-delta', index: 0, argumentsDelta: '"celsius"}' },
    { type: 'tool-call-start', index: 1, id: 'tooluse_H8cNp2sUQyCw4fEo6gVt1B', name: 'get_forecast' },
    { type: 'tool-call-delta', index: 1, argumentsDelta: '{"city": "Porto"' },
    { type: 'tool-call-delta', index: 1, argumentsDelta: ', "unit": "celsius"}' },
    { type: 'tool-call-start', index: 2, id: 'tooluse_Zr5kW1yBSa7Lq3uDm9Hc2C', name: 'get_time' },
    { type: 'tool-call-delta', index: 2, argumentsDelta: '{}' },
  ]);
  const text = parts.filter((part) => part.type === 'text-delta').map((part) => (part.type === 'text-delta' ? part.text : '')).join('');
  assert.equal(text, 'Checking both cities now.');
  assert.deepEqual(parts.at(-1), { type: 'finish', finishReason: 'tool-calls', rawFinishReason: 'tool_use' });
});

test('reasoning deltas are separate from text, and signatures are not emitted', () => {
  const parts = withoutStart(decodeFixture('reasoning.chunks.txt'));
  assert.deepEqual(parts.slice(0, 3), [
    { type: 'reasoning-delta', text: 'Seventeen times three' },
    { type: 'reasoning-delta', text: ' is fifty-one; add four.' },
    { type: 'text-delta', text: '17 × 3 + 4 = 55' },
  ]);
  assert.deepEqual(parts.map((part) => part.type).slice(3), ['usage', 'finish']);
});

test('an exception mid-stream ends it with an error part and no finish', () => {
  const parts = withoutStart(decodeFixture('throttled-mid-stream.chunks.txt'));
  assert.deepEqual(parts[0], { type: 'text-delta', text: 'Once upon' });
  const last = parts[1];
  assert.equal(parts.length, 2);
  assert.equal(last?.type, 'error');
  if (last?.type === 'error') {
    assert.equal(last.error.code, 'rate_limited');
    assert.equal(last.error.retryable, true);
  }
});

test('each stream exception type is classified', () => {
  const expected: Record<string, string> = {
    throttlingException: 'rate_limited',
    modelStreamErrorException: 'upstream_error',
    internalServerException: 'upstream_error',
    serviceUnavailableException: 'upstream_unavailable',
    validationException: 'invalid_request',
  };
  for (const [type, code] of Object.entries(expected)) {
    const [part] = new BedrockStreamDecoder(model).decode({ event: `exception:${type}`, data: '{"message":"x"}' });
    assert.equal(part?.type === 'error' ? part.error.code : undefined, code, type);
  }
  const [tooLong] = new BedrockStreamDecoder(model).decode({ event: 'exception:validationException', data: '{"message":"Input is too long for requested model."}' });
  assert.equal(tooLong?.type === 'error' ? tooLong.error.code : undefined, 'context_length_exceeded');
});

test('metadata before messageStop still finishes once both have come', () => {
  const decoder = new BedrockStreamDecoder(model);
  decoder.decode({ event: 'contentBlockDelta', data: '{"contentBlockIndex":0,"delta":{"text":"ok"}}' });
  assert.deepEqual(decoder.decode({ event: 'metadata', data: '{"usage":{"inputTokens":3,"outputTokens":1,"totalTokens":4}}' }).map((part) => part.type), ['usage']);
  assert.deepEqual(decoder.decode({ event: 'messageStop', data: '{"stopReason":"end_turn"}' }), [{ type: 'finish', finishReason: 'stop', rawFinishReason: 'end_turn' }]);
  assert.deepEqual(decoder.end(), []);
});

test('a stream that ends before messageStop ends with an error, never a finish', () => {
  const decoder = new BedrockStreamDecoder(model);
  decoder.decode({ event: 'messageStart', data: '{"role":"assistant"}' });
  decoder.decode({ event: 'contentBlockDelta', data: '{"contentBlockIndex":0,"delta":{"text":"half"}}' });
  const parts = decoder.end();
  assert.equal(parts.length, 1);
  assert.equal(parts[0]?.type, 'error');
  if (parts[0]?.type === 'error') assert.equal(parts[0].error.code, 'upstream_error');
});

test('a stream cut after messageStop finishes with the real stop reason', () => {
  const decoder = new BedrockStreamDecoder(model);
  decoder.decode({ event: 'messageStop', data: '{"stopReason":"max_tokens"}' });
  assert.deepEqual(decoder.end(), [{ type: 'finish', finishReason: 'length', rawFinishReason: 'max_tokens' }]);
});

test('an unreadable event payload is an error part', () => {
  const parts = new BedrockStreamDecoder(model).decode({ event: 'contentBlockDelta', data: 'not json' });
  assert.equal(parts[0]?.type, 'error');
});
