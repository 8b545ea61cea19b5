import { randomUUID } from 'node:crypto';
import type { ChatResponse, FinishReason, Usage } from '../../core/canonical.js';
import { GatewayError } from '../../core/errors.js';
import { asArray, asNumber, asRecord, asString, isRecord, type JsonRecord } from '../shared/json-read.js';

export type GeminiOutputPart =
  | { kind: 'text'; text: string }
  | { kind: 'reasoning'; text: string }
  | { kind: 'tool-call'; name: string; arguments: string };

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
  if (text !== undefined) {
    if (text === '') return [];
    return [{ kind: part.thought === true ? 'reasoning' : 'text', text }];
  }
  const call = asRecord(part.functionCall);
  const name = asString(call.name);
  if (name === undefined) return [];
  return [{ kind: 'tool-call', name, arguments: JSON.stringify(isRecord(call.args) ? call.args : {}) }];
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
  for (const part of chunk.parts) {
    if (part.kind === 'text') text.push(part.text);
    else if (part.kind === 'reasoning') reasoning.push(part.text);
    else toolCalls.push({ id: geminiCallId(toolCalls.length), name: part.name, arguments: part.arguments });
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
  return response;
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
