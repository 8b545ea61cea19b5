import type { StreamPart } from '../../core/canonical.js';
import { GatewayError } from '../../core/errors.js';
import type { StreamDecoder, StreamEvent } from '../../core/provider.js';
import { asNumber, asRecord, asString, isRecord } from '../shared/json-read.js';
import { responsesFormat } from './convert-to-responses-request.js';
import { failedResponseError, parseReasoningItem, parseResponsesUsage, responsesErrorCode, responsesFinish } from './responses-response.js';

/**
 * Decodes Responses API stream events (https://platform.openai.com/docs/api-reference/responses-streaming). Every event
 * is also passed on as a `native` part so that an ingress of this format can relay what the canonical parts do not
 * model (built-in tool items, annotations, sequence numbers).
 */
export class ResponsesStreamDecoder implements StreamDecoder {
  private started = false;
  private finished = false;
  /** Canonical tool index by the output index of its function_call item. */
  private readonly toolIndexes = new Map<number, number>();

  constructor(
    private readonly upstreamModel: string,
    private readonly provider: string,
  ) {}

  decode(event: StreamEvent): StreamPart[] {
    if (this.finished) return [];
    let payload: unknown;
    try {
      payload = JSON.parse(event.data);
    } catch {
      return this.fail(`Provider "${this.provider}" sent a stream event that is not JSON.`);
    }
    if (!isRecord(payload)) return this.fail(`Provider "${this.provider}" sent a stream event that is not an object.`);
    const type = asString(payload.type) ?? event.event;
    const parts: StreamPart[] = [{ type: 'native', format: responsesFormat, event: event.event ?? type, data: event.data }];
    this.decodeEvent(type, payload, parts);
    return parts;
  }

  end(): StreamPart[] {
    if (this.finished) return [];
    return this.fail(`Provider "${this.provider}" closed the stream before it finished.`);
  }

  private decodeEvent(type: string | undefined, payload: Record<string, unknown>, parts: StreamPart[]): void {
    switch (type) {
      case 'response.created':
      case 'response.in_progress':
        return this.start(asRecord(payload.response), parts);
      case 'response.output_text.delta':
      case 'response.refusal.delta':
        return this.delta('text-delta', payload, parts);
      case 'response.reasoning_summary_text.delta':
      case 'response.reasoning_text.delta':
        return this.delta('reasoning-delta', payload, parts);
      case 'response.reasoning_summary_part.added':
        // Summary parts are joined with a blank line, as in the non-streamed response's reasoning text.
        if (asNumber(payload.summary_index) > 0) parts.push({ type: 'reasoning-delta', text: '\n\n' });
        return;
      case 'response.output_item.added':
        return this.itemAdded(asNumber(payload.output_index), asRecord(payload.item), parts);
      case 'response.output_item.done':
        if (asRecord(payload.item).type === 'reasoning') parts.push({ type: 'reasoning-end', part: parseReasoningItem(asRecord(payload.item)) });
        return;
      case 'response.function_call_arguments.delta':
        return this.argumentsDelta(payload, parts);
      case 'response.completed':
      case 'response.incomplete':
        return this.complete(asRecord(payload.response), parts);
      case 'response.failed':
        return this.pushFailure(parts, failedResponseError(asRecord(payload.response).error, this.provider));
      case 'error':
        return this.pushFailure(parts, this.streamError(payload));
      default:
        return;
    }
  }

  private start(response: Record<string, unknown>, parts: StreamPart[]): void {
    if (this.started) return;
    this.started = true;
    parts.push({ type: 'stream-start', id: asString(response.id) ?? '', model: asString(response.model) ?? this.upstreamModel, created: asNumber(response.created_at) || Math.floor(Date.now() / 1000) });
  }

  private delta(kind: 'text-delta' | 'reasoning-delta', payload: Record<string, unknown>, parts: StreamPart[]): void {
    const text = asString(payload.delta);
    if (text) parts.push({ type: kind, text });
  }

  private itemAdded(outputIndex: number, item: Record<string, unknown>, parts: StreamPart[]): void {
    if (item.type !== 'function_call' || this.toolIndexes.has(outputIndex)) return;
    const index = this.toolIndexes.size;
    this.toolIndexes.set(outputIndex, index);
    parts.push({ type: 'tool-call-start', index, id: asString(item.call_id) ?? asString(item.id) ?? `call_${index}`, name: asString(item.name) ?? '' });
    const initial = asString(item.arguments);
    if (initial) parts.push({ type: 'tool-call-delta', index, argumentsDelta: initial });
  }

  private argumentsDelta(payload: Record<string, unknown>, parts: StreamPart[]): void {
    const index = this.toolIndexes.get(asNumber(payload.output_index));
    const argumentsDelta = asString(payload.delta);
    if (index !== undefined && argumentsDelta) parts.push({ type: 'tool-call-delta', index, argumentsDelta });
  }

  private complete(response: Record<string, unknown>, parts: StreamPart[]): void {
    this.start(response, parts);
    this.finished = true;
    const usage = parseResponsesUsage(response.usage);
    if (usage) parts.push({ type: 'usage', usage });
    parts.push({ type: 'finish', ...responsesFinish(response, this.toolIndexes.size > 0) });
  }

  /** The documented error event has its fields at the top; OpenAI also sends them inside an `error` object. */
  private streamError(payload: Record<string, unknown>): GatewayError {
    const fields = isRecord(payload.error) ? payload.error : payload;
    const message = asString(fields.message) ?? 'unknown error';
    return new GatewayError(responsesErrorCode(asString(fields.code)), `Provider "${this.provider}" reported an error mid-stream: ${message}`, { provider: this.provider });
  }

  private pushFailure(parts: StreamPart[], error: GatewayError): void {
    this.finished = true;
    parts.push({ type: 'error', error });
  }

  private fail(message: string): StreamPart[] {
    this.finished = true;
    return [{ type: 'error', error: new GatewayError('upstream_error', message, { provider: this.provider }) }];
  }
}
