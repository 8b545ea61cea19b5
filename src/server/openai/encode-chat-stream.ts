import type { StreamPart, Usage } from '../../core/canonical.js';
import type { GatewayError } from '../../core/errors.js';
import { openAiErrorBody } from '../error-envelope.js';
import { encodeFinishReason, encodeUsage } from './encode-chat-response.js';

/** Encodes canonical stream parts as OpenAI chat.completion.chunk server-sent events. One per stream. */
export class OpenAiStreamEncoder {
  private created = Math.floor(Date.now() / 1000);
  private prefix: string;
  private roleSent = false;

  constructor(
    private readonly id: string,
    private readonly model: string,
    private readonly includeUsage: boolean,
  ) {
    this.prefix = this.makePrefix();
  }

  /** Returns the SSE text for a part ('' when the part has no wire form). */
  encode(part: StreamPart): string {
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
        return this.delta({ tool_calls: [{ index: part.index, id: part.id, type: 'function', function: { name: part.name, arguments: '' } }] });
      case 'tool-call-delta':
        return this.delta({ tool_calls: [{ index: part.index, function: { arguments: part.argumentsDelta } }] });
      case 'usage':
        return '';
      case 'finish':
        return `${this.prefix}[{"index":0,"delta":{},"logprobs":null,"finish_reason":${JSON.stringify(encodeFinishReason(part.finishReason))}}]}\n\n`;
      case 'error':
        return this.error(part.error);
      case 'reasoning-end':
      case 'native':
        return '';
    }
  }

  /** The closing events: the usage chunk when the client asked for it, then `[DONE]`. */
  close(usage: Usage | undefined): string {
    const usageChunk = this.includeUsage && usage ? `${this.prefix}[],"usage":${JSON.stringify(encodeUsage(usage))}}\n\n` : '';
    return `${usageChunk}data: [DONE]\n\n`;
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
