import type { StreamEvent } from '../../core/provider.js';
import { GatewayError } from '../../core/errors.js';

/**
 * The AWS event-stream binary framing (`application/vnd.amazon.eventstream`), used by Bedrock's streaming APIs.
 * Each message: total length (u32 BE), headers length (u32 BE), prelude CRC32, headers, payload, message CRC32.
 * https://docs.aws.amazon.com/lexv2/latest/dg/event-stream-encoding.html
 */

const preludeLength = 8;
const overheadLength = 16;
/** The framing allows 16 MiB of payload and 128 KiB of headers; anything larger is a corrupt length field. */
const maxMessageLength = 16 * 1024 * 1024 + 128 * 1024 + overheadLength;

const crcTable = buildCrcTable();

function buildCrcTable(): Uint32Array {
  const table = new Uint32Array(256);
  for (let index = 0; index < 256; index++) {
    let value = index;
    for (let bit = 0; bit < 8; bit++) value = value & 1 ? 0xedb88320 ^ (value >>> 1) : value >>> 1;
    table[index] = value >>> 0;
  }
  return table;
}

/** CRC-32 (IEEE 802.3, the gzip polynomial), as the framing requires. */
export function crc32(bytes: Uint8Array): number {
  let crc = 0xffffffff;
  for (let index = 0; index < bytes.length; index++) {
    crc = (crc >>> 8) ^ (crcTable[(crc ^ (bytes[index] as number)) & 0xff] as number);
  }
  return (crc ^ 0xffffffff) >>> 0;
}

export type HeaderValue = string | number | bigint | boolean | Uint8Array;

function corrupt(reason: string): GatewayError {
  return new GatewayError('upstream_error', `The upstream event stream was corrupt (${reason}).`);
}

/** Reads the headers section; every value type is parsed so that unknown headers are skipped correctly. */
export function decodeHeaders(bytes: Uint8Array): Map<string, HeaderValue> {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const decoder = new TextDecoder();
  const headers = new Map<string, HeaderValue>();
  let offset = 0;
  const need = (count: number): void => {
    if (offset + count > bytes.length) throw corrupt('header runs past its section');
  };
  while (offset < bytes.length) {
    const nameLength = view.getUint8(offset);
    need(1 + nameLength + 1);
    const name = decoder.decode(bytes.subarray(offset + 1, offset + 1 + nameLength));
    offset += 1 + nameLength;
    const type = view.getUint8(offset);
    offset += 1;
    let value: HeaderValue;
    switch (type) {
      case 0: value = true; break;
      case 1: value = false; break;
      case 2: need(1); value = view.getInt8(offset); offset += 1; break;
      case 3: need(2); value = view.getInt16(offset); offset += 2; break;
      case 4: need(4); value = view.getInt32(offset); offset += 4; break;
      case 5: case 8: need(8); value = view.getBigInt64(offset); offset += 8; break;
      case 6: case 7: {
        need(2);
        const length = view.getUint16(offset);
        need(2 + length);
        const raw = bytes.subarray(offset + 2, offset + 2 + length);
        value = type === 7 ? decoder.decode(raw) : raw.slice();
        offset += 2 + length;
        break;
      }
      case 9: need(16); value = bytes.slice(offset, offset + 16); offset += 16; break;
      default: throw corrupt(`unknown header type ${type}`);
    }
    headers.set(name, value);
  }
  return headers;
}

/** Names a message the way adapters match on it: the event type, or `exception:<type>` / `error:<code>`. */
function eventName(headers: Map<string, HeaderValue>): string | undefined {
  const asString = (name: string): string | undefined => {
    const value = headers.get(name);
    return typeof value === 'string' ? value : undefined;
  };
  const messageType = asString(':message-type') ?? 'event';
  if (messageType === 'exception') return `exception:${asString(':exception-type') ?? 'unknown'}`;
  if (messageType === 'error') return `error:${asString(':error-code') ?? 'unknown'}`;
  return asString(':event-type');
}

