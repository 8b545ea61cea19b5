import type { ChatResponse, FinishReason, Usage } from '../../core/canonical.js';

/** Stop reasons: https://docs.anthropic.com/en/api/handling-stop-reasons */
export function encodeStopReason(reason: FinishReason): string {
  switch (reason) {
    case 'length':
      return 'max_tokens';
    case 'tool-calls':
      return 'tool_use';
    case 'content-filter':
      return 'refusal';
    default:
      return 'end_turn';
  }
}

/** Anthropic's `input_tokens` excludes cache reads and writes, as the canonical `inputTokens` does. */
export function encodeUsage(usage: Usage): Record<string, number> {
  return {
    input_tokens: usage.inputTokens,
    cache_creation_input_tokens: usage.cacheWriteTokens,
    cache_read_input_tokens: usage.cacheReadTokens,
    output_tokens: usage.outputTokens,
  };
}

/** Keeps an upstream Anthropic message id; otherwise derives one from the gateway's request id. */
export function messageId(upstreamId: string | undefined, requestId: string): string {
  return upstreamId?.startsWith('msg_') ? upstreamId : `msg_${requestId.replaceAll('-', '')}`;
}

/** `tool_use.input` must be an object; arguments that are not a JSON object (a truncated call) become `{}`. */
export function toolInput(argumentsText: string): Record<string, unknown> {
  try {
    const parsed: unknown = JSON.parse(argumentsText);
    if (typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed)) return parsed as Record<string, unknown>;
  } catch {
    // Falls through to the empty input.
  }
  return {};
}

/**
 * Anthropic's reasoning goes back with its signature or redacted data. Reasoning of other providers has no signature an
 * Anthropic model would accept; it is shown as thinking with an empty signature, which the decoder drops on the way back.
 */
function reasoningBlocks(response: ChatResponse): Record<string, unknown>[] {
  const parts = response.reasoningParts ?? [];
  if (parts.length === 0) return response.reasoning ? [{ type: 'thinking', thinking: response.reasoning, signature: '' }] : [];
  return parts.map((part) => {
    if (part.format === 'anthropic' && part.encrypted !== undefined) return { type: 'redacted_thinking', data: part.encrypted };
    return { type: 'thinking', thinking: part.text, signature: part.format === 'anthropic' ? (part.signature ?? '') : '' };
  });
}

/** Encodes a canonical response as a Messages API message (https://docs.anthropic.com/en/api/messages). */
export function encodeMessagesResponse(response: ChatResponse, usage: Usage, message: { id: string; model: string }): Record<string, unknown> {
  // An Anthropic provider's message goes back as it came (server tool blocks, citations, signatures), under the name the client asked for.
  if (response.native?.format === 'anthropic') return { ...response.native.body, model: message.model };
  const content: Record<string, unknown>[] = reasoningBlocks(response);
  if (response.text !== '') content.push({ type: 'text', text: response.text });
  for (const call of response.toolCalls) content.push({ type: 'tool_use', id: call.id, name: call.name, input: toolInput(call.arguments) });
  return {
    id: message.id,
    type: 'message',
    role: 'assistant',
    model: message.model,
    content,
    stop_reason: encodeStopReason(response.finishReason),
    stop_sequence: null,
    usage: encodeUsage(usage),
  };
}
