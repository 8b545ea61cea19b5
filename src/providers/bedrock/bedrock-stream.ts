import type { StreamPart } from '../../core/canonical.js';
import { GatewayError } from '../../core/errors.js';
import type { StreamDecoder, StreamEvent } from '../../core/provider.js';
import { bedrockStreamError } from './bedrock-error.js';
import { isRecord, mapStopReason, mapUsage, newResponseId } from './bedrock-response.js';

/**
 * Turns ConverseStream events (already unframed by the shared event-stream decoder) into canonical parts.
 * Bedrock sends `messageStop` (the stop reason) and then `metadata` (usage); the finish is emitted once both
 * have come, in either order. https://docs.aws.amazon.com/bedrock/latest/APIReference/API_runtime_ConverseStreamOutput.html
 */
export class BedrockStreamDecoder implements StreamDecoder {
  private started = false;
  private done = false;
  private stopReason: string | undefined;
  private stopped = false;
  private usageSeen = false;
  private nextToolIndex = 0;
  /** Bedrock's content-block index to the canonical tool index, and whether that call has sent any arguments. */
  private readonly tools = new Map<number, { index: number; hasArguments: boolean }>();

  constructor(private readonly upstreamModel: string) {}

  decode(event: StreamEvent): StreamPart[] {
    if (this.done || event.event === undefined) return [];
    if (event.event.startsWith('exception:') || event.event.startsWith('error:')) {
      this.done = true;
      return [{ type: 'error', error: bedrockStreamError(event.event.slice(event.event.indexOf(':') + 1), event.data) }];
    }
    let payload: unknown;
    try {
      payload = JSON.parse(event.data);
    } catch {
      return this.fail('Bedrock sent a stream event the gateway could not read.');
    }
    if (!isRecord(payload)) return this.fail('Bedrock sent a stream event the gateway could not read.');
    const parts: StreamPart[] = [];
    if (!this.started) {
      this.started = true;
      parts.push({ type: 'stream-start', id: newResponseId(), model: this.upstreamModel, created: Math.floor(Date.now() / 1000) });
    }
    parts.push(...this.handle(event.event, payload));
    return parts;
  }

  end(): StreamPart[] {
    if (this.done) return [];
    this.done = true;
    // The stop reason is all a finish needs; usage missing at the very end is left for the gateway to estimate.
    if (this.stopped) return [this.finishPart()];
    return [{ type: 'error', error: new GatewayError('upstream_error', 'The Bedrock stream ended before the response was complete.') }];
  }

  private handle(name: string, payload: Record<string, unknown>): StreamPart[] {
    switch (name) {
      case 'contentBlockStart':
        return this.blockStart(payload);
      case 'contentBlockDelta':
        return this.blockDelta(payload);
      case 'contentBlockStop':
        return this.blockStop(payload);
      case 'messageStop':
        this.stopped = true;
        this.stopReason = typeof payload.stopReason === 'string' ? payload.stopReason : undefined;
        return this.finishIfComplete();
      case 'metadata': {
        this.usageSeen = true;
        const usage = mapUsage(payload.usage);
        return [...(usage ? [{ type: 'usage', usage } as const] : []), ...this.finishIfComplete()];
      }
      default:
        return [];
    }
  }

  private blockStart(payload: Record<string, unknown>): StreamPart[] {
    const start = isRecord(payload.start) ? payload.start.toolUse : undefined;
    if (!isRecord(start) || typeof start.toolUseId !== 'string' || typeof start.name !== 'string') return [];
    const index = this.nextToolIndex++;
    this.tools.set(blockIndex(payload), { index, hasArguments: false });
    return [{ type: 'tool-call-start', index, id: start.toolUseId, name: start.name }];
  }

  private blockDelta(payload: Record<string, unknown>): StreamPart[] {
    const delta = payload.delta;
    if (!isRecord(delta)) return [];
    if (typeof delta.text === 'string') return delta.text === '' ? [] : [{ type: 'text-delta', text: delta.text }];
    if (isRecord(delta.reasoningContent)) {
      const text = delta.reasoningContent.text;
      return typeof text === 'string' && text !== '' ? [{ type: 'reasoning-delta', text }] : [];
    }
    if (isRecord(delta.toolUse)) {
      const tool = this.tools.get(blockIndex(payload));
      const input = delta.toolUse.input;
      if (!tool || typeof input !== 'string' || input === '') return [];
      tool.hasArguments = true;
      return [{ type: 'tool-call-delta', index: tool.index, argumentsDelta: input }];
    }
    return [];
  }

  /** A tool that takes no arguments streams none; Bedrock's input is always an object, so it is `{}`. */
  private blockStop(payload: Record<string, unknown>): StreamPart[] {
    const tool = this.tools.get(blockIndex(payload));
    if (!tool || tool.hasArguments) return [];
    tool.hasArguments = true;
    return [{ type: 'tool-call-delta', index: tool.index, argumentsDelta: '{}' }];
  }

  private finishIfComplete(): StreamPart[] {
    if (!this.stopped || !this.usageSeen) return [];
    this.done = true;
    return [this.finishPart()];
  }

  private finishPart(): StreamPart {
    return { type: 'finish', finishReason: mapStopReason(this.stopReason), rawFinishReason: this.stopReason };
  }

  private fail(message: string): StreamPart[] {
    this.done = true;
    return [{ type: 'error', error: new GatewayError('upstream_error', message) }];
  }
}

function blockIndex(payload: Record<string, unknown>): number {
  return typeof payload.contentBlockIndex === 'number' ? payload.contentBlockIndex : 0;
}
