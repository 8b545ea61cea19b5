import { randomUUID } from 'node:crypto';
import type { ChatResponse, FinishReason, ReasoningPart, ToolCall, Usage } from '../../core/canonical.js';
import { GatewayError } from '../../core/errors.js';
import { asArray, asNumber, asRecord, asString, isRecord, type JsonRecord } from '../shared/json-read.js';

export type GeminiOutputPart =
  | { kind: 'text'; text: string; signature?: string }
  | { kind: 'reasoning'; text: string; signature?: string }
  | { kind: 'tool-call'; name: string; arguments: string; signature?: string };

/** What one `GenerateContentResponse` (a whole response, or one streamed chunk) says, already narrowed. */
export interface GeminiChunk {
  id: string | undefined;
  model: string | undefined;
  created: number | undefined;
  parts: GeminiOutputPart[];
  /** `finishReason` of the first candidate, or the `blockReason` of a prompt Gemini refused to answer. */
  rawFinishReason: string | undefined;
  promptBlocked: boolean;
  usage: Usage | undefined;
}

export function readGeminiChunk(body: JsonRecord): GeminiChunk {
  const candidate = asRecord(asArray(body.candidates)[0]);
  const blockReason = asString(asRecord(body.promptFeedback).blockReason);
  const createTime = asString(body.createTime);
  const created = createTime === undefined ? Number.NaN : Date.parse(createTime);
  return {
    id: asString(body.responseId),
    model: asString(body.modelVersion),
    created: Number.isNaN(created) ? undefined : Math.floor(created / 1000),
    parts: asArray(asRecord(candidate.content).parts).flatMap(readPart),
    rawFinishReason: asString(candidate.finishReason) ?? blockReason,
    promptBlocked: blockReason !== undefined && !isRecord(asArray(body.candidates)[0]),
    usage: convertGeminiUsage(body.usageMetadata),
  };
}

function readPart(value: unknown): GeminiOutputPart[] {
  const part = asRecord(value);
  const text = asString(part.text);
  // Thought signatures come on function calls and on text parts (https://ai.google.dev/gemini-api/docs/thought-signatures).
  const signature = asString(part.thoughtSignature);
  const signed = signature ? { signature } : {};
  if (text !== undefined) {
    if (text === '' && !signature) return [];
    return [{ kind: part.thought === true ? 'reasoning' : 'text', text, ...signed }];
  }
  const call = asRecord(part.functionCall);
  const name = asString(call.name);
  if (name === undefined) return [];
  return [{ kind: 'tool-call', name, arguments: JSON.stringify(isRecord(call.args) ? call.args : {}), ...signed }];
}

const filteredReasons = new Set(['SAFETY', 'RECITATION', 'BLOCKLIST', 'PROHIBITED_CONTENT', 'SPII', 'IMAGE_SAFETY', 'OTHER_BLOCK']);

/** Maps Gemini's `finishReason` (https://ai.google.dev/api/generate-content#FinishReason); STOP with calls means the model wants tools. */
export function mapGeminiFinishReason(raw: string | undefined, hasToolCalls: boolean): FinishReason {
  if (raw === 'STOP') return hasToolCalls ? 'tool-calls' : 'stop';
  if (raw === 'MAX_TOKENS') return 'length';
  if (raw !== undefined && filteredReasons.has(raw)) return 'content-filter';
  return 'other';
}

/** `promptTokenCount` already includes the cached tokens, and thinking tokens are billed as output. */
export function convertGeminiUsage(value: unknown): Usage | undefined {
  if (!isRecord(value) || (value.promptTokenCount === undefined && value.totalTokenCount === undefined)) return undefined;
  const cached = asNumber(value.cachedContentTokenCount);
  const thoughts = asNumber(value.thoughtsTokenCount);
  return {
    inputTokens: Math.max(0, asNumber(value.promptTokenCount) - cached),
    cacheReadTokens: cached,
    cacheWriteTokens: 0,
    outputTokens: asNumber(value.candidatesTokenCount) + thoughts,
    reasoningTokens: thoughts,
    raw: value,
  };
}

export function parseGeminiResponse(body: unknown, upstreamModel: string, provider: string): ChatResponse {
  const geminiCallId = geminiCallIdFactory();
  if (!isRecord(body) || (!Array.isArray(body.candidates) && !isRecord(body.promptFeedback))) {
    throw new GatewayError('upstream_error', `${provider} returned a response without candidates.`, { provider });
  }
  const chunk = readGeminiChunk(body);
  const text: string[] = [];
  const reasoning: string[] = [];
  const toolCalls: ChatResponse['toolCalls'] = [];
  const reasoningParts: ReasoningPart[] = [];
  for (const part of chunk.parts) {
    if (part.kind === 'tool-call') toolCalls.push(geminiToolCall(geminiCallId(toolCalls.length), part));
    else {
      (part.kind === 'text' ? text : reasoning).push(part.text);
      if (part.signature) reasoningParts.push(geminiReasoningPart(part.kind === 'reasoning' ? part.text : '', part.signature));
    }
  }
  const response: ChatResponse = {
    id: chunk.id ?? `gemini-${randomUUID()}`,
    model: chunk.model ?? upstreamModel,
    created: chunk.created ?? Math.floor(Date.now() / 1000),
    text: text.join(''),
    toolCalls,
    finishReason: chunk.promptBlocked ? 'content-filter' : mapGeminiFinishReason(chunk.rawFinishReason, toolCalls.length > 0),
    rawFinishReason: chunk.rawFinishReason,
    usage: chunk.usage,
  };
  if (reasoning.length > 0) response.reasoning = reasoning.join('');
  if (reasoningParts.length > 0) response.reasoningParts = reasoningParts;
  return response;
}

/** A function call with its thought signature kept, to be sent back to Gemini on the next turn. */
export function geminiToolCall(id: string, part: { name: string; arguments: string; signature?: string }): ToolCall {
  const call: ToolCall = { id, name: part.name, arguments: part.arguments };
  if (part.signature) call.providerMetadata = { gemini: { thoughtSignature: part.signature } };
  return call;
}

/** The signature of a text or thought part, kept as a Gemini reasoning part. */
export function geminiReasoningPart(text: string, signature: string): ReasoningPart {
  return { text, format: 'gemini', signature };
}

const responseTag = () => Math.random().toString(36).slice(2, 10);

/**
 * Gemini gives function calls no ids; each answer gets its own so that ids stay unique across the turns of a
 * conversation (Anthropic and Bedrock reject repeated tool-use ids if the conversation later moves there).
 */
export function geminiCallIdFactory(): (index: number) => string {
  const tag = responseTag();
  return (index) => `call_${tag}_${index}`;
}
