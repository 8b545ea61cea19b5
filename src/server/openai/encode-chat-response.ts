import { totalInputTokens, type ChatResponse, type FinishReason, type ToolCall, type Usage } from '../../core/canonical.js';

export function encodeFinishReason(reason: FinishReason): string {
  switch (reason) {
    case 'stop':
      return 'stop';
    case 'length':
      return 'length';
    case 'tool-calls':
      return 'tool_calls';
    case 'content-filter':
      return 'content_filter';
    default:
      return 'stop';
  }
}

export function encodeUsage(usage: Usage): Record<string, unknown> {
  const prompt = totalInputTokens(usage);
  return {
    prompt_tokens: prompt,
    completion_tokens: usage.outputTokens,
    total_tokens: prompt + usage.outputTokens,
    prompt_tokens_details: { cached_tokens: usage.cacheReadTokens },
    completion_tokens_details: { reasoning_tokens: usage.reasoningTokens },
  };
}

export function encodeChatResponse(response: ChatResponse, id: string, model: string, usage: Usage): Record<string, unknown> {
  // An OpenAI-wire provider's answer goes back as it came (every choice, logprobs, audio, annotations), under the
  // model name the client asked for.
  if (response.native?.format === 'openai-chat') return { ...response.native.body, model };
  const message: Record<string, unknown> = { role: 'assistant', content: response.toolCalls.length > 0 && response.text === '' ? null : response.text, refusal: null };
  if (response.reasoning) message.reasoning_content = response.reasoning;
  if (response.toolCalls.length > 0) {
    message.tool_calls = response.toolCalls.map(encodeToolCall);
  }
  return {
    id,
    object: 'chat.completion',
    created: response.created,
    model,
    choices: [{ index: 0, message, logprobs: null, finish_reason: encodeFinishReason(response.finishReason) }],
    usage: encodeUsage(usage),
  };
}

/** A Gemini thought signature rides on the call as `extra_content.google.thought_signature`, for the client to echo. */
export function encodeToolCall(call: ToolCall): Record<string, unknown> {
  const encoded: Record<string, unknown> = { id: call.id, type: 'function', function: { name: call.name, arguments: call.arguments } };
  const signature = call.providerMetadata?.gemini?.thoughtSignature;
  if (typeof signature === 'string') encoded.extra_content = { google: { thought_signature: signature } };
  return encoded;
}
