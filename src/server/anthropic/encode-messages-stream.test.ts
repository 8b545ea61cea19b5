import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { StreamPart, Usage } from '../../core/canonical.js';
import { GatewayError } from '../../core/errors.js';
import { createAnthropicStreamDecoder } from '../../providers/anthropic/anthropic-stream.js';
import { SseParser } from '../../providers/shared/sse-parser.js';
import { anthropicMessagesCodec } from './anthropic-messages-codec.js';

type Event = Record<string, unknown> & { type: string };

const usage: Usage = { inputTokens: 25, cacheReadTokens: 300, cacheWriteTokens: 0, outputTokens: 14, reasoningTokens: 0 };
const start: StreamPart = { type: 'stream-start', id: 'msg_01Upstream', model: 'alias', created: 1_700_000_000 };
const wireShape = /^(event: [a-z_]+\ndata: [^\n]+\n\n)+$/;

function encodeAll(parts: StreamPart[], closeUsage: Usage | undefined = usage): string {
  const encoder = anthropicMessagesCodec.createStreamEncoder('6d1c2b3a-0000-4000-8000-00000000abcd', 'alias', { model: 'alias', messages: [], stream: true });
  let wire = encoder.open?.() ?? '';
  for (const part of parts) wire += encoder.encode(part);
  return wire + encoder.close(closeUsage);
}

/** Parses the wire text with the shared SSE parser, checking each event name equals its payload's type. */
function events(wire: string): Event[] {
  assert.match(wire, wireShape);
  const parser = new SseParser();
  return [...parser.push(wire), ...parser.flush()].map((event) => {
    const payload = JSON.parse(event.data) as Event;
    assert.equal(event.event, payload.type);
    return payload;
  });
}

/** Decodes the wire text, in uneven chunks, with the Anthropic provider's own stream decoder. */
function roundTrip(wire: string): unknown[] {
  const parser = new SseParser();
  const decoder = createAnthropicStreamDecoder('unused-model');
  const parts: StreamPart[] = [];
  for (let offset = 0; offset < wire.length; offset += 23) {
    for (const event of parser.push(wire.slice(offset, offset + 23))) parts.push(...decoder.decode(event));
  }
  for (const event of parser.flush()) parts.push(...decoder.decode(event));
  parts.push(...decoder.end());
  // A thinking block decodes with a reasoning-end of its own; the canonical parts compared here have none.
  return parts.filter((part) => part.type !== 'native' && part.type !== 'reasoning-end').map((part) => {
    if (part.type === 'stream-start') return { ...part, created: 0 };
    if (part.type === 'usage') return { type: 'usage', usage: { ...part.usage, raw: undefined } };
    return part;
  });
}

const textParts: StreamPart[] = [
  start,
  { type: 'text-delta', text: 'Hel' },
  { type: 'text-delta', text: 'lo "there"\n' },
  { type: 'usage', usage },
  { type: 'finish', finishReason: 'stop', rawFinishReason: 'stop' },
];

const toolParts: StreamPart[] = [
  start,
  { type: 'reasoning-delta', text: 'Need both.' },
  { type: 'text-delta', text: 'Checking.' },
  { type: 'tool-call-start', index: 0, id: 'call_oslo', name: 'get_weather' },
  { type: 'tool-call-delta', index: 0, argumentsDelta: '{"city":' },
  { type: 'tool-call-delta', index: 0, argumentsDelta: '"Oslo"}' },
  { type: 'tool-call-start', index: 1, id: 'call_lima', name: 'get_weather' },
  { type: 'tool-call-delta', index: 1, argumentsDelta: '{"city":"Lima"}' },
  { type: 'usage', usage },
  { type: 'finish', finishReason: 'tool-calls', rawFinishReason: 'tool_calls' },
];

test('a text stream opens the message, streams one text block and ends with usage and stop reason', () => {
  assert.deepEqual(events(encodeAll(textParts)), [
    {
      type: 'message_start',
      message: {
        id: 'msg_01Upstream', type: 'message', role: 'assistant', model: 'alias', content: [], stop_reason: null, stop_sequence: null,
        usage: { input_tokens: 0, cache_creation_input_tokens: 0, cache_read_input_tokens: 0, output_tokens: 0 },
      },
    },
    { type: 'ping' },
    { type: 'content_block_start', index: 0, content_block: { type: 'text', text: '' } },
    { type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text: 'Hel' } },
    { type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text: 'lo "there"\n' } },
    { type: 'content_block_stop', index: 0 },
    {
      type: 'message_delta',
      delta: { stop_reason: 'end_turn', stop_sequence: null },
      usage: { input_tokens: 25, cache_creation_input_tokens: 0, cache_read_input_tokens: 300, output_tokens: 14 },
    },
    { type: 'message_stop' },
  ]);
});

