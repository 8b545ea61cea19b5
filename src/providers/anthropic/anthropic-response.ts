import type { ChatResponse, FinishReason, ReasoningPart, ToolCall, Usage } from '../../core/canonical.js';
import { GatewayError } from '../../core/errors.js';

export function asRecord(value: unknown): Record<string, unknown> | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
}

export function stringField(record: Record<string, unknown> | undefined, key: string): string | undefined {
  const value = record?.[key];
  return typeof value === 'string' ? value : undefined;
}

export function numberField(record: Record<string, unknown> | undefined, key: string): number | undefined {
  const value = record?.[key];
  return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
}

/** Stop reasons: https://docs.anthropic.com/en/api/handling-stop-reasons */
export function mapStopReason(stopReason: string | undefined): FinishReason {
  switch (stopReason) {
    case 'end_turn':
    case 'stop_sequence':
      return 'stop';
    case 'max_tokens':
    case 'model_context_window_exceeded':
      return 'length';
    case 'tool_use':
      return 'tool-calls';
    case 'refusal':
      return 'content-filter';
    default:
      return 'other';
  }
}

/** Anthropic's `input_tokens` already excludes cache reads and writes, and reasoning is not reported apart from output. */
export function toUsage(raw: unknown): Usage | undefined {
  const usage = asRecord(raw);
  if (!usage) return undefined;
  return {
    inputTokens: numberField(usage, 'input_tokens') ?? 0,
    cacheReadTokens: numberField(usage, 'cache_read_input_tokens') ?? 0,
    cacheWriteTokens: numberField(usage, 'cache_creation_input_tokens') ?? 0,
    outputTokens: numberField(usage, 'output_tokens') ?? 0,
    reasoningTokens: 0,
    raw: usage,
  };
}

export function thinkingPart(text: string, signature: string | undefined): ReasoningPart {
  const part: ReasoningPart = { text, format: 'anthropic' };
  if (signature) part.signature = signature;
  return part;
}

function toToolCall(block: Record<string, unknown>): ToolCall {
  return {
    id: stringField(block, 'id') ?? '',
    name: stringField(block, 'name') ?? '',
    arguments: JSON.stringify(block.input ?? {}),
  };
}

/** Parses a non-streamed Messages API response (https://docs.anthropic.com/en/api/messages). */
export function parseAnthropicResponse(body: unknown, upstreamModel: string): ChatResponse {
  const message = asRecord(body);
  const content = message?.content;
  if (!message || !Array.isArray(content)) {
    throw new GatewayError('upstream_error', 'The Anthropic provider returned a response that is not a Messages API message.');
  }
  const texts: string[] = [];
  const reasoning: ReasoningPart[] = [];
  const toolCalls: ToolCall[] = [];
  for (const item of content) {
    const block = asRecord(item);
    const type = stringField(block, 'type');
    if (!block) continue;
    if (type === 'text') texts.push(stringField(block, 'text') ?? '');
    else if (type === 'thinking') reasoning.push(thinkingPart(stringField(block, 'thinking') ?? '', stringField(block, 'signature')));
    else if (type === 'redacted_thinking') reasoning.push({ text: '', format: 'anthropic', encrypted: stringField(block, 'data') ?? '' });
    else if (type === 'tool_use') toolCalls.push(toToolCall(block));
  }
  const stopReason = stringField(message, 'stop_reason');
  const response: ChatResponse = {
    id: stringField(message, 'id') ?? '',
    model: stringField(message, 'model') ?? upstreamModel,
    created: Math.floor(Date.now() / 1000),
    text: texts.join(''),
    toolCalls,
    finishReason: mapStopReason(stopReason),
    rawFinishReason: stopReason,
    usage: toUsage(message.usage),
    native: { format: 'anthropic', body: message },
  };
  if (reasoning.length > 0) {
    response.reasoningParts = reasoning;
    const text = reasoning.map((part) => part.text).join('');
    if (text !== '') response.reasoning = text;
  }
  return response;
}
