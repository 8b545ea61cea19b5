import type { ChatResponse, FinishReason, ReasoningPart, StreamPart, ToolCall, Usage } from '../../core/canonical.js';
import type { ResponsesEcho } from './responses-codec.js';
import { GatewayError } from '../../core/errors.js';
import type { Json } from '../openai/field-reader.js';
import { encodeResponsesResponse, messageStatus } from './encode-responses-response.js';
import { ResponsesToolCalls } from './encode-responses-tool-calls.js';
import { NativeResponsesRelay, responseErrorCode } from './native-responses-relay.js';

const upstreamCut = new GatewayError('upstream_error', 'The upstream stream ended before the response was complete.');

type OpenItem =
  | { kind: 'message'; id: string; index: number; text: string }
  | { kind: 'reasoning'; id: string; index: number; text: string };

/**
 * Encodes canonical stream parts as Responses API server-sent events, each with its `sequence_number`
 * (https://platform.openai.com/docs/api-reference/responses-streaming). One per stream. The opening events wait for
 * the first part: when it is a native event of an OpenAI Responses-API provider, the provider's own events are relayed
 * instead (see NativeResponsesRelay) and canonical parts are no longer encoded.
 */
export class ResponsesStreamEncoder {
  private sequence = 0;
  private nextIndex = 0;
  private item: OpenItem | undefined;
  private text = '';
  private readonly tools: ResponsesToolCalls;
  /** Items as their output_item.done events gave them, in output order: the final response's output. */
  private readonly doneItems: Json[] = [];
  private final: Json | undefined;
  private readonly reasoningParts: ReasoningPart[] = [];
  private finishReason: FinishReason = 'stop';
  private failed = false;
  private opened = false;
  private readonly relay: NativeResponsesRelay;

  /** `model` is the name the client asked for, which every response object carries, as on the other ingresses. */
  constructor(private readonly responseId: string, private readonly model: string, private readonly createdAt: number, private readonly echo: ResponsesEcho) {
    this.relay = new NativeResponsesRelay({ id: responseId, model, echo }, () => this.sequence++);
    this.tools = new ResponsesToolCalls((type, fields) => this.event(type, fields), () => this.nextIndex++, (position) => `fc_${responseId.slice(5)}_${position}`);
  }

  /**
   * The response object of the terminal event written so far (completed, incomplete or failed), relayed or encoded,
   * exactly as the client received it: what a response store keeps for a streamed answer.
   */
  finalResponse(): Json | undefined {
    return this.relay.active ? (this.relay.ended ? this.relay.lastResponse : undefined) : this.final;
  }

  /**
   * The answer of a stream that ended completed or incomplete: the response object the client received, and the
   * canonical parts behind its output items (what a response store keeps beside it). Undefined before the end and
   * after a failure.
   */
  get finished(): { response: Json; reasoningParts: ReasoningPart[]; toolCalls: ToolCall[] } | undefined {
    const response = this.finalResponse();
    if (!response || response.status === 'failed') return undefined;
    return { response, reasoningParts: this.reasoningParts, toolCalls: this.tools.calls };
  }

  /** Nothing yet: the opening depends on whether the first part is a provider's native event. */
  open(): string {
    return '';
  }

  encode(part: StreamPart): string {
    if (part.type === 'native' && part.format === 'openai-responses' && !this.opened) return this.relay.write(part.data);
    if (this.relay.active) return part.type === 'error' ? this.relay.fail(part.error, this.snapshot(undefined)) : '';
    if (this.failed) return '';
    const opening = this.opening();
    return opening + this.encodeCanonical(part);
  }

  private encodeCanonical(part: StreamPart): string {
    switch (part.type) {
      case 'stream-start': return '';
      case 'text-delta': return this.textDelta(part.text);
      case 'reasoning-delta': return this.reasoningDelta(part.text);
      case 'reasoning-end': return this.reasoningEnd(part.part);
      // A call that starts beside open calls joins them; it closes only a message or reasoning item.
      case 'tool-call-start': return (this.item ? this.closeItem() : '') + this.tools.start(part.index, part.id, part.name, part.providerMetadata);
      case 'tool-call-delta': return this.tools.delta(part.index, part.argumentsDelta);
      case 'finish': this.finishReason = part.finishReason; return this.closeItem();
      case 'error': return this.error(part.error);
      case 'usage':
      case 'native':
        return '';
    }
  }