test('thinking, text and two tool calls become consecutive blocks with their own indexes', () => {
  const list = events(encodeAll(toolParts));
  assert.deepEqual(list.slice(2).map((event) => [event.type, event.index]), [
    ['content_block_start', 0], ['content_block_delta', 0], ['content_block_stop', 0],
    ['content_block_start', 1], ['content_block_delta', 1], ['content_block_stop', 1],
    ['content_block_start', 2], ['content_block_delta', 2], ['content_block_delta', 2], ['content_block_stop', 2],
    ['content_block_start', 3], ['content_block_delta', 3], ['content_block_stop', 3],
    ['message_delta', undefined], ['message_stop', undefined],
  ]);
  assert.deepEqual(list[2], { type: 'content_block_start', index: 0, content_block: { type: 'thinking', thinking: '', signature: '' } });
  assert.deepEqual(list[3], { type: 'content_block_delta', index: 0, delta: { type: 'thinking_delta', thinking: 'Need both.' } });
  assert.deepEqual(list[8], { type: 'content_block_start', index: 2, content_block: { type: 'tool_use', id: 'call_oslo', name: 'get_weather', input: {} } });
  assert.deepEqual(list[9], { type: 'content_block_delta', index: 2, delta: { type: 'input_json_delta', partial_json: '{"city":' } });
  assert.deepEqual(list[13], { type: 'content_block_delta', index: 3, delta: { type: 'input_json_delta', partial_json: '{"city":"Lima"}' } });
  assert.deepEqual((list[15] as Event).delta, { stop_reason: 'tool_use', stop_sequence: null });
});

test('interleaved parallel tool calls are buffered and written whole once the earlier call is complete', () => {
  const list = events(encodeAll([
    start,
    { type: 'tool-call-start', index: 0, id: 'call_a', name: 'alpha' },
    { type: 'tool-call-start', index: 1, id: 'call_b', name: 'beta' },
    { type: 'tool-call-delta', index: 1, argumentsDelta: '{"b"' },
    { type: 'tool-call-delta', index: 0, argumentsDelta: '{"a":' },
    { type: 'tool-call-delta', index: 0, argumentsDelta: '1}' },
    { type: 'tool-call-delta', index: 1, argumentsDelta: ':2}' },
    { type: 'usage', usage },
    { type: 'finish', finishReason: 'tool-calls', rawFinishReason: 'tool_calls' },
  ]));
  assert.deepEqual(list.slice(2, -2), [
    { type: 'content_block_start', index: 0, content_block: { type: 'tool_use', id: 'call_a', name: 'alpha', input: {} } },
    { type: 'content_block_delta', index: 0, delta: { type: 'input_json_delta', partial_json: '{"a":' } },
    { type: 'content_block_delta', index: 0, delta: { type: 'input_json_delta', partial_json: '1}' } },
    { type: 'content_block_stop', index: 0 },
    { type: 'content_block_start', index: 1, content_block: { type: 'tool_use', id: 'call_b', name: 'beta', input: {} } },
    { type: 'content_block_delta', index: 1, delta: { type: 'input_json_delta', partial_json: '{"b"' } },
    { type: 'content_block_delta', index: 1, delta: { type: 'input_json_delta', partial_json: ':2}' } },
    { type: 'content_block_stop', index: 1 },
  ]);
});

test('a buffered call whose predecessor never completes is written at the finish', () => {
  const list = events(encodeAll([
    start,
    { type: 'tool-call-start', index: 0, id: 'call_a', name: 'alpha' },
    { type: 'tool-call-start', index: 1, id: 'call_b', name: 'beta' },
    { type: 'tool-call-delta', index: 0, argumentsDelta: '{"a":[1,' },
    { type: 'tool-call-delta', index: 1, argumentsDelta: '{"b":2}' },
    { type: 'usage', usage },
    { type: 'finish', finishReason: 'length', rawFinishReason: 'length' },
  ]));
  assert.deepEqual(list.slice(2).map((event) => [event.type, event.index]), [
    ['content_block_start', 0], ['content_block_delta', 0], ['content_block_stop', 0],
    ['content_block_start', 1], ['content_block_delta', 1], ['content_block_stop', 1],
    ['message_delta', undefined], ['message_stop', undefined],
  ]);
  assert.deepEqual((list[6] as Event).delta, { type: 'input_json_delta', partial_json: '{"b":2}' });
  assert.equal(((list[8] as Event).delta as Event).stop_reason, 'max_tokens');
});

