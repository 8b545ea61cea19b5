import { emptyUsage, type FinishReason, type ReasoningPart, type StreamPart, type Usage } from '../../core/canonical.js';
import { NativeEventRelay } from './native-event-relay.js';
import { GatewayError } from '../../core/errors.js';
import type { ChatStreamEncoder } from '../chat-pipeline.js';
import { anthropicErrorBody } from '../error-envelope.js';
import { encodeStopReason, encodeUsage, messageId } from './encode-messages-response.js';
import { isCompleteObject } from '../complete-json-object.js';

interface ToolState {
  id: string;
  name: string;
  /** Every fragment received so far, to tell when the arguments form a complete object. */
  arguments: string;
  /** Fragments received while another tool call's block was open. */
  pending: string;
  blockIndex: number | undefined;
  closed: boolean;
}

function sse(type: string, payload: Record<string, unknown>): string {
  return `event: ${type}\ndata: ${JSON.stringify({ type, ...payload })}\n\n`;
}

function blockDelta(index: number, deltaType: string, field: string, value: string): string {
  return `event: content_block_delta\ndata: {"type":"content_block_delta","index":${index},"delta":{"type":"${deltaType}","${field}":${JSON.stringify(value)}}}\n\n`;
}

/**
 * Encodes canonical stream parts as Messages API events (https://docs.anthropic.com/en/docs/build-with-claude/streaming).
 * Content blocks never overlap. Tool calls are written in the order they started; a call that starts while another
 * call's arguments are still incomplete (parallel calls interleaved, as OpenAI-style streams may send them) is
 * buffered and written as soon as the earlier calls are complete, or when other content or the finish arrives.
 * A fragment for a call whose block is already closed can only follow a complete JSON object, so it is dropped.
 */
export class AnthropicStreamEncoder implements ChatStreamEncoder {
  private id: string;
  private started = false;
  private stopped = false;
  private nextBlockIndex = 0;
  private textBlock: { kind: 'text' | 'thinking'; index: number } | undefined;
  private readonly tools = new Map<number, ToolState>();
  /** Tool calls started and not yet closed, oldest first; the first one's block is the open block. */
  private queue: ToolState[] = [];
  private usage: Usage | undefined;
  private finishReason: FinishReason | undefined;
  private readonly relay = new NativeEventRelay();

  constructor(
    private readonly requestId: string,
    private readonly model: string,
  ) {
    this.id = messageId(undefined, requestId);
  }

  /** message_start waits for the first part so that it can carry the upstream message id. */
  open(): string {
    return '';
  }

  encode(part: StreamPart): string {
    if (this.stopped) return '';
    if (part.type === 'native' || this.relay.active) return this.relayNative(part);
    // After the finish only the usage it waits for can still matter.
    if (this.finishReason !== undefined && part.type !== 'usage') return '';
    switch (part.type) {
      case 'stream-start':
        if (!this.started) this.id = messageId(part.id, this.requestId);
        return this.start();
      case 'text-delta':
        return part.text === '' ? '' : this.start() + this.switchTo('text') + blockDelta(this.blockIndexOf(), 'text_delta', 'text', part.text);
      case 'reasoning-delta':
        return part.text === '' ? '' : this.start() + this.switchTo('thinking') + blockDelta(this.blockIndexOf(), 'thinking_delta', 'thinking', part.text);
      case 'tool-call-start':
        return this.start() + this.startTool(part.index, part.id, part.name);
      case 'tool-call-delta':
        return this.toolDelta(part.index, part.argumentsDelta);
      case 'usage':
        this.usage = part.usage;
        return '';
      case 'finish':
        return this.finish(part.finishReason);
      case 'error':
        return this.error(part.error);
      case 'reasoning-end':
        return this.endReasoning(part.part);
    }
  }

  /** Writes the message end held back for lack of usage; a stream that never finished ends with an error event. */
  close(usage: Usage | undefined): string {
    if (this.stopped) return '';
    if (this.relay.active) return this.relay.complete ? '' : this.error(new GatewayError('upstream_error', 'The upstream stream ended before the message was complete.'));
    if (this.finishReason === undefined) {
      return this.closeBlocks() + this.error(new GatewayError('upstream_error', 'The upstream stream ended before the message was complete.'));
    }
    return this.end(this.finishReason, usage ?? this.usage ?? emptyUsage());
  }

  error(error: GatewayError): string {
    this.stopped = true;
    return `event: error\ndata: ${JSON.stringify(anthropicErrorBody(error))}\n\n`;
  }

