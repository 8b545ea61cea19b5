import type { StreamPart } from '../../core/canonical.js';
import { GatewayError } from '../../core/errors.js';
import type { StreamDecoder, StreamEvent } from '../../core/provider.js';
import { anthropicGatewayError, readAnthropicErrorEnvelope } from './anthropic-error.js';
import { asRecord, mapStopReason, numberField, stringField, thinkingPart, toUsage } from './anthropic-response.js';

type BlockState =
  | { kind: 'text' }
  | { kind: 'reasoning'; text: string; signature: string }
  | { kind: 'redacted'; data: string }
  | { kind: 'tool'; index: number; sentArguments: boolean }
  | { kind: 'ignored' };

function parsePayload(data: string): Record<string, unknown> | undefined {
  try {
    return asRecord(JSON.parse(data));
  } catch {
    return undefined;
  }
}

function streamFailure(message: string): StreamPart[] {
  return [{ type: 'error', error: new GatewayError('upstream_error', `The Anthropic provider ${message}`) }];
}

/** Decodes a Messages API stream (https://docs.anthropic.com/en/docs/build-with-claude/streaming) into canonical parts. */
export class AnthropicStreamDecoder implements StreamDecoder {
  private readonly upstreamModel: string;
  private readonly blocks = new Map<number, BlockState>();
  private started = false;
  private done = false;
  private toolCallCount = 0;
  private usage: Record<string, unknown> | undefined;
  private stopReason: string | undefined;

  constructor(upstreamModel: string) {
    this.upstreamModel = upstreamModel;
  }

  /** Every upstream event goes on beside its canonical parts, for an Anthropic ingress to relay as it came. */
  decode(event: StreamEvent): StreamPart[] {
    if (this.done) return [];
    const parts = this.decodeEvent(event);
    return [{ type: 'native', format: 'anthropic', event: event.event, data: event.data }, ...parts];
  }

  private decodeEvent(event: StreamEvent): StreamPart[] {
    const payload = parsePayload(event.data);
    if (!payload) return this.fail(streamFailure('sent a stream event that is not a JSON object.'));
    switch (stringField(payload, 'type') ?? event.event) {
      case 'message_start':
        return this.onMessageStart(payload);
      case 'content_block_start':
        return this.onBlockStart(payload);
      case 'content_block_delta':
        return this.onBlockDelta(payload);
      case 'content_block_stop':
        return this.onBlockStop(payload);
      case 'message_delta':
        this.onMessageDelta(payload);
        return [];
      case 'message_stop':
        return this.onMessageStop();
      case 'error': {
        const envelope = readAnthropicErrorEnvelope(payload);
        return this.fail([{ type: 'error', error: anthropicGatewayError(envelope) }]);
      }
      default:
        // `ping` and event types added after this decoder was written: https://docs.anthropic.com/en/docs/build-with-claude/streaming#event-types
        return [];
    }
  }

  end(): StreamPart[] {
    if (this.done) return [];
    return this.fail(streamFailure('stream ended before message_stop; the response is incomplete.'));
  }

  private fail(parts: StreamPart[]): StreamPart[] {
    this.done = true;
    return parts;
  }

  private onMessageStart(payload: Record<string, unknown>): StreamPart[] {
    const message = asRecord(payload.message);
    if (this.started) {
      // A repeated message_start before any content is harmless; after content it means the upstream restarted the message.
      if (this.blocks.size === 0) return [];
      return this.fail(streamFailure('restarted the message in the middle of the stream.'));
    }
    this.started = true;
    const usage = asRecord(message?.usage);
    this.usage = usage ? { ...usage } : undefined;
    return [{
      type: 'stream-start',
      id: stringField(message, 'id') ?? '',
      model: stringField(message, 'model') ?? this.upstreamModel,
      created: Math.floor(Date.now() / 1000),
    }];
  }

