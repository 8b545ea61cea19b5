import type { StreamPart, Usage } from '../../core/canonical.js';
import { GatewayError } from '../../core/errors.js';
import type { StreamDecoder, StreamEvent } from '../../core/provider.js';
import { asArray, asNumber, asRecord, asString, isRecord } from '../shared/json-read.js';
import { mapOpenAiFinishReason, parseOpenAiUsage } from './openai-response.js';

/**
 * Decodes chat.completion.chunk events. The finish is held until the stream closes so that the usage chunk,
 * which OpenAI sends after the finish_reason chunk, can be emitted before it.
 */
export class OpenAiStreamDecoder implements StreamDecoder {
  private started = false;
  private finished = false;
  private rawFinish: string | undefined;
  private sawFinish = false;
  private usage: Usage | undefined;
  private readonly toolIndexes = new Map<number | string, number>();
  private lastToolKey: number | string = 0;

  constructor(
    private readonly upstreamModel: string,
    private readonly provider: string,
    /** Emit each chunk as a `native` part too, for an OpenAI client to receive unchanged. */
    private readonly native = false,
  ) {}

  decode(event: StreamEvent): StreamPart[] {
    if (this.finished) return [];
    if (event.data === '[DONE]') return this.close();
    let chunk: unknown;
    try {
      chunk = JSON.parse(event.data);
    } catch {
      return this.fail(`Provider "${this.provider}" sent a stream event that is not JSON.`);
    }
    if (!isRecord(chunk)) return this.fail(`Provider "${this.provider}" sent a stream event that is not an object.`);
    if (isRecord(chunk.error)) {
      const message = asString(chunk.error.message) ?? 'unknown error';
      return this.fail(`Provider "${this.provider}" reported an error mid-stream: ${message}`);
    }
    const parts: StreamPart[] = this.native ? [{ type: 'native', format: 'openai-chat', event: event.event, data: event.data }] : [];
    const choices = asArray(chunk.choices);
    // Azure opens with a chunk holding only prompt_filter_results, with an empty id and model.
    if (!this.started && choices.length === 0 && !asString(chunk.id) && chunk.usage === undefined) return parts;
    if (!this.started) {
      this.started = true;
      parts.push({ type: 'stream-start', id: asString(chunk.id) ?? '', model: asString(chunk.model) ?? this.upstreamModel, created: asNumber(chunk.created) || Math.floor(Date.now() / 1000) });
    }
    // Groq reports stream usage under x_groq (https://console.groq.com/docs/openai).
    const usage = parseOpenAiUsage(chunk.usage ?? asRecord(chunk.x_groq).usage);
    if (usage) this.usage = usage;
    for (const item of choices) this.decodeChoice(asRecord(item), parts);
    return parts;
  }

  end(): StreamPart[] {
    if (this.finished) return [];
    if (this.sawFinish) return this.close();
    return this.fail(`Provider "${this.provider}" closed the stream before it finished.`);
  }

  private decodeChoice(choice: Record<string, unknown>, parts: StreamPart[]): void {
    const delta = asRecord(choice.delta);
    const reasoning = asString(delta.reasoning_content) ?? asString(delta.reasoning);
    if (reasoning) parts.push({ type: 'reasoning-delta', text: reasoning });
    const content = asString(delta.content);
    if (content) parts.push({ type: 'text-delta', text: content });
    for (const item of asArray(delta.tool_calls)) this.decodeToolCall(asRecord(item), parts);
    const finish = asString(choice.finish_reason);
    if (finish) {
      this.sawFinish = true;
      this.rawFinish = finish;
    }
  }

  private decodeToolCall(call: Record<string, unknown>, parts: StreamPart[]): void {
    // Mistral streams whole calls without an index: each call with an id is a new one.
    const upstreamIndex = typeof call.index === 'number' ? call.index : asString(call.id) ? `id:${asString(call.id)}` : this.lastToolKey;
    this.lastToolKey = upstreamIndex;
    const fn = asRecord(call.function);
    let index = this.toolIndexes.get(upstreamIndex);
    if (index === undefined) {
      index = this.toolIndexes.size;
      this.toolIndexes.set(upstreamIndex, index);
      parts.push({ type: 'tool-call-start', index, id: asString(call.id) ?? `call_${index}`, name: asString(fn.name) ?? '' });
    }
    const argumentsDelta = asString(fn.arguments);
    if (argumentsDelta) parts.push({ type: 'tool-call-delta', index, argumentsDelta });
  }

  private close(): StreamPart[] {
    this.finished = true;
    const parts: StreamPart[] = [];
    if (this.usage) parts.push({ type: 'usage', usage: this.usage });
    parts.push({ type: 'finish', finishReason: this.sawFinish ? mapOpenAiFinishReason(this.rawFinish) : 'other', rawFinishReason: this.rawFinish });
    return parts;
  }

  private fail(message: string): StreamPart[] {
    this.finished = true;
    const parts: StreamPart[] = [];
    if (this.usage) parts.push({ type: 'usage', usage: this.usage });
    parts.push({ type: 'error', error: new GatewayError('upstream_error', message, { provider: this.provider }) });
    return parts;
  }
}
