import type { ErrorContext } from '../../../src/core/provider.js';
import { isRecord } from '../../../src/providers/shared/json-read.js';
import type { JsonBody, JsonModeReadback, ToolReadback } from '../wire-kit.js';

const encoder = new TextEncoder();

export interface SseEvent {
  event?: string;
  /** An object is sent as its JSON text; a string as it stands (`[DONE]`). */
  data: unknown;
}

/** Writes events exactly as a server-sent-events body puts them on the wire. */
export function sse(events: SseEvent[]): Uint8Array {
  const text = events
    .map(({ event, data }) => `${event === undefined ? '' : `event: ${event}\n`}data: ${typeof data === 'string' ? data : JSON.stringify(data)}\n\n`)
    .join('');
  return encoder.encode(text);
}

export function concatBytes(parts: Uint8Array[]): Uint8Array {
  const joined = new Uint8Array(parts.reduce((total, part) => total + part.length, 0));
  let offset = 0;
  for (const part of parts) {
    joined.set(part, offset);
    offset += part.length;
  }
  return joined;
}

export function jsonError(status: number, body: unknown, headers: Record<string, string> = {}): ErrorContext {
  return { status, headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) };
}

export function record(value: unknown): JsonBody {
  return isRecord(value) ? value : {};
}

export function list(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}

export function text(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

export function parseJson(value: string): unknown {
  return JSON.parse(value) as unknown;
}

/** `data:image/png;base64,AAAA` becomes its parts; any other URL stays a URL. */
export function imageFromUrl(url: string): { data?: string; mediaType?: string; url?: string } {
  const match = /^data:([^;,]+);base64,(.*)$/s.exec(url);
  return match ? { data: match[2] as string, mediaType: match[1] as string } : { url };
}

export function toolReadback(name: unknown, description: unknown, schema: unknown): ToolReadback {
  const parameters = record(schema);
  return {
    name: text(name) ?? '',
    description: text(description),
    propertyNames: Object.keys(record(parameters.properties)),
    required: list(parameters.required).filter((item): item is string => typeof item === 'string'),
  };
}

export function schemaReadback(schema: unknown): JsonModeReadback {
  return { type: 'json-schema', propertyNames: Object.keys(record(record(schema).properties)) };
}

/** Reads the JSON instruction that adapters without a JSON mode append to the system prompt. */
export function jsonInstructionReadback(systemText: string): JsonModeReadback {
  if (!/JSON/.test(systemText)) return { type: 'text' };
  const schemaStart = systemText.indexOf(':\n{');
  if (schemaStart === -1) return { type: 'json' };
  return schemaReadback(parseJson(systemText.slice(schemaStart + 2)));
}

export function header(headers: Record<string, string>, name: string): string | undefined {
  for (const [key, value] of Object.entries(headers)) if (key.toLowerCase() === name) return value;
  return undefined;
}

export function bearer(headers: Record<string, string>): string | undefined {
  const value = header(headers, 'authorization');
  return value?.startsWith('Bearer ') ? value.slice('Bearer '.length) : undefined;
}