test('an error after the first token ends the stream with an Anthropic error event and nothing after it', () => {
  const encoder = anthropicMessagesCodec.createStreamEncoder('r', 'alias', { model: 'alias', messages: [], stream: true });
  let wire = encoder.encode(start) + encoder.encode({ type: 'text-delta', text: 'Par' });
  wire += encoder.encode({ type: 'error', error: new GatewayError('upstream_overloaded', 'The provider is overloaded.') });
  wire += encoder.encode({ type: 'text-delta', text: 'late' }) + encoder.close(usage);
  const list = events(wire);
  assert.deepEqual(list.map((event) => event.type), ['message_start', 'ping', 'content_block_start', 'content_block_delta', 'error']);
  assert.deepEqual(list.at(-1), { type: 'error', error: { type: 'overloaded_error', message: 'The provider is overloaded.' } });
  assert.ok(wire.endsWith('event: error\ndata: {"type":"error","error":{"type":"overloaded_error","message":"The provider is overloaded."}}\n\n'));
});

test('a finish without usage waits for the usage given to close', () => {
  const encoder = anthropicMessagesCodec.createStreamEncoder('r', 'alias', { model: 'alias', messages: [], stream: true });
  const beforeClose = encoder.encode(start) + encoder.encode({ type: 'text-delta', text: 'Hi' }) + encoder.encode({ type: 'finish', finishReason: 'stop', rawFinishReason: 'stop' });
  assert.ok(!beforeClose.includes('message_delta'));
  assert.ok(beforeClose.endsWith('event: content_block_stop\ndata: {"type":"content_block_stop","index":0}\n\n'));
  const closing = events(encoder.close({ ...usage, outputTokens: 3, estimated: true }));
  assert.deepEqual(closing.map((event) => event.type), ['message_delta', 'message_stop']);
  assert.equal(((closing[0] as Event).usage as Record<string, number>).output_tokens, 3);
  assert.equal(encoder.close(usage), '');
});

test('close returns nothing once message_stop was sent, and an error event when no finish came', () => {
  const encoder = anthropicMessagesCodec.createStreamEncoder('r', 'alias', { model: 'alias', messages: [], stream: true });
  for (const part of textParts) encoder.encode(part);
  assert.equal(encoder.close(usage), '');
  const unfinished = events(encodeAll([start, { type: 'text-delta', text: 'cut' }]));
  assert.deepEqual(unfinished.map((event) => event.type), ['message_start', 'ping', 'content_block_start', 'content_block_delta', 'content_block_stop', 'error']);
  assert.equal(((unfinished.at(-1) as Event).error as Event).type, 'api_error');
});

test('a stream-start id that is not an Anthropic id is replaced by one derived from the request id', () => {
  const list = events(encodeAll([{ ...start, id: 'chatcmpl-xyz' }, ...textParts.slice(1)]));
  assert.equal(((list[0] as Event).message as Event).id, 'msg_6d1c2b3a00004000800000000000abcd');
});

test('round trip: text parts come back from the Anthropic provider decoder unchanged', () => {
  assert.deepEqual(roundTrip(encodeAll(textParts)), [
    { ...start, created: 0 },
    { type: 'text-delta', text: 'Hel' },
    { type: 'text-delta', text: 'lo "there"\n' },
    { type: 'usage', usage: { ...usage, raw: undefined } },
    { type: 'finish', finishReason: 'stop', rawFinishReason: 'end_turn' },
  ]);
});

test('round trip: reasoning, text and two tool calls keep ids, names, argument text, finish and usage', () => {
  assert.deepEqual(roundTrip(encodeAll(toolParts)), [
    { ...start, created: 0 },
    ...toolParts.slice(1, -2),
    { type: 'usage', usage: { ...usage, raw: undefined } },
    { type: 'finish', finishReason: 'tool-calls', rawFinishReason: 'tool_use' },
  ]);
});

test('round trip: interleaved tool calls come back whole, in start order', () => {
  const parts = roundTrip(encodeAll([
    start,
    { type: 'tool-call-start', index: 0, id: 'call_a', name: 'alpha' },
    { type: 'tool-call-start', index: 1, id: 'call_b', name: 'beta' },
    { type: 'tool-call-delta', index: 1, argumentsDelta: '{"b":' },
    { type: 'tool-call-delta', index: 0, argumentsDelta: '{"a":' },
    { type: 'tool-call-delta', index: 1, argumentsDelta: '2}' },
    { type: 'tool-call-delta', index: 0, argumentsDelta: '1}' },
    { type: 'usage', usage },
    { type: 'finish', finishReason: 'tool-calls', rawFinishReason: 'tool_calls' },
  ])) as StreamPart[];
  const calls = new Map<number, { id: string; name: string; text: string }>();
  for (const part of parts) {
    if (part.type === 'tool-call-start') calls.set(part.index, { id: part.id, name: part.name, text: '' });
    if (part.type === 'tool-call-delta') (calls.get(part.index) as { text: string }).text += part.argumentsDelta;
  }
  assert.deepEqual([...calls.entries()], [[0, { id: 'call_a', name: 'alpha', text: '{"a":1}' }], [1, { id: 'call_b', name: 'beta', text: '{"b":2}' }]]);
  assert.deepEqual(parts.at(-1), { type: 'finish', finishReason: 'tool-calls', rawFinishReason: 'tool_use' });
});

