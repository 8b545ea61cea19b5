import type { ChatResponse, EmbeddingResponse, FinishReason, ToolCall, Usage } from '../../core/canonical.js';
import { GatewayError } from '../../core/errors.js';
import { asArray, asRecord, asString, isRecord, type JsonRecord } from '../shared/json-read.js';

/** Finish reasons: https://docs.cohere.com/reference/chat (response `finish_reason`). */
export function mapCohereFinishReason(reason: string | undefined): FinishReason {
  switch (reason) {
    case 'COMPLETE':
    case 'STOP_SEQUENCE':
      return 'stop';
    case 'MAX_TOKENS':
      return 'length';
    case 'TOOL_CALL':
      return 'tool-calls';
    case 'ERROR':
    case 'TIMEOUT':
      return 'error';
    default:
      return 'other';
  }
}

function count(record: JsonRecord, key: string): number | undefined {
  const value = record[key];
  return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
}

/**
 * `tokens` counts what the model processed (the chat template included); `billed_units` is what Cohere invoices.
 * `cached_tokens` is part of `tokens.input_tokens`, so it is taken out of the full-price input.
 */
export function toCohereUsage(raw: unknown): Usage | undefined {
  if (!isRecord(raw)) return undefined;
  // Cohere invoices billed_units; `tokens` also counts its own prompt template, and `cached_tokens` refers to that
  // larger count, so with billed units nothing is split out as cached (https://docs.cohere.com/reference/chat).
  if (isRecord(raw.billed_units)) {
    return { inputTokens: count(raw.billed_units, 'input_tokens') ?? 0, cacheReadTokens: 0, cacheWriteTokens: 0, outputTokens: count(raw.billed_units, 'output_tokens') ?? 0, reasoningTokens: 0, raw };
  }
  if (!isRecord(raw.tokens)) return undefined;
  const input = count(raw.tokens, 'input_tokens') ?? 0;
  const cached = Math.min(count(raw, 'cached_tokens') ?? 0, input);
  return { inputTokens: input - cached, cacheReadTokens: cached, cacheWriteTokens: 0, outputTokens: count(raw.tokens, 'output_tokens') ?? 0, reasoningTokens: 0, raw };
}

/** Cohere sends `"null"` (or nothing) as the arguments of a tool that takes none; `{}` is what clients parse. */
export function normalizeArguments(text: string | undefined): string {
  const trimmed = text?.trim() ?? '';
  return trimmed === '' || trimmed === 'null' ? '{}' : (text as string);
}

function toToolCall(value: unknown): ToolCall {
  const call = asRecord(value);
  const fn = asRecord(call.function);
  return { id: asString(call.id) ?? '', name: asString(fn.name) ?? '', arguments: normalizeArguments(asString(fn.arguments)) };
}

/** Parses a non-streamed v2 Chat response (https://docs.cohere.com/reference/chat). */
export function parseCohereResponse(body: unknown, upstreamModel: string): ChatResponse {
  const response = asRecord(body);
  const message = response.message;
  if (!isRecord(message)) {
    throw new GatewayError('upstream_error', 'The Cohere provider returned a response that is not a v2 Chat response.');
  }
  const texts: string[] = [];
  const thoughts: string[] = [];
  for (const item of asArray(message.content)) {
    const block = asRecord(item);
    if (block.type === 'text') texts.push(asString(block.text) ?? '');
    else if (block.type === 'thinking') thoughts.push(asString(block.thinking) ?? '');
  }
  // The plan the model writes before calling tools plays the part of the text before a tool call.
  const plan = asString(message.tool_plan);
  const text = texts.join('');
  const finishReason = asString(response.finish_reason);
  const parsed: ChatResponse = {
    id: asString(response.id) ?? '',
    model: upstreamModel,
    created: Math.floor(Date.now() / 1000),
    text: text === '' && plan ? plan : text,
    toolCalls: asArray(message.tool_calls).map(toToolCall),
    finishReason: mapCohereFinishReason(finishReason),
    rawFinishReason: finishReason,
    usage: toCohereUsage(response.usage),
  };
  if (thoughts.length > 0) parsed.reasoning = thoughts.join('');
  return parsed;
}

/** Parses a v2 Embed response (https://docs.cohere.com/reference/embed) asked for `float` embeddings. */
export function parseCohereEmbeddingResponse(body: unknown, upstreamModel: string): EmbeddingResponse {
  const response = asRecord(body);
  const vectors = asRecord(response.embeddings).float;
  if (!Array.isArray(vectors) || !vectors.every((vector) => Array.isArray(vector) && vector.every((value) => typeof value === 'number'))) {
    throw new GatewayError('upstream_error', 'The Cohere provider returned an Embed response without float embeddings.');
  }
  const billed = asRecord(asRecord(response.meta).billed_units);
  const inputTokens = count(billed, 'input_tokens');
  return {
    model: upstreamModel,
    embeddings: vectors as number[][],
    usage: inputTokens === undefined ? undefined : { inputTokens, cacheReadTokens: 0, cacheWriteTokens: 0, outputTokens: 0, reasoningTokens: 0, raw: billed },
  };
}
