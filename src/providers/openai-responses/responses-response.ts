import type { ChatResponse, FinishReason, ReasoningPart, ToolCall, Usage } from '../../core/canonical.js';
import { GatewayError, type ErrorCode } from '../../core/errors.js';
import { asArray, asNumber, asRecord, asString, isRecord } from '../shared/json-read.js';
import { parseOpenAiUsage, type OpenAiUsageFields } from '../openai/openai-response.js';
import { responsesFormat } from './convert-to-responses-request.js';

/** Response object reference: https://platform.openai.com/docs/api-reference/responses/object */

const responsesUsageFields: OpenAiUsageFields = { input: 'input_tokens', output: 'output_tokens', inputDetails: 'input_tokens_details', outputDetails: 'output_tokens_details' };

/** The Responses API's usage object, read by the same rule as Chat Completions' (cached and reasoning tokens inside). */
export function parseResponsesUsage(value: unknown): Usage | undefined {
  return parseOpenAiUsage(value, responsesUsageFields);
}

/** The finish of a response from its status; `completed` with function calls means the model wants them run. */
export function responsesFinish(response: Record<string, unknown>, hasToolCalls: boolean): { finishReason: FinishReason; rawFinishReason: string | undefined } {
  const status = asString(response.status);
  if (status === 'incomplete') {
    const reason = asString(asRecord(response.incomplete_details).reason);
    const finishReason: FinishReason = reason === 'max_output_tokens' ? 'length' : reason === 'content_filter' ? 'content-filter' : 'other';
    return { finishReason, rawFinishReason: reason ?? status };
  }
  if (status === 'completed') return { finishReason: hasToolCalls ? 'tool-calls' : 'stop', rawFinishReason: status };
  if (status === 'failed') return { finishReason: 'error', rawFinishReason: status };
  return { finishReason: 'other', rawFinishReason: status };
}

export function parseReasoningItem(item: Record<string, unknown>): ReasoningPart {
  const summary = asArray(item.summary).map((entry) => asString(asRecord(entry).text) ?? '');
  const content = asArray(item.content).map((entry) => asString(asRecord(entry).text) ?? '');
  const part: ReasoningPart = { text: (summary.length > 0 ? summary : content).join('\n\n'), format: responsesFormat };
  const id = asString(item.id);
  if (id) part.id = id;
  const encrypted = asString(item.encrypted_content);
  if (encrypted !== undefined) part.encrypted = encrypted;
  if (summary.length > 0) part.summary = summary;
  return part;
}

export function parseFunctionCallItem(item: Record<string, unknown>, index: number): ToolCall {
  const call: ToolCall = { id: asString(item.call_id) ?? asString(item.id) ?? `call_${index}`, name: asString(item.name) ?? '', arguments: asString(item.arguments) ?? '' };
  const itemId = asString(item.id);
  if (itemId) call.providerMetadata = { [responsesFormat]: { itemId } };
  return call;
}

/** Error codes of a failed response (https://platform.openai.com/docs/api-reference/responses/object#responses/object-error). */
export function responsesErrorCode(code: string | undefined): ErrorCode {
  if (code === 'rate_limit_exceeded') return 'rate_limited';
  if (code === 'server_error' || code === 'vector_store_timeout') return 'upstream_error';
  return code?.startsWith('invalid_') ? 'invalid_request' : 'upstream_error';
}

export function failedResponseError(error: unknown, provider: string): GatewayError {
  const record = asRecord(error);
  const message = asString(record.message) ?? 'unknown error';
  return new GatewayError(responsesErrorCode(asString(record.code)), `Provider "${provider}" reported a failed response: ${message}`, { provider });
}

interface OutputContent {
  text: string;
  refusal: string;
  toolCalls: ToolCall[];
  reasoningParts: ReasoningPart[];
}

function readOutput(output: unknown): OutputContent {
  const content: OutputContent = { text: '', refusal: '', toolCalls: [], reasoningParts: [] };
  for (const entry of asArray(output)) {
    const item = asRecord(entry);
    if (item.type === 'message') {
      for (const part of asArray(item.content).map(asRecord)) {
        if (part.type === 'output_text') content.text += asString(part.text) ?? '';
        else if (part.type === 'refusal') content.refusal += asString(part.refusal) ?? '';
      }
    } else if (item.type === 'function_call') {
      content.toolCalls.push(parseFunctionCallItem(item, content.toolCalls.length));
    } else if (item.type === 'reasoning') {
      content.reasoningParts.push(parseReasoningItem(item));
    }
  }
  return content;
}

export function parseResponsesResponse(body: unknown, upstreamModel: string, provider: string): ChatResponse {
  if (!isRecord(body) || body.object !== 'response' || !Array.isArray(body.output)) {
    throw new GatewayError('upstream_error', `Provider "${provider}" returned a body that is not a Responses API response.`, { provider });
  }
  if (body.status === 'failed') throw failedResponseError(body.error, provider);
  const content = readOutput(body.output);
  const response: ChatResponse = {
    id: asString(body.id) ?? '',
    model: asString(body.model) ?? upstreamModel,
    created: asNumber(body.created_at) || Math.floor(Date.now() / 1000),
    text: content.text || content.refusal,
    toolCalls: content.toolCalls,
    ...responsesFinish(body, content.toolCalls.length > 0),
    usage: parseResponsesUsage(body.usage),
    native: { format: responsesFormat, body },
  };
  if (content.reasoningParts.length > 0) {
    response.reasoningParts = content.reasoningParts;
    const reasoning = content.reasoningParts.map((part) => part.text).filter((text) => text !== '').join('\n\n');
    if (reasoning) response.reasoning = reasoning;
  }
  return response;
}