test('round trip: an error after the first token comes back as a classified error with no finish', () => {
  const encoder = anthropicMessagesCodec.createStreamEncoder('r', 'alias', { model: 'alias', messages: [], stream: true });
  const wire = encoder.encode(start) + encoder.encode({ type: 'text-delta', text: 'Par' }) + encoder.encode({ type: 'error', error: new GatewayError('rate_limited', 'Slow down.') });
  const parts = roundTrip(wire) as StreamPart[];
  assert.deepEqual(parts.map((part) => part.type), ['stream-start', 'text-delta', 'error']);
  const last = parts.at(-1);
  assert.ok(last?.type === 'error');
  assert.equal(last.error.code, 'rate_limited');
});

test('reasoning-end closes the thinking block with its signature_delta; redacted thinking gets a block of its own', () => {
  const list = events(encodeAll([
    start,
    { type: 'reasoning-delta', text: 'Think.' },
    { type: 'reasoning-end', part: { text: 'Think.', format: 'anthropic', signature: 'EqQBsig' } },
    { type: 'reasoning-end', part: { text: '', format: 'anthropic', encrypted: 'EmwKdata' } },
    { type: 'text-delta', text: 'Hi' },
    { type: 'usage', usage },
    { type: 'finish', finishReason: 'stop', rawFinishReason: 'end_turn' },
  ]));
  assert.deepEqual(list.slice(2, 8).map((event) => [event.type, event.index, event.delta ?? event.content_block]), [
    ['content_block_start', 0, { type: 'thinking', thinking: '', signature: '' }],
    ['content_block_delta', 0, { type: 'thinking_delta', thinking: 'Think.' }],
    ['content_block_delta', 0, { type: 'signature_delta', signature: 'EqQBsig' }],
    ['content_block_stop', 0, undefined],
    ['content_block_start', 1, { type: 'redacted_thinking', data: 'EmwKdata' }],
    ['content_block_stop', 1, undefined],
  ]);
});

test('native Anthropic events are written verbatim, with the model the client asked for, and canonical parts beside them are not re-encoded', () => {
  const upstream = [
    { type: 'message_start', message: { id: 'msg_up', type: 'message', role: 'assistant', model: 'claude-upstream', content: [], usage: { input_tokens: 3, output_tokens: 1 } } },
    { type: 'content_block_start', index: 0, content_block: { type: 'server_tool_use', id: 'srvtoolu_1', name: 'web_search', input: {} } },
    { type: 'content_block_stop', index: 0 },
    { type: 'content_block_start', index: 1, content_block: { type: 'text', text: '', citations: [] } },
    { type: 'content_block_delta', index: 1, delta: { type: 'citations_delta', citation: { type: 'web_search_result_location', url: 'https://example.com' } } },
    { type: 'content_block_stop', index: 1 },
    { type: 'message_delta', delta: { stop_reason: 'end_turn' }, usage: { output_tokens: 4 } },
    { type: 'message_stop' },
  ];
  const decoder = createAnthropicStreamDecoder('claude-upstream');
  const encoder = anthropicMessagesCodec.createStreamEncoder('r', 'alias', { model: 'alias', messages: [], stream: true });
  let wire = '';
  for (const event of upstream) for (const part of decoder.decode({ event: event.type, data: JSON.stringify(event) })) wire += encoder.encode(part);
  wire += encoder.close(usage);
  const written = events(wire);
  assert.deepEqual(written, upstream.map((event) => (event.type === 'message_start' ? { ...event, message: { ...event.message, model: 'alias' } } : event)));
});

test('a relayed native stream that stops before message_stop ends with an error event of the gateway', () => {
  const encoder = anthropicMessagesCodec.createStreamEncoder('r', 'alias', { model: 'alias', messages: [], stream: true });
  const wire = encoder.encode({ type: 'native', format: 'anthropic', event: 'ping', data: '{"type":"ping"}' }) + encoder.close(usage);
  assert.deepEqual(events(wire).map((event) => event.type), ['ping', 'error']);
});
