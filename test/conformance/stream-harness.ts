import assert from 'node:assert/strict';
import type { FinishReason, StreamPart, Usage } from '../../src/core/canonical.js';
import type { GatewayError } from '../../src/core/errors.js';
import type { ProviderAdapter } from '../../src/core/provider.js';
import { createFramer } from '../../src/providers/shared/stream-framer.js';

/** Chunk sizes the raw bytes are cut into: byte by byte, odd sizes that split UTF-8 characters and frames, and whole. */
export const chunkSizes = [1, 5, 17, 64, Number.POSITIVE_INFINITY] as const;

/** Feeds raw upstream bytes through the real framer and the adapter's decoder, as the executor does. */
export function decodeStream(adapter: ProviderAdapter, upstreamModel: string, bytes: Uint8Array, chunkSize: number): StreamPart[] {
  const framer = createFramer(adapter.streamFraming);
  const decoder = adapter.createStreamDecoder(upstreamModel);
  const parts: StreamPart[] = [];
  const step = Number.isFinite(chunkSize) ? chunkSize : bytes.length;
  for (let offset = 0; offset < bytes.length; offset += step) {
    for (const event of framer.push(bytes.slice(offset, offset + step))) parts.push(...decoder.decode(event));
  }
  for (const event of framer.flush()) parts.push(...decoder.decode(event));
  parts.push(...decoder.end());
  // Native parts relay upstream events to an ingress of the same format; the canonical parts are what is checked.
  return parts.filter((part) => part.type !== 'native');
}

export interface StreamedToolCall {
  id: string;
  name: string;
  arguments: string;
}

export interface StreamSummary {
  start: { id: string; model: string } | undefined;
  text: string;
  toolCalls: StreamedToolCall[];
  usage: Omit<Usage, 'raw' | 'estimated'> | undefined;
  finish: { finishReason: FinishReason; rawFinishReason: string | undefined } | undefined;
  errors: GatewayError[];
}

export function plainUsage(usage: Usage): Omit<Usage, 'raw' | 'estimated'> {
  const { inputTokens, cacheReadTokens, cacheWriteTokens, outputTokens, reasoningTokens } = usage;
  return { inputTokens, cacheReadTokens, cacheWriteTokens, outputTokens, reasoningTokens };
}

/**
 * Checks the shape every canonical stream must have and joins it into one result: one stream-start first,
 * deltas only for started tool calls, usage before the end, and exactly one ending (finish or error), last.
 */
export function summarise(parts: StreamPart[]): StreamSummary {
  assert.ok(parts.length > 0, 'the stream produced no parts');
  assert.equal(parts[0]?.type, 'stream-start', 'the first part is stream-start');
  const summary: StreamSummary = { start: undefined, text: '', toolCalls: [], usage: undefined, finish: undefined, errors: [] };
  parts.forEach((part, position) => {
    const ended = summary.finish !== undefined || summary.errors.length > 0;
    assert.ok(!ended, `a ${part.type} part came after the stream ended`);
    switch (part.type) {
      case 'stream-start':
        assert.equal(position, 0, 'stream-start appears once, first');
        summary.start = { id: part.id, model: part.model };
        break;
      case 'text-delta':
        summary.text += part.text;
        break;
      case 'tool-call-start':
        assert.equal(part.index, summary.toolCalls.length, 'tool calls are numbered in order from 0');
        summary.toolCalls.push({ id: part.id, name: part.name, arguments: '' });
        break;
      case 'tool-call-delta': {
        const call = summary.toolCalls[part.index];
        assert.ok(call, `arguments for tool call ${part.index}, which never started`);
        call.arguments += part.argumentsDelta;
        break;
      }
      case 'usage':
        summary.usage = plainUsage(part.usage);
        break;
      case 'finish':
        summary.finish = { finishReason: part.finishReason, rawFinishReason: part.rawFinishReason };
        break;
      case 'error':
        summary.errors.push(part.error);
        break;
      case 'reasoning-delta':
        break;
    }
  });
  assert.ok(summary.finish !== undefined || summary.errors.length > 0, 'the stream ended with neither finish nor error');
  return summary;
}

/** Decodes the bytes at every chunk size and requires the same result each time; returns that result. */
export function decodeAtEveryChunkSize(adapter: ProviderAdapter, upstreamModel: string, bytes: Uint8Array): StreamSummary {
  // Ids a provider does not send are generated per decoding (Gemini); only their presence is compared here.
  const comparable = (summary: StreamSummary) => ({
    ...summary,
    start: summary.start?.model,
    errors: summary.errors.map((error) => error.code),
    toolCalls: summary.toolCalls.map((call) => ({ ...call, id: /^call_[a-z0-9]+_\d+$/.test(call.id) ? 'generated' : call.id })),
  });
  const [first, ...others] = chunkSizes.map((size) => summarise(decodeStream(adapter, upstreamModel, bytes, size)));
  for (const [index, other] of others.entries()) {
    assert.deepEqual(comparable(other), comparable(first as StreamSummary), `chunks of ${chunkSizes[index + 1]} bytes decode like chunks of ${chunkSizes[0]}`);
  }
  return first as StreamSummary;
}