  /**
   * An Anthropic provider's events are written as they came, so that blocks the canonical parts do not model reach the
   * client; only the model name is the one the client asked for. Canonical parts are then ignored, except an error,
   * which gets an error event of the gateway's own (the upstream's is not relayed: it may quote credentials).
   */
  private relayNative(part: StreamPart): string {
    if (part.type === 'native') {
      if (part.format !== 'anthropic') return '';
      return this.relay.write(part.event, part.data, this.model);
    }
    if (part.type === 'error') return this.error(part.error);
    return '';
  }

  /** A closing signature goes out as signature_delta; redacted thinking as a block of its own. */
  private endReasoning(reasoning: ReasoningPart): string {
    if (reasoning.format !== 'anthropic') return '';
    if (reasoning.encrypted !== undefined) {
      const text = this.start() + this.closeBlocks();
      const index = this.nextBlockIndex++;
      return text + sse('content_block_start', { index, content_block: { type: 'redacted_thinking', data: reasoning.encrypted } }) + this.stopBlock(index);
    }
    if (this.textBlock?.kind !== 'thinking' || !reasoning.signature) return '';
    return blockDelta(this.textBlock.index, 'signature_delta', 'signature', reasoning.signature) + this.closeBlocks();
  }

  private start(): string {
    if (this.started) return '';
    this.started = true;
    const usage = { ...encodeUsage(this.usage ?? emptyUsage()), output_tokens: 0 };
    const message = { id: this.id, type: 'message', role: 'assistant', model: this.model, content: [], stop_reason: null, stop_sequence: null, usage };
    return sse('message_start', { message }) + sse('ping', {});
  }

  /** Usage normally precedes the finish; when it does not, the end waits for the usage passed to close(). */
  private finish(reason: FinishReason): string {
    const text = this.start() + this.closeBlocks();
    this.finishReason = reason;
    return this.usage ? text + this.end(reason, this.usage) : text;
  }

  private end(reason: FinishReason, usage: Usage): string {
    this.stopped = true;
    return sse('message_delta', { delta: { stop_reason: encodeStopReason(reason), stop_sequence: null }, usage: encodeUsage(usage) }) + sse('message_stop', {});
  }

  private blockIndexOf(): number {
    return this.textBlock?.index ?? -1;
  }

  private stopBlock(index: number): string {
    return sse('content_block_stop', { index });
  }

  private switchTo(kind: 'text' | 'thinking'): string {
    if (this.textBlock?.kind === kind) return '';
    const text = this.closeBlocks();
    const index = this.nextBlockIndex++;
    this.textBlock = { kind, index };
    const block = kind === 'text' ? { type: 'text', text: '' } : { type: 'thinking', thinking: '', signature: '' };
    return text + sse('content_block_start', { index, content_block: block });
  }

  private closeBlocks(): string {
    let text = '';
    if (this.textBlock) text += this.stopBlock(this.textBlock.index);
    this.textBlock = undefined;
    for (const tool of this.queue) {
      if (tool.blockIndex === undefined) text += this.openTool(tool);
      text += this.stopBlock(tool.blockIndex as number);
      tool.closed = true;
    }
    this.queue = [];
    return text;
  }

  private startTool(index: number, id: string, name: string): string {
    if (this.tools.has(index)) return '';
    let text = '';
    if (this.textBlock) text += this.stopBlock(this.textBlock.index);
    this.textBlock = undefined;
    const tool: ToolState = { id, name, arguments: '', pending: '', blockIndex: undefined, closed: false };
    this.tools.set(index, tool);
    this.queue.push(tool);
    return text + this.advance();
  }

  private openTool(tool: ToolState): string {
    tool.blockIndex = this.nextBlockIndex++;
    let text = sse('content_block_start', { index: tool.blockIndex, content_block: { type: 'tool_use', id: tool.id, name: tool.name, input: {} } });
    if (tool.pending !== '') text += blockDelta(tool.blockIndex, 'input_json_delta', 'partial_json', tool.pending);
    tool.pending = '';
    return text;
  }

  /** Opens the oldest call's block and closes it once its arguments are complete and a later call is waiting. */
  private advance(): string {
    let text = '';
    for (;;) {
      const head = this.queue[0];
      if (!head) return text;
      if (head.blockIndex === undefined) text += this.openTool(head);
      if (this.queue.length < 2 || !isCompleteObject(head.arguments)) return text;
      text += this.stopBlock(head.blockIndex as number);
      head.closed = true;
      this.queue.shift();
    }
  }

  private toolDelta(index: number, fragment: string): string {
    const tool = this.tools.get(index);
    if (!tool || tool.closed || fragment === '') return '';
    tool.arguments += fragment;
    if (tool !== this.queue[0]) {
      tool.pending += fragment;
      return '';
    }
    return blockDelta(tool.blockIndex as number, 'input_json_delta', 'partial_json', fragment) + this.advance();
  }
}