  private onBlockStart(payload: Record<string, unknown>): StreamPart[] {
    const index = numberField(payload, 'index') ?? -1;
    const block = asRecord(payload.content_block);
    const type = stringField(block, 'type');
    if (type === 'text' || type === 'thinking') {
      const initial = stringField(block, type) ?? '';
      this.blocks.set(index, type === 'text' ? { kind: 'text' } : { kind: 'reasoning', text: initial, signature: stringField(block, 'signature') ?? '' });
      return initial === '' ? [] : [{ type: type === 'text' ? 'text-delta' : 'reasoning-delta', text: initial }];
    }
    if (type === 'redacted_thinking') {
      this.blocks.set(index, { kind: 'redacted', data: stringField(block, 'data') ?? '' });
      return [];
    }
    if (type !== 'tool_use') {
      this.blocks.set(index, { kind: 'ignored' });
      return [];
    }
    const state = { kind: 'tool' as const, index: this.toolCallCount++, sentArguments: false };
    this.blocks.set(index, state);
    const parts: StreamPart[] = [{ type: 'tool-call-start', index: state.index, id: stringField(block, 'id') ?? '', name: stringField(block, 'name') ?? '' }];
    const input = asRecord(block?.input);
    if (input && Object.keys(input).length > 0) {
      state.sentArguments = true;
      parts.push({ type: 'tool-call-delta', index: state.index, argumentsDelta: JSON.stringify(input) });
    }
    return parts;
  }

  private onBlockDelta(payload: Record<string, unknown>): StreamPart[] {
    const state = this.blocks.get(numberField(payload, 'index') ?? -1);
    const delta = asRecord(payload.delta);
    const type = stringField(delta, 'type');
    if (type === 'text_delta' && state?.kind === 'text') {
      const text = stringField(delta, 'text') ?? '';
      return text === '' ? [] : [{ type: 'text-delta', text }];
    }
    if (type === 'thinking_delta' && state?.kind === 'reasoning') {
      const text = stringField(delta, 'thinking') ?? '';
      state.text += text;
      return text === '' ? [] : [{ type: 'reasoning-delta', text }];
    }
    if (type === 'signature_delta' && state?.kind === 'reasoning') {
      state.signature += stringField(delta, 'signature') ?? '';
      return [];
    }
    if (type === 'input_json_delta' && state?.kind === 'tool') {
      const fragment = stringField(delta, 'partial_json') ?? '';
      if (fragment === '') return [];
      state.sentArguments = true;
      return [{ type: 'tool-call-delta', index: state.index, argumentsDelta: fragment }];
    }
    // citations_delta has no canonical counterpart; it reaches Anthropic clients in the native part.
    return [];
  }

  private onBlockStop(payload: Record<string, unknown>): StreamPart[] {
    const state = this.blocks.get(numberField(payload, 'index') ?? -1);
    // A tool without arguments streams no fragments; `{}` keeps streamed arguments equal to the non-streamed `input`.
    if (state?.kind === 'tool' && !state.sentArguments) {
      state.sentArguments = true;
      return [{ type: 'tool-call-delta', index: state.index, argumentsDelta: '{}' }];
    }
    if (state?.kind === 'reasoning') return [{ type: 'reasoning-end', part: thinkingPart(state.text, state.signature) }];
    if (state?.kind === 'redacted') return [{ type: 'reasoning-end', part: { text: '', format: 'anthropic', encrypted: state.data } }];
    return [];
  }

  /** Counts in message_delta are cumulative; newer API versions repeat the input and cache counts here too. */
  private onMessageDelta(payload: Record<string, unknown>): void {
    const stopReason = stringField(asRecord(payload.delta), 'stop_reason');
    if (stopReason !== undefined) this.stopReason = stopReason;
    const usage = asRecord(payload.usage);
    if (!usage) return;
    const merged: Record<string, unknown> = { ...this.usage };
    for (const [key, value] of Object.entries(usage)) {
      const previous = merged[key];
      merged[key] = typeof value === 'number' && typeof previous === 'number' ? Math.max(previous, value) : value;
    }
    this.usage = merged;
  }

  private onMessageStop(): StreamPart[] {
    this.done = true;
    const parts: StreamPart[] = [];
    const usage = toUsage(this.usage);
    if (usage) parts.push({ type: 'usage', usage });
    parts.push({ type: 'finish', finishReason: mapStopReason(this.stopReason), rawFinishReason: this.stopReason });
    return parts;
  }
}

export function createAnthropicStreamDecoder(upstreamModel: string): StreamDecoder {
  return new AnthropicStreamDecoder(upstreamModel);
}