/**
 * Incremental decoder: feed it body chunks as they arrive; it returns the complete messages so far,
 * verifying both checksums. A corrupt frame throws a GatewayError (`upstream_error`).
 */
export class AwsEventStreamDecoder {
  private buffer: Uint8Array = new Uint8Array(0);
  private readonly textDecoder = new TextDecoder();

  push(chunk: Uint8Array): StreamEvent[] {
    this.buffer = this.buffer.length === 0 ? chunk : concat(this.buffer, chunk);
    const events: StreamEvent[] = [];
    let offset = 0;
    while (this.buffer.length - offset >= preludeLength) {
      const view = new DataView(this.buffer.buffer, this.buffer.byteOffset + offset, this.buffer.length - offset);
      const totalLength = view.getUint32(0);
      if (totalLength < overheadLength || totalLength > maxMessageLength) throw corrupt(`message length ${totalLength}`);
      if (this.buffer.length - offset < totalLength) break;
      events.push(this.decodeMessage(this.buffer.subarray(offset, offset + totalLength)));
      offset += totalLength;
    }
    this.buffer = offset === 0 ? this.buffer : this.buffer.slice(offset);
    return events;
  }

  /** Bytes of a message that has not fully arrived; non-zero at the end of the body means it was cut short. */
  get pendingBytes(): number {
    return this.buffer.length;
  }

  private decodeMessage(message: Uint8Array): StreamEvent {
    const view = new DataView(message.buffer, message.byteOffset, message.byteLength);
    const headersLength = view.getUint32(4);
    if (view.getUint32(8) !== crc32(message.subarray(0, preludeLength))) throw corrupt('prelude checksum mismatch');
    const end = message.length - 4;
    if (view.getUint32(end) !== crc32(message.subarray(0, end))) throw corrupt('message checksum mismatch');
    const headersEnd = 12 + headersLength;
    if (headersEnd > end) throw corrupt('headers longer than the message');
    const headers = decodeHeaders(message.subarray(12, headersEnd));
    return { event: eventName(headers), data: this.textDecoder.decode(message.subarray(headersEnd, end)) };
  }
}

function concat(first: Uint8Array, second: Uint8Array): Uint8Array {
  const joined = new Uint8Array(first.length + second.length);
  joined.set(first, 0);
  joined.set(second, first.length);
  return joined;
}

function encodeStringHeaders(headers: Array<[string, string]>): Uint8Array {
  const encoder = new TextEncoder();
  const parts: number[] = [];
  for (const [name, value] of headers) {
    const nameBytes = encoder.encode(name);
    const valueBytes = encoder.encode(value);
    parts.push(nameBytes.length, ...nameBytes, 7, valueBytes.length >> 8, valueBytes.length & 0xff, ...valueBytes);
  }
  return Uint8Array.from(parts);
}

/**
 * Frames one JSON event as the upstream sends it (for tests and provider simulators).
 * An `eventType` of `exception:<type>` frames an exception message instead.
 */
export function encodeAwsEvent(eventType: string, payload: unknown): Uint8Array {
  const headers: Array<[string, string]> = eventType.startsWith('exception:')
    ? [[':message-type', 'exception'], [':exception-type', eventType.slice('exception:'.length)], [':content-type', 'application/json']]
    : [[':message-type', 'event'], [':event-type', eventType], [':content-type', 'application/json']];
  const headerBytes = encodeStringHeaders(headers);
  const payloadBytes = new TextEncoder().encode(JSON.stringify(payload));
  const totalLength = overheadLength + headerBytes.length + payloadBytes.length;
  const message = new Uint8Array(totalLength);
  const view = new DataView(message.buffer);
  view.setUint32(0, totalLength);
  view.setUint32(4, headerBytes.length);
  view.setUint32(8, crc32(message.subarray(0, preludeLength)));
  message.set(headerBytes, 12);
  message.set(payloadBytes, 12 + headerBytes.length);
  view.setUint32(totalLength - 4, crc32(message.subarray(0, totalLength - 4)));
  return message;
}
