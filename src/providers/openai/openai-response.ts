import type { ChatResponse, EmbeddingResponse, FinishReason, ToolCall, Usage } from '../../core/canonical.js';
import { GatewayError } from '../../core/errors.js';
import { asArray, asNumber, asRecord, asString, isRecord } from '../shared/json-read.js';

export function mapOpenAiFinishReason(raw: string | undefined): FinishReason {
  switch (raw) {
    case 'stop':
      return 'stop';
    case 'length':
      return 'length';
    case 'tool_calls':
    case 'function_call':
      return 'tool-calls';
    case 'content_filter':
      return 'content-filter';
    default:
      return 'other';
  }
}

/** Where an OpenAI usage object keeps its counts: Chat Completions and the Responses API name them differently. */
export interface OpenAiUsageFields {
  input: string;
  output: string;
  inputDetails: string;
  outputDetails: string;
}

const chatUsageFields: OpenAiUsageFields = { input: 'prompt_tokens', output: 'completion_tokens', inputDetails: 'prompt_tokens_details', outputDetails: 'completion_tokens_details' };

/** OpenAI counts cached tokens inside the input tokens and reasoning tokens inside the output tokens, in both APIs. */
export function parseOpenAiUsage(value: unknown, fields: OpenAiUsageFields = chatUsageFields): Usage | undefined {
  if (!isRecord(value)) return undefined;
  const cached = asNumber(asRecord(value[fields.inputDetails]).cached_tokens);
  return {
    inputTokens: Math.max(0, asNumber(value[fields.input]) - cached),
    cacheReadTokens: cached,
    cacheWriteTokens: 0,
    outputTokens: asNumber(value[fields.output]),
    reasoningTokens: asNumber(asRecord(value[fields.outputDetails]).reasoning_tokens),
    raw: value,
  };
}

function parseToolCalls(value: unknown): ToolCall[] {
  return asArray(value).map((item, index) => {
    const call = asRecord(item);
    const fn = asRecord(call.function);
    return { id: asString(call.id) ?? `call_${index}`, name: asString(fn.name) ?? '', arguments: asString(fn.arguments) ?? '' };
  });
}

/** `native` keeps the body for an OpenAI client (every choice, logprobs, audio, annotations, service_tier). */
export function parseOpenAiChatResponse(body: unknown, upstreamModel: string, provider: string, native = false): ChatResponse {
  if (!isRecord(body) || !Array.isArray(body.choices)) {
    throw new GatewayError('upstream_error', `Provider "${provider}" returned a response that is not a chat completion.`, { provider });
  }
  const choice = asRecord(body.choices[0]);
  const message = asRecord(choice.message);
  const rawFinish = asString(choice.finish_reason);
  const reasoning = asString(message.reasoning_content) ?? asString(message.reasoning);
  const response: ChatResponse = {
    id: asString(body.id) ?? '',
    model: asString(body.model) ?? upstreamModel,
    created: asNumber(body.created) || Math.floor(Date.now() / 1000),
    text: asString(message.content) ?? '',
    toolCalls: parseToolCalls(message.tool_calls),
    finishReason: mapOpenAiFinishReason(rawFinish),
    rawFinishReason: rawFinish,
    usage: parseOpenAiUsage(body.usage),
  };
  if (reasoning) response.reasoning = reasoning;
  if (native) response.native = { format: 'openai-chat', body };
  const refusal = asString(message.refusal);
  if (refusal && !response.text) response.text = refusal;
  return response;
}

export function parseOpenAiEmbeddingResponse(body: unknown, upstreamModel: string, provider: string): EmbeddingResponse {
  if (!isRecord(body) || !Array.isArray(body.data)) {
    throw new GatewayError('upstream_error', `Provider "${provider}" returned a response that is not an embedding list.`, { provider });
  }
  const rows = body.data.map((item) => asRecord(item)).sort((left, right) => asNumber(left.index) - asNumber(right.index));
  const usage = asRecord(body.usage);
  return {
    model: asString(body.model) ?? upstreamModel,
    embeddings: rows.map((row) => asArray(row.embedding).map((value) => asNumber(value))),
    usage: isRecord(body.usage)
      ? { inputTokens: asNumber(usage.prompt_tokens), cacheReadTokens: 0, cacheWriteTokens: 0, outputTokens: 0, reasoningTokens: 0, raw: body.usage }
      : undefined,
  };
}
