import type { ChatCodec } from '../chat-pipeline.js';
import { encodeChatResponse } from './encode-chat-response.js';
import { OpenAiStreamEncoder } from './encode-chat-stream.js';

export const openAiChatCodec: ChatCodec = {
  dialect: 'openai',
  encodeResponse: (response, usage, requestId, model) => encodeChatResponse(response, response.id || `chatcmpl-${requestId}`, model, usage),
  createStreamEncoder: (requestId, model, request) => new OpenAiStreamEncoder(`chatcmpl-${requestId}`, model, request.streamUsage === true),
};
