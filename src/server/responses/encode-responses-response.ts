import type { ChatResponse, ReasoningPart, Usage } from '../../core/canonical.js';
import type { Json } from '../openai/field-reader.js';
import { withOwnedFields } from './native-responses-relay.js';
import type { ResponsesEcho } from './responses-codec.js';

/** The OpenAI Responses `usage` object from canonical usage. */
export function encodeResponsesUsage(usage: Usage | undefined): Json | null {
  if (!usage) return null;
  const input = usage.inputTokens + usage.cacheReadTokens + usage.cacheWriteTokens;
  return {
    input_tokens: input,
    input_tokens_details: { cached_tokens: usage.cacheReadTokens },
    output_tokens: usage.outputTokens,
    output_tokens_details: { reasoning_tokens: usage.reasoningTokens },
    total_tokens: input + usage.outputTokens,
  };
}

/** A message cut by the token limit, a content filter or a failure is itself incomplete, as in OpenAI's own answers. */
export function messageStatus(finishReason: ChatResponse['finishReason']): string {
  return finishReason === 'length' || finishReason === 'content-filter' || finishReason === 'error' ? 'incomplete' : 'completed';
}

/** Status and incomplete details from the canonical finish reason. */
export function responsesStatus(response: Pick<ChatResponse, 'finishReason'>): { status: string; incomplete_details: Json | null } {
  if (response.finishReason === 'length') return { status: 'incomplete', incomplete_details: { reason: 'max_output_tokens' } };
  if (response.finishReason === 'content-filter') return { status: 'incomplete', incomplete_details: { reason: 'content_filter' } };
  if (response.finishReason === 'error') return { status: 'failed', incomplete_details: null };
  return { status: 'completed', incomplete_details: null };
}

/**
 * The output items of a finished response: reasoning, then the message, then function calls. Providers that give
 * reasoning as plain text only (DeepSeek's reasoning_content, Groq's reasoning) have no reasoning parts: the text is
 * one reasoning item, as the streamed answer's reasoning deltas are.
 */
export function encodeResponsesOutput(response: ChatResponse, responseId: string): Json[] {
  const output: Json[] = [];
  const parts = response.reasoningParts?.length ? response.reasoningParts : response.reasoning ? [{ text: response.reasoning }] : [];
  parts.forEach((part: ReasoningPart, index) => {
    const summary = part.summary ?? (part.text ? [part.text] : []);
    const item: Json = { type: 'reasoning', id: part.id ?? `rs_${responseId.slice(5)}_${index}`, summary: summary.map((text) => ({ type: 'summary_text', text })) };
    if (part.encrypted !== undefined && part.format === 'openai-responses') item.encrypted_content = part.encrypted;
    output.push(item);
  });
  if (response.text !== '') {
    output.push({
      type: 'message', id: `msg_${responseId.slice(5)}`, status: messageStatus(response.finishReason), role: 'assistant',
      content: [{ type: 'output_text', text: response.text, annotations: [] }],
    });
  }
  response.toolCalls.forEach((call, index) => {
    output.push({ type: 'function_call', id: `fc_${responseId.slice(5)}_${index}`, call_id: call.id, name: call.name, arguments: call.arguments, status: 'completed' });
  });
  return output;
}

/**
 * The full `response` object; `echo` holds the request fields OpenAI echoes back (instructions, tools, ...) and the
 * model is the name the client asked for (`answered.model`, else `response.model`), with `answered.usage` in place of
 * the response's own when given. An OpenAI Responses-API provider's own object goes back as it came, built-in tool
 * items and annotations included, with only the fields the gateway owns set (withOwnedFields). The object is one
 * literal of a fixed shape, which JSON.stringify writes on its fast path.
 */
export function encodeResponsesResponse(response: ChatResponse, responseId: string, createdAt: number, echo: ResponsesEcho, answered: { usage?: Usage; model?: string } = {}): Json {
  const model = answered.model ?? response.model;
  if (response.native?.format === 'openai-responses') return withOwnedFields(response.native.body, { id: responseId, model, echo });
  const { status, incomplete_details } = responsesStatus(response);
  return {
    id: responseId,
    object: 'response',
    created_at: createdAt,
    status,
    incomplete_details,
    error: null,
    model,
    output: encodeResponsesOutput(response, responseId),
    usage: encodeResponsesUsage(answered.usage ?? response.usage),
    instructions: echo.instructions,
    tools: echo.tools,
    tool_choice: echo.tool_choice,
    parallel_tool_calls: echo.parallel_tool_calls,
    temperature: echo.temperature,
    top_p: echo.top_p,
    text: echo.text,
    reasoning: echo.reasoning,
    max_output_tokens: echo.max_output_tokens,
    previous_response_id: echo.previous_response_id,
    store: echo.store,
    metadata: echo.metadata,
    user: echo.user,
  };
}
