import { randomUUID } from 'node:crypto';
import type { ChatResponse, FinishReason, ToolCall, Usage } from '../../core/canonical.js';
import { GatewayError } from '../../core/errors.js';

/** https://docs.aws.amazon.com/bedrock/latest/APIReference/API_runtime_Converse.html#API_runtime_Converse_ResponseSyntax */

const finishReasons: Record<string, FinishReason> = {
  end_turn: 'stop',
  stop_sequence: 'stop',
  max_tokens: 'length',
  model_context_window_exceeded: 'length',
  tool_use: 'tool-calls',
  guardrail_intervened: 'content-filter',
  content_filtered: 'content-filter',
};

export function mapStopReason(stopReason: string | undefined): FinishReason {
  return (stopReason === undefined ? undefined : finishReasons[stopReason]) ?? 'other';
}

function count(value: unknown): number {
  return typeof value === 'number' && Number.isFinite(value) ? value : 0;
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Bedrock reports `inputTokens` without the cache reads and writes, which come beside it
 * (`totalTokens` adds all four), so each maps straight across. Reasoning is not broken out of `outputTokens`.
 * https://docs.aws.amazon.com/bedrock/latest/userguide/prompt-caching.html
 */
export function mapUsage(usage: unknown): Usage | undefined {
  if (!isRecord(usage)) return undefined;
  return {
    inputTokens: count(usage.inputTokens),
    cacheReadTokens: count(usage.cacheReadInputTokens),
    cacheWriteTokens: count(usage.cacheWriteInputTokens),
    outputTokens: count(usage.outputTokens),
    reasoningTokens: 0,
    raw: usage,
  };
}

/** Bedrock's responses carry no id in the body (only the x-amzn-requestid header), so the gateway makes one. */
export function newResponseId(): string {
  return `bedrock-${randomUUID()}`;
}

function unreadable(): GatewayError {
  return new GatewayError('upstream_error', 'Bedrock returned a response the gateway could not read.');
}

interface ContentParts {
  text: string;
  reasoning: string;
  toolCalls: ToolCall[];
}

function readContent(content: unknown[]): ContentParts {
  const parts: ContentParts = { text: '', reasoning: '', toolCalls: [] };
  for (const block of content) {
    if (!isRecord(block)) continue;
    if (typeof block.text === 'string') parts.text += block.text;
    if (isRecord(block.toolUse)) {
      const { toolUseId, name, input } = block.toolUse;
      if (typeof toolUseId !== 'string' || typeof name !== 'string') throw unreadable();
      parts.toolCalls.push({ id: toolUseId, name, arguments: JSON.stringify(input ?? {}) });
    }
    const reasoning = isRecord(block.reasoningContent) ? block.reasoningContent.reasoningText : undefined;
    if (isRecord(reasoning) && typeof reasoning.text === 'string') parts.reasoning += reasoning.text;
  }
  return parts;
}

export function parseBedrockResponse(body: unknown, upstreamModel: string): ChatResponse {
  if (!isRecord(body) || !isRecord(body.output)) throw unreadable();
  const message = body.output.message;
  if (!isRecord(message) || !Array.isArray(message.content)) throw unreadable();
  const { text, reasoning, toolCalls } = readContent(message.content);
  const stopReason = typeof body.stopReason === 'string' ? body.stopReason : undefined;
  const response: ChatResponse = {
    id: newResponseId(),
    model: upstreamModel,
    created: Math.floor(Date.now() / 1000),
    text,
    toolCalls,
    finishReason: mapStopReason(stopReason),
    rawFinishReason: stopReason,
    usage: mapUsage(body.usage),
  };
  if (reasoning !== '') response.reasoning = reasoning;
  return response;
}
