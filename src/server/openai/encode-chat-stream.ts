import type { StreamPart, Usage } from '../../core/canonical.js';
import type { GatewayError } from '../../core/errors.js';
import { openAiErrorBody } from '../error-envelope.js';
import { encodeFinishReason, encodeToolCall, encodeUsage } from './encode-chat-response.js';

/** Encodes canonical stream parts as OpenAI chat.completion.chunk server-sent events. One per stream. */
export class OpenAiStreamEncoder {
  private created = Math.floor(Date.now() / 1000);
  private prefix: string;
  private roleSent = false;
  /** Set once upstream chunks arrive as they came (an OpenAI-wire provider): canonical parts are then not re-encoded. */
  private native = false;
  private nativeUsageSent = false;

  constructor(
    private readonly id: string,
    private readonly model: string,
    private readonly includeUsage: boolean,
  ) {
    this.prefix = this.makePrefix();
  }

  /** Returns the SSE text for a part ('' when the part has no wire form). */
  encode(part: StreamPart): string {
    if (part.type === 'native') return part.format === 'openai-chat' ? this.relay(part.data) : '';
    if (this.native && part.type !== 'error') return '';
    switch (part.type) {
      case 'stream-start':
        this.created = part.created;
        this.prefix = this.makePrefix();
        return this.delta({ content: '' });
      case 'text-delta':
        return this.delta({ content: part.text });
      case 'reasoning-delta':
        return this.delta({ reasoning_content: part.text });
      case 'tool-call-start':
        return this.delta({ tool_calls: [{ index: part.index, ...encodeToolCall({ id: part.id, name: part.name, arguments: '', ...(part.providerMetadata ? { providerMetadata: part.providerMetadata } : {}) }) }] });
      case 'tool-call-delta':
        return this.delta({ tool_calls: [{ index: part.index, function: { arguments: part.argumentsDelta } }] });
      case 'usage':
        return '';
      case 'finish':
        return `${this.prefix}[{"index":0,"delta":{},"logprobs":null,"finish_reason":${JSON.stringify(encodeFinishReason(part.finishReason))}}]}\n\n`;
      case 'error':
        return this.error(part.error);
      case 'reasoning-end':
        return '';
    }
  }

  /** The closing events: the usage chunk when the client asked for it, then `[DONE]`. */
  close(usage: Usage | undefined): string {
    const usageChunk = this.includeUsage && usage && !this.nativeUsageSent ? `${this.prefix}[],"usage":${JSON.stringify(encodeUsage(usage))}}\n\n` : '';
    return `${usageChunk}data: [DONE]\n\n`;
  }

  /**
   * Writes an upstream chunk unchanged but for the model name. Usage the gateway asked for on the client's behalf
   * (the ledger needs it) is kept from a client that did not ask: the usage-only chunk and the `usage: null` fields.
   */
  private relay(data: string): string {
    this.native = true;
    let chunk: Record<string, unknown>;
    try {
      chunk = JSON.parse(data) as Record<string, unknown>;
    } catch {
      return '';
    }
    if (typeof chunk.model === 'string' && chunk.model !== '') chunk.model = this.model;
    if (!this.includeUsage && 'usage' in chunk) {
      if (Array.isArray(chunk.choices) && chunk.choices.length === 0) return '';
      delete chunk.usage;
    }
    if (this.includeUsage && chunk.usage !== null && chunk.usage !== undefined) this.nativeUsageSent = true;
    return `data: ${JSON.stringify(chunk)}\n\n`;
  }

  error(error: GatewayError): string {
    return `data: ${JSON.stringify(openAiErrorBody(error))}\n\n`;
  }

  private makePrefix(): string {
    return `data: {"id":${JSON.stringify(this.id)},"object":"chat.completion.chunk","created":${this.created},"model":${JSON.stringify(this.model)},"choices":`;
  }

  private delta(delta: Record<string, unknown>): string {
    const role = this.roleSent ? '' : '"role":"assistant",';
    this.roleSent = true;
    const body = JSON.stringify(delta);
    return `${this.prefix}[{"index":0,"delta":{${role}${body.slice(1)},"logprobs":null,"finish_reason":null}]}\n\n`;
  }
}
