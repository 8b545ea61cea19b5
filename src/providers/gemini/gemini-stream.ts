import type { StreamPart, Usage } from '../../core/canonical.js';
import { GatewayError } from '../../core/errors.js';
import type { StreamDecoder, StreamEvent } from '../../core/provider.js';
import { asNumber, asRecord, isRecord } from '../shared/json-read.js';
import { classifyGeminiError, type GeminiErrorSource } from './gemini-error.js';
import { geminiCallIdFactory, geminiReasoningPart, geminiToolCall, mapGeminiFinishReason, readGeminiChunk } from './gemini-response.js';

/**
 * Decodes `streamGenerateContent?alt=sse`: every event is a whole GenerateContentResponse carrying the next
 * parts, and function calls arrive complete (https://ai.google.dev/api/generate-content#method:-models.streamgeneratecontent).
 */
export class GeminiStreamDecoder implements StreamDecoder {
  private readonly callId = geminiCallIdFactory();
  private started = false;
  private finished = false;
  private toolCalls = 0;
  private usage: Usage | undefined;

  constructor(
    private readonly upstreamModel: string,
    private readonly source: GeminiErrorSource,
  ) {}

  decode(event: StreamEvent): StreamPart[] {
    if (this.finished) return [];
    let body: unknown;
    try {
      body = JSON.parse(event.data);
    } catch {
      return this.fail(`${this.source.label} sent a stream event that is not JSON.`);
    }
    if (!isRecord(body)) return this.fail(`${this.source.label} sent a stream event that is not an object.`);
    if (isRecord(body.error)) {
      this.finished = true;
      const status = asNumber(asRecord(body.error).code) || 500;
      return [{ type: 'error', error: classifyGeminiError({ status, headers: {}, body: event.data }, this.source) }];
    }
    return this.decodeChunk(body);
  }

  end(): StreamPart[] {
    if (this.finished) return [];
    return this.fail(`${this.source.label} closed the stream before it finished.`);
  }

  private decodeChunk(body: Record<string, unknown>): StreamPart[] {
    const chunk = readGeminiChunk(body);
    const parts: StreamPart[] = [];
    if (!this.started) {
      this.started = true;
      parts.push({
        type: 'stream-start',
        id: chunk.id ?? '',
        model: chunk.model ?? this.upstreamModel,
        created: chunk.created ?? Math.floor(Date.now() / 1000),
      });
    }
    for (const part of chunk.parts) {
      if (part.kind !== 'tool-call') {
        if (part.text !== '') parts.push(part.kind === 'text' ? { type: 'text-delta', text: part.text } : { type: 'reasoning-delta', text: part.text });
        if (part.signature) parts.push({ type: 'reasoning-end', part: geminiReasoningPart(part.kind === 'reasoning' ? part.text : '', part.signature) });
      } else {
        const index = this.toolCalls++;
        const call = geminiToolCall(this.callId(index), part);
        parts.push({ type: 'tool-call-start', index, id: call.id, name: call.name, ...(call.providerMetadata ? { providerMetadata: call.providerMetadata } : {}) });
        parts.push({ type: 'tool-call-delta', index, argumentsDelta: part.arguments });
      }
    }
    if (chunk.usage) this.usage = chunk.usage;
    if (chunk.rawFinishReason !== undefined) {
      this.finished = true;
      if (this.usage) parts.push({ type: 'usage', usage: this.usage });
      const finishReason = chunk.promptBlocked ? 'content-filter' : mapGeminiFinishReason(chunk.rawFinishReason, this.toolCalls > 0);
      parts.push({ type: 'finish', finishReason, rawFinishReason: chunk.rawFinishReason });
    }
    return parts;
  }

  private fail(message: string): StreamPart[] {
    this.finished = true;
    return [{ type: 'error', error: new GatewayError('upstream_error', message, { provider: this.source.provider }) }];
  }
}
