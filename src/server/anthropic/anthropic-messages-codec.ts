import type { ChatCodec } from '../chat-pipeline.js';
import { encodeMessagesResponse, messageId } from './encode-messages-response.js';
import { AnthropicStreamEncoder } from './encode-messages-stream.js';

export const anthropicMessagesCodec: ChatCodec = {
  dialect: 'anthropic',
  encodeResponse: (response, usage, requestId, model) => encodeMessagesResponse(response, usage, { id: messageId(response.id, requestId), model }),
  createStreamEncoder: (requestId, model) => new AnthropicStreamEncoder(requestId, model),
};