  close(usage: Usage | undefined): string {
    if (this.relay.active) return this.relay.fail(upstreamCut, this.snapshot(undefined));
    if (this.failed) return '';
    const opening = this.opening();
    const closing = this.closeItem();
    const response: Json = { ...this.snapshot(usage), output: [...this.doneItems] };
    const type = response.status === 'incomplete' ? 'response.incomplete' : 'response.completed';
    return opening + closing + this.event(type, { response });
  }

  error(error: GatewayError): string {
    if (this.relay.active) return this.relay.fail(error, this.snapshot(undefined));
    if (this.failed) return '';
    this.failed = true;
    this.finishReason = 'error';
    const output = [...this.doneItems, ...this.partialMessage()];
    const response = { ...this.opened ? this.snapshot(undefined) : this.skeleton(), status: 'failed', incomplete_details: null, output, error: { code: responseErrorCode(error), message: error.message } };
    return this.opening() + this.event('response.failed', { response });
  }

  /** The message cut by a failure, with the text sent so far. */
  private partialMessage(): Json[] {
    if (this.item?.kind !== 'message') return [];
    const content = [{ type: 'output_text', text: this.item.text, annotations: [] }];
    return [{ type: 'message', id: this.item.id, status: 'incomplete', role: 'assistant', content }];
  }

  /** response.created and response.in_progress, written once before the first canonical event. */
  private opening(): string {
    if (this.opened) return '';
    this.opened = true;
    const skeleton = this.skeleton();
    return this.event('response.created', { response: skeleton }) + this.event('response.in_progress', { response: skeleton });
  }

  private skeleton(): Json {
    return { ...this.snapshot(undefined), status: 'in_progress', incomplete_details: null, output: [], usage: null };
  }

  private snapshot(usage: Usage | undefined): Json {
    const response: ChatResponse = {
      id: this.responseId, model: this.model, created: this.createdAt, text: this.text, toolCalls: this.tools.calls,
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
    return out + this.event('response.output_text.delta', { item_id: item.id, output_index: item.index, content_index: 0, delta, logprobs: [] });
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

  /**
   * Closes the open item, or every function call still open or held; a reasoning block closed without
   * `reasoning-end` keeps its text as its summary.
   */
  private closeItem(): string {
    if (this.item?.kind === 'reasoning') return this.reasoningEnd({ text: this.item.text });
    return this.item ? this.finishItem() : this.tools.closeAll();
  }

  private finishItem(): string {
    const item = this.item;
    this.item = undefined;
    if (!item) return '';
    const at = { item_id: item.id, output_index: item.index };
    if (item.kind === 'message') {
      const part = { type: 'output_text', text: item.text, annotations: [] };
      return this.event('response.output_text.done', { ...at, content_index: 0, text: item.text, logprobs: [] })
        + this.event('response.content_part.done', { ...at, content_index: 0, part })
        + this.event('response.output_item.done', { output_index: item.index, item: { type: 'message', id: item.id, status: messageStatus(this.finishReason), role: 'assistant', content: [part] } });
    }
    const stored = this.reasoningParts[this.reasoningParts.length - 1];
    const summary = (stored?.summary ?? [item.text]).map((text) => ({ type: 'summary_text', text }));
    const done: Json = { type: 'reasoning', id: item.id, summary };
    if (stored?.encrypted !== undefined && stored.format === 'openai-responses') done.encrypted_content = stored.encrypted;
    return this.event('response.reasoning_summary_text.done', { ...at, summary_index: 0, text: item.text })
      + this.event('response.reasoning_summary_part.done', { ...at, summary_index: 0, part: { type: 'summary_text', text: item.text } })
      + this.event('response.output_item.done', { output_index: item.index, item: done });
  }

  private event(type: string, fields: Json): string {
    if (type === 'response.output_item.done') this.doneItems.push(fields.item as Json);
    if (type === 'response.completed' || type === 'response.incomplete' || type === 'response.failed') this.final = fields.response as Json;
    const data = JSON.stringify({ type, sequence_number: this.sequence++, ...fields });
    return `event: ${type}\ndata: ${data}\n\n`;
  }
}
