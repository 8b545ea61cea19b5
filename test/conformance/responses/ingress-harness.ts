import type { ServerResponse } from 'node:http';
import { emptyUsage, type ChatRequest, type StreamPart, type Usage } from '../../../src/core/canonical.js';
import type { GatewayError } from '../../../src/core/errors.js';
import { createFramer } from '../../../src/providers/shared/stream-framer.js';
import { writeError } from '../../../src/server/error-envelope.js';
import { decodeResponsesRequest } from '../../../src/server/responses/decode-responses-request.js';
import { responsesCodec } from '../../../src/server/responses/responses-codec.js';
import { conversation, earlierCalls, timeTool, weatherTool } from '../canonical-cases.js';
import { overTheWire } from '../cases/conformance-case.js';
import type { ConformanceRow } from '../rows.js';
import type { Json } from './event-schema.js';

/** The gateway request id every case uses; the Responses id the client sees is made from it. */
export const requestId = 'req_0c0nf0rmance';
export const clientModel = 'travel-assistant';

const instructions = conversation[0]?.role === 'system' ? conversation[0].content : '';

/** The shared conversation as a Responses API client sends it (https://platform.openai.com/docs/api-reference/responses/create). */
export function clientBody(stream: boolean): Json {
  return {
    model: clientModel,
    instructions,
    input: [
      { role: 'user', content: [{ type: 'input_text', text: 'Is it sunny in Paris, and what time is it in Tokyo?' }] },
      { type: 'message', role: 'assistant', content: [{ type: 'output_text', text: 'Let me check both.', annotations: [] }] },
      ...earlierCalls.map((call) => ({ type: 'function_call', call_id: call.id, name: call.name, arguments: call.arguments })),
      { type: 'function_call_output', call_id: 'call_weather_paris', output: '{"sky":"sunny","temperature":22}' },
      { type: 'function_call_output', call_id: 'call_time_tokyo', output: '{"time":"21:05"}' },
    ],
    tools: [weatherTool, timeTool].map((tool) => ({ type: 'function', name: tool.name, description: tool.description, parameters: tool.parameters, strict: false })),
    tool_choice: 'auto',
    max_output_tokens: 300,
    stream,
  };
}

export function clientRequest(stream: boolean): ChatRequest {
  return decodeResponsesRequest(clientBody(stream));
}

/** A provider's answer body parsed by the row's adapter and written by the Responses ingress, as the chat pipeline does. */
export function encodeAnswer(row: ConformanceRow, body: unknown): Json {
  const request = clientRequest(false);
  const response = row.adapter.parseChatResponse(overTheWire(body), row.kit.upstreamModel);
  const encoded = responsesCodec.encodeResponse(response, response.usage ?? emptyUsage(), requestId, request.model, request);
  return overTheWire(encoded) as Json;
}

/** Upstream bytes through the real framer and the row's decoder, native parts kept, cut into chunks of `chunkSize`. */
export function decodeParts(row: ConformanceRow, bytes: Uint8Array, chunkSize: number): StreamPart[] {
  const framer = createFramer(row.adapter.streamFraming);
  const decoder = row.adapter.createStreamDecoder(row.kit.upstreamModel);
  const parts: StreamPart[] = [];
  const step = Number.isFinite(chunkSize) ? chunkSize : bytes.length;
  for (let offset = 0; offset < bytes.length; offset += step) {
    for (const event of framer.push(bytes.slice(offset, offset + step))) parts.push(...decoder.decode(event));
  }
  for (const event of framer.flush()) parts.push(...decoder.decode(event));
  return [...parts, ...decoder.end()];
}

/**
 * The text the Responses ingress writes for an upstream stream, as the chat pipeline writes it: the opening, every
 * part as it arrives, and the closing with the last usage unless a part was an error (then the stream just ends).
 */
export function encodeStream(row: ConformanceRow, bytes: Uint8Array, chunkSize = Number.POSITIVE_INFINITY): string {
  const request = clientRequest(true);
  const encoder = responsesCodec.createStreamEncoder(requestId, request.model, request);
  let text = encoder.open?.() ?? '';
  let usage: Usage | undefined;
  let failed = false;
  for (const part of decodeParts(row, bytes, chunkSize)) {
    if (part.type === 'usage') usage = part.usage;
    if (part.type === 'error') failed = true;
    text += encoder.encode(part);
  }
  return failed ? text : text + encoder.close(usage);
}

export interface WrittenError {
  status: number;
  headers: Record<string, string | number>;
  body: unknown;
}

/** What writeError puts on the wire for the Responses ingress (its dialect), caught without a socket. */
export function writtenError(error: GatewayError): WrittenError {
  const written: WrittenError = { status: 0, headers: {}, body: undefined };
  const sink = {
    headersSent: false,
    writeHead(status: number, headers: Record<string, string | number>) {
      written.status = status;
      written.headers = headers;
      return sink;
    },
    end(body: string) {
      written.body = JSON.parse(body) as unknown;
    },
  };
  writeError(sink as unknown as ServerResponse, error, responsesCodec.dialect, requestId);
  return written;
}
