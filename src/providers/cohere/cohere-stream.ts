import type { StreamPart } from '../../core/canonical.js';
import { GatewayError } from '../../core/errors.js';
import type { StreamDecoder, StreamEvent } from '../../core/provider.js';
import { asRecord, asString, isRecord, type JsonRecord } from '../shared/json-read.js';
import { sanitizeUpstreamMessage } from '../shared/sanitize-message.js';
import { mapCohereFinishReason, toCohereUsage } from './cohere-response.js';

interface ToolState {
  index: number;
  sentArguments: boolean;
}

function parsePayload(data: string): JsonRecord | undefined {
  try {
    const value: unknown = JSON.parse(data);
    return isRecord(value) ? value : undefined;
  } catch {
    return undefined;
  }
}

function streamFailure(message: string): StreamPart {
  return { type: 'error', error: new GatewayError('upstream_error', `The Cohere provider ${message}`) };
}

/** `delta.message` of a stream event, where every v2 event keeps its payload. */
function deltaMessage(payload: JsonRecord): JsonRecord {
  return asRecord(asRecord(payload.delta).message);
}

/** Decodes a v2 Chat stream (https://docs.cohere.com/v2/docs/streaming) into canonical parts. */
export class CohereStreamDecoder implements StreamDecoder {
  private readonly upstreamModel: string;
  private started = false;
  private done = false;
  private toolCallCount = 0;
  private tool: ToolState | undefined;

  constructor(upstreamModel: string) {
    this.upstreamModel = upstreamModel;
  }

  decode(event: StreamEvent): StreamPart[] {
    if (this.done) return [];
    const payload = parsePayload(event.data);
    if (!payload) return this.fail([streamFailure('sent a stream event that is not a JSON object.')]);
    switch (asString(payload.type) ?? event.event) {
      case 'message-start':
        return this.onMessageStart(payload);
      case 'content-start':
      case 'content-delta':
        return this.onContent(payload);
      case 'tool-plan-delta':
        return this.textPart(asString(deltaMessage(payload).tool_plan));
      case 'tool-call-start':
        return this.onToolCallStart(payload);
      case 'tool-call-delta':
        return this.onToolCallDelta(payload);
      case 'tool-call-end':
        return this.onToolCallEnd();
      case 'message-end':
        return this.onMessageEnd(payload);
      default:
        // content-end, citation-start, citation-end and event types added later carry nothing canonical.
        return [];
    }
  }

  end(): StreamPart[] {
    if (this.done) return [];
    return this.fail([streamFailure('stream ended before message-end; the response is incomplete.')]);
  }

  private fail(parts: StreamPart[]): StreamPart[] {
    this.done = true;
    return parts;
  }

  private onMessageStart(payload: JsonRecord): StreamPart[] {
    if (this.started) return [];
    this.started = true;
    return [{ type: 'stream-start', id: asString(payload.id) ?? '', model: this.upstreamModel, created: Math.floor(Date.now() / 1000) }];
  }

  private textPart(text: string | undefined): StreamPart[] {
    return text ? [{ type: 'text-delta', text }] : [];
  }

  /** content-start carries the block's first text (usually empty); content-delta the following pieces. */
  private onContent(payload: JsonRecord): StreamPart[] {
    const content = asRecord(deltaMessage(payload).content);
    const thinking = asString(content.thinking);
    if (thinking !== undefined) return thinking === '' ? [] : [{ type: 'reasoning-delta', text: thinking }];
    return this.textPart(asString(content.text));
  }

  private onToolCallStart(payload: JsonRecord): StreamPart[] {
    const parts = this.onToolCallEnd();
    const call = asRecord(deltaMessage(payload).tool_calls);
    const fn = asRecord(call.function);
    const state: ToolState = { index: this.toolCallCount++, sentArguments: false };
    this.tool = state;
    parts.push({ type: 'tool-call-start', index: state.index, id: asString(call.id) ?? '', name: asString(fn.name) ?? '' });
    parts.push(...this.argumentsPart(asString(fn.arguments)));
    return parts;
  }

  private onToolCallDelta(payload: JsonRecord): StreamPart[] {
    const fn = asRecord(asRecord(deltaMessage(payload).tool_calls).function);
    return this.argumentsPart(asString(fn.arguments));
  }

  private argumentsPart(fragment: string | undefined): StreamPart[] {
    const state = this.tool;
    if (!state || !fragment) return [];
    state.sentArguments = true;
    return [{ type: 'tool-call-delta', index: state.index, argumentsDelta: fragment }];
  }

  /** A tool without arguments streams no fragments; `{}` keeps streamed arguments equal to the non-streamed ones. */
  private onToolCallEnd(): StreamPart[] {
    const state = this.tool;
    this.tool = undefined;
    if (!state || state.sentArguments) return [];
    return [{ type: 'tool-call-delta', index: state.index, argumentsDelta: '{}' }];
  }

  private onMessageEnd(payload: JsonRecord): StreamPart[] {
    this.done = true;
    const delta = asRecord(payload.delta);
    const reason = asString(delta.finish_reason);
    const parts = this.onToolCallEnd();
    const usage = toCohereUsage(delta.usage);
    if (usage) parts.push({ type: 'usage', usage });
    const finishReason = mapCohereFinishReason(reason);
    if (finishReason === 'error') {
      const detail = asString(delta.error);
      parts.push(streamFailure(`failed while generating (finish_reason ${reason})${detail ? `: ${sanitizeUpstreamMessage(detail)}` : '.'}`));
      return parts;
    }
    parts.push({ type: 'finish', finishReason, rawFinishReason: reason });
    return parts;
  }
}

export function createCohereStreamDecoder(upstreamModel: string): StreamDecoder {
  return new CohereStreamDecoder(upstreamModel);
}
