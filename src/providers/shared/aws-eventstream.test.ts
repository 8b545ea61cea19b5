import assert from 'node:assert/strict';
import { test } from 'node:test';
import { GatewayError } from '../../core/errors.js';
import { AwsEventStreamDecoder, crc32, encodeAwsEvent } from './aws-eventstream.js';

function join(...parts: Uint8Array[]): Uint8Array {
  return Uint8Array.from(parts.flatMap((part) => [...part]));
}

test('crc32 matches the standard check value', () => {
  assert.equal(crc32(new TextEncoder().encode('123456789')), 0xcbf43926);
  assert.equal(crc32(new Uint8Array(0)), 0);
});

test('an encoded frame has the documented layout', () => {
  const frame = encodeAwsEvent('messageStop', { stopReason: 'end_turn' });
  const view = new DataView(frame.buffer, frame.byteOffset, frame.byteLength);
  assert.equal(view.getUint32(0), frame.length);
  assert.equal(view.getUint32(8), crc32(frame.subarray(0, 8)));
  assert.equal(view.getUint32(frame.length - 4), crc32(frame.subarray(0, frame.length - 4)));
  const headersLength = view.getUint32(4);
  const payload = new TextDecoder().decode(frame.subarray(12 + headersLength, frame.length - 4));
  assert.equal(payload, '{"stopReason":"end_turn"}');
  // First header: 13-byte name ':message-type', type 7 (string), 2-byte length 5, value 'event'.
  assert.equal(frame[12], 13);
  assert.equal(new TextDecoder().decode(frame.subarray(13, 26)), ':message-type');
  assert.deepEqual([...frame.subarray(26, 29)], [7, 0, 5]);
  assert.equal(new TextDecoder().decode(frame.subarray(29, 34)), 'event');
});

test('messages round-trip through the decoder in one chunk', () => {
  const decoder = new AwsEventStreamDecoder();
  const events = decoder.push(join(encodeAwsEvent('messageStart', { role: 'assistant' }), encodeAwsEvent('contentBlockDelta', { delta: { text: 'héllo ✓' } })));
  assert.deepEqual(events, [
    { event: 'messageStart', data: '{"role":"assistant"}' },
    { event: 'contentBlockDelta', data: '{"delta":{"text":"héllo ✓"}}' },
  ]);
  assert.equal(decoder.pendingBytes, 0);
});

test('messages split at every byte boundary are reassembled', () => {
  const stream = join(encodeAwsEvent('a', { n: 1 }), encodeAwsEvent('b', { text: 'multi-byte ✓ split' }), encodeAwsEvent('c', {}));
  for (const size of [1, 3, 7, 16, 50]) {
    const decoder = new AwsEventStreamDecoder();
    const events = [];
    for (let offset = 0; offset < stream.length; offset += size) events.push(...decoder.push(stream.subarray(offset, offset + size)));
    assert.deepEqual(events.map((event) => event.event), ['a', 'b', 'c'], `chunk size ${size}`);
    assert.equal(events[1]?.data, '{"text":"multi-byte ✓ split"}');
  }
});

test('a message cut short stays pending', () => {
  const decoder = new AwsEventStreamDecoder();
  const frame = encodeAwsEvent('metadata', { usage: {} });
  assert.deepEqual(decoder.push(frame.subarray(0, frame.length - 5)), []);
  assert.equal(decoder.pendingBytes, frame.length - 5);
});

test('exception messages are named after their exception type', () => {
  const decoder = new AwsEventStreamDecoder();
  const [event] = decoder.push(encodeAwsEvent('exception:throttlingException', { message: 'slow down' }));
  assert.deepEqual(event, { event: 'exception:throttlingException', data: '{"message":"slow down"}' });
});

test('headers of every value type are skipped correctly', () => {
  const text = new TextEncoder();
  const header = (name: string, type: number, value: number[]): number[] => [name.length, ...text.encode(name), type, ...value];
  const headers = Uint8Array.from([
    ...header('flag', 0, []),
    ...header('count', 4, [0, 0, 1, 0]),
    ...header('when', 8, [0, 0, 1, 2, 3, 4, 5, 6]),
    ...header('id', 9, new Array<number>(16).fill(7)),
    ...header('blob', 6, [0, 2, 9, 9]),
    ...header(':event-type', 7, [0, 4, ...text.encode('ping')]),
  ]);
  const payload = text.encode('{}');
  const total = 16 + headers.length + payload.length;
  const frame = new Uint8Array(total);
  const view = new DataView(frame.buffer);
  view.setUint32(0, total);
  view.setUint32(4, headers.length);
  view.setUint32(8, crc32(frame.subarray(0, 8)));
  frame.set(headers, 12);
  frame.set(payload, 12 + headers.length);
  view.setUint32(total - 4, crc32(frame.subarray(0, total - 4)));
  assert.deepEqual(new AwsEventStreamDecoder().push(frame), [{ event: 'ping', data: '{}' }]);
});

test('a corrupted payload fails the message checksum', () => {
  const frame = encodeAwsEvent('contentBlockDelta', { delta: { text: 'abc' } });
  frame[frame.length - 8] ^= 0x01;
  assert.throws(() => new AwsEventStreamDecoder().push(frame), (error: unknown) => {
    assert.ok(error instanceof GatewayError);
    assert.equal(error.code, 'upstream_error');
    assert.match(error.message, /message checksum/);
    return true;
  });
});

test('a corrupted prelude fails the prelude checksum', () => {
  const frame = encodeAwsEvent('contentBlockDelta', { delta: { text: 'abc' } });
  frame[7] ^= 0x01;
  assert.throws(() => new AwsEventStreamDecoder().push(frame), /prelude checksum/);
});

test('an impossible length is rejected instead of buffered forever', () => {
  const frame = encodeAwsEvent('x', {});
  new DataView(frame.buffer).setUint32(0, 4);
  assert.throws(() => new AwsEventStreamDecoder().push(frame), /message length 4/);
});
