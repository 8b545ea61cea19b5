import type { ChatResponse, FinishReason, ReasoningPart, StreamPart, ToolCall, Usage } from '../../core/canonical.js';
import type { GatewayError } from '../../core/errors.js';
import type { Json } from '../openai/field-reader.js';
import { encodeResponsesResponse } from './encode-responses-response.js';

type OpenItem =
  | { kind: 'message'; id: string; index: number; text: string }
  | { kind: 'reasoning'; id: string; index: number; text: string }
  | { kind: 'function_call'; id: string; index: number; call: ToolCall };

/** Encodes canonical stream parts as Responses API server-sent events, each with its `sequence_number`. One per stream. */
export class ResponsesStreamEncoder {
  private sequence = 0;
  private nextIndex = 0;
  private item: OpenItem | undefined;
  private text = '';
  private readonly toolCalls: ToolCall[] = [];
  private readonly reasoningParts: ReasoningPart[] = [];
  private finishReason: FinishReason = 'stop';
  private model: string;
  private failed = false;
  /** Set by `close`: the response object of the final event, and the canonical parts behind its output items. */
  finished: { response: Json; reasoningParts: ReasoningPart[]; toolCalls: ToolCall[] } | undefined;

  constructor(private readonly responseId: string, model: string, private readonly createdAt: number, private readonly echo: Json) {
    this.model = model;
  }

  open(): string {
    const skeleton = { ...this.snapshot(undefined), status: 'in_progress', incomplete_details: null, output: [], output_text: '', usage: null };
    return this.event('response.created', { response: skeleton }) + this.event('response.in_progress', { response: skeleton });
  }

  encode(part: StreamPart): string {
    if (this.failed) return '';
    switch (part.type) {
      case 'stream-start': this.model = part.model; return '';
      case 'text-delta': return this.textDelta(part.text);
      case 'reasoning-delta': return this.reasoningDelta(part.text);
      case 'reasoning-end': return this.reasoningEnd(part.part);
      case 'tool-call-start': return this.toolCallStart(part);
      case 'tool-call-delta': return this.toolCallDelta(part.argumentsDelta);
      case 'finish': this.finishReason = part.finishReason; return this.closeItem();
      case 'error': return this.error(part.error);
      case 'usage':
      case 'native':
        return '';
    }
  }

  close(usage: Usage | undefined): string {
    if (this.failed) return '';
    const closing = this.closeItem();
    const response = this.snapshot(usage);
    const type = response.status === 'incomplete' ? 'response.incomplete' : 'response.completed';
    this.finished = { response, reasoningParts: this.reasoningParts, toolCalls: this.toolCalls };
    return closing + this.event(type, { response });
  }

  error(error: GatewayError): string {
    if (this.failed) return '';
    this.failed = true;
    const response = { ...this.snapshot(undefined), status: 'failed', incomplete_details: null, error: { code: error.code, message: error.message } };
    return this.event('response.failed', { response });
  }

  private snapshot(usage: Usage | undefined): Json {
    const response: ChatResponse = {
      id: this.responseId, model: this.model, created: this.createdAt, text: this.text, toolCalls: this.toolCalls,
      reasoningParts: this.reasoningParts, finishReason: this.finishReason, rawFinishReason: undefined, usage,
    };
    return encodeResponsesResponse(response, this.responseId, this.createdAt, this.echo);
  }

  private textDelta(delta: string): string {
    let out = '';
    if (this.item?.kind !== 'message') {
      out += this.closeItem();
      const item: OpenItem = { kind: 'message', id: `msg_${this.responseId.slice(5)}`, index: this.nextIndex++, text: '' };
      this.item = item;
      out += this.event('response.output_item.added', { output_index: item.index, item: { type: 'message', id: item.id, status: 'in_progress', role: 'assistant', content: [] } });
      out += this.event('response.content_part.added', { item_id: item.id, output_index: item.index, content_index: 0, part: { type: 'output_text', text: '', annotations: [] } });
    }
    const item = this.item as Extract<OpenItem, { kind: 'message' }>;
    item.text += delta;
    this.text += delta;
    return out + this.event('response.output_text.delta', { item_id: item.id, output_index: item.index, content_index: 0, delta });
  }

