import { totalInputTokens, type ChatResponse, type FinishReason, type Usage } from '../../core/canonical.js';

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
  const message: Record<string, unknown> = { role: 'assistant', content: response.toolCalls.length > 0 && response.text === '' ? null : response.text, refusal: null };
  if (response.reasoning) message.reasoning_content = response.reasoning;
  if (response.toolCalls.length > 0) {
    message.tool_calls = response.toolCalls.map((call) => ({ id: call.id, type: 'function', function: { name: call.name, arguments: call.arguments } }));
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