  private reasoningDelta(delta: string): string {
    let out = '';
    if (this.item?.kind !== 'reasoning') {
      out += this.closeItem();
      const item: OpenItem = { kind: 'reasoning', id: `rs_${this.responseId.slice(5)}_${this.reasoningParts.length}`, index: this.nextIndex++, text: '' };
      this.item = item;
      out += this.event('response.output_item.added', { output_index: item.index, item: { type: 'reasoning', id: item.id, summary: [] } });
      out += this.event('response.reasoning_summary_part.added', { item_id: item.id, output_index: item.index, summary_index: 0, part: { type: 'summary_text', text: '' } });
    }
    const item = this.item as Extract<OpenItem, { kind: 'reasoning' }>;
    item.text += delta;
    return out + this.event('response.reasoning_summary_text.delta', { item_id: item.id, output_index: item.index, summary_index: 0, delta });
  }

  private reasoningEnd(part: ReasoningPart): string {
    if (this.item?.kind !== 'reasoning') {
      this.reasoningParts.push(part);
      return '';
    }
    const { id, text } = this.item;
    this.reasoningParts.push({ ...part, id, text: part.text || text, summary: part.summary ?? [part.text || text] });
    return this.finishItem();
  }

  private toolCallStart({ id: callId, name, providerMetadata }: Extract<StreamPart, { type: 'tool-call-start' }>): string {
    const out = this.closeItem();
    const call: ToolCall = { id: callId, name, arguments: '', ...(providerMetadata ? { providerMetadata } : {}) };
    const item: OpenItem = { kind: 'function_call', id: `fc_${this.responseId.slice(5)}_${this.toolCalls.length}`, index: this.nextIndex++, call };
    this.toolCalls.push(call);
    this.item = item;
    return out + this.event('response.output_item.added', { output_index: item.index, item: { type: 'function_call', id: item.id, call_id: callId, name, arguments: '', status: 'in_progress' } });
  }

  private toolCallDelta(delta: string): string {
    if (this.item?.kind !== 'function_call') return '';
    this.item.call.arguments += delta;
    return this.event('response.function_call_arguments.delta', { item_id: this.item.id, output_index: this.item.index, delta });
  }

  /** Closes the open item; a reasoning block closed without `reasoning-end` keeps its text as its summary. */
  private closeItem(): string {
    if (this.item?.kind === 'reasoning') return this.reasoningEnd({ text: this.item.text });
    return this.finishItem();
  }

  private finishItem(): string {
    const item = this.item;
    this.item = undefined;
    if (!item) return '';
    const at = { item_id: item.id, output_index: item.index };
    if (item.kind === 'message') {
      const part = { type: 'output_text', text: item.text, annotations: [] };
      return this.event('response.output_text.done', { ...at, content_index: 0, text: item.text })
        + this.event('response.content_part.done', { ...at, content_index: 0, part })
        + this.event('response.output_item.done', { output_index: item.index, item: { type: 'message', id: item.id, status: 'completed', role: 'assistant', content: [part] } });
    }
    if (item.kind === 'reasoning') {
      const stored = this.reasoningParts[this.reasoningParts.length - 1];
      const summary = (stored?.summary ?? [item.text]).map((text) => ({ type: 'summary_text', text }));
      const done: Json = { type: 'reasoning', id: item.id, summary };
      if (stored?.encrypted !== undefined && stored.format === 'openai-responses') done.encrypted_content = stored.encrypted;
      return this.event('response.reasoning_summary_text.done', { ...at, summary_index: 0, text: item.text })
        + this.event('response.reasoning_summary_part.done', { ...at, summary_index: 0, part: { type: 'summary_text', text: item.text } })
        + this.event('response.output_item.done', { output_index: item.index, item: done });
    }
    const { call } = item;
    return this.event('response.function_call_arguments.done', { ...at, arguments: call.arguments })
      + this.event('response.output_item.done', { output_index: item.index, item: { type: 'function_call', id: item.id, call_id: call.id, name: call.name, arguments: call.arguments, status: 'completed' } });
  }

  private event(type: string, fields: Json): string {
    const data = JSON.stringify({ type, sequence_number: this.sequence++, ...fields });
    return `event: ${type}\ndata: ${data}\n\n`;
  }
}
