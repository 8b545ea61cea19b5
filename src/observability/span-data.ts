import type { AttemptRecord, RequestRecord, TokenCounts } from '../ledger/ledger-record.js';
import { genAiProviderName } from './gen-ai-names.js';

export type SpanAttributes = Record<string, string | number | boolean | string[]>;

/**
 * One finished span as plain data: what the request path hands to the export thread, which turns it into an SDK
 * span with these very ids (the upstream `traceparent` already named them) and exports it.
 */
export interface SpanData {
  name: string;
  kind: 'server' | 'client';
  traceId: string;
  spanId: string;
  /** The client's span (remote) for a request span, the request span for an attempt span; absent for a root. */
  parent: { spanId: string; remote: boolean } | undefined;
  /** The client's `tracestate`, carried by every span of the trace. */
  traceState: string | undefined;
  /** Epoch milliseconds. */
  startMs: number;
  endMs: number;
  attributes: SpanAttributes;
  error: boolean;
}

/** What the request path learnt about a request's answer, beside its ledger record. */
export interface AnswerFacts {
  operation: string;
  requestId: string;
  requestedModel: string;
  responseModel: string | undefined;
  finishReasons: string[];
  /** Prompt and answer as the GenAI conventions write them, when content capture is on. */
  inputMessages?: string;
  outputMessages?: string;
}

function usageAttributes(attributes: SpanAttributes, counts: TokenCounts): void {
  attributes['gen_ai.usage.input_tokens'] = counts.inputTokens + counts.cachedInputTokens + counts.cacheWriteTokens;
  attributes['gen_ai.usage.cache_read.input_tokens'] = counts.cachedInputTokens;
  attributes['gen_ai.usage.cache_creation.input_tokens'] = counts.cacheWriteTokens;
  attributes['gen_ai.usage.output_tokens'] = counts.outputTokens;
  attributes['gen_ai.usage.reasoning.output_tokens'] = counts.reasoningTokens;
  attributes['switchyard.cost_usd'] = counts.costUsd;
}

/** The attributes of a request span, from its ledger record. */
export function requestAttributes(record: RequestRecord, facts: AnswerFacts, providerType: string | undefined): SpanAttributes {
  const attributes: SpanAttributes = {
    'gen_ai.operation.name': facts.operation,
    'gen_ai.request.model': facts.requestedModel,
    'switchyard.request_id': facts.requestId,
  };
  if (facts.inputMessages !== undefined) attributes['gen_ai.input.messages'] = facts.inputMessages;
  usageAttributes(attributes, record);
  attributes['gen_ai.provider.name'] = genAiProviderName(providerType);
  attributes['gen_ai.response.model'] = facts.responseModel ?? record.upstreamModel ?? '';
  attributes['gen_ai.response.finish_reasons'] = facts.finishReasons;
  attributes['gen_ai.request.stream'] = record.stream;
  attributes['http.response.status_code'] = record.status;
  if (record.provider) attributes['switchyard.provider'] = record.provider;
  if (record.route) attributes['switchyard.route'] = record.route;
  attributes['switchyard.cache_hit'] = record.cacheHit;
  attributes['switchyard.estimated'] = record.estimated;
  if (record.errorCode) attributes['error.type'] = record.errorCode;
  if (facts.outputMessages !== undefined && record.status === 200) attributes['gen_ai.output.messages'] = facts.outputMessages;
  return attributes;
}

/** The attributes of an attempt span; `served` is set on the attempt whose answer the client got. */
export function attemptAttributes(attempt: AttemptRecord, facts: AnswerFacts, providerType: string | undefined, served: boolean): SpanAttributes {
  const attributes: SpanAttributes = {};
  usageAttributes(attributes, attempt);
  attributes['gen_ai.operation.name'] = facts.operation;
  attributes['gen_ai.provider.name'] = genAiProviderName(providerType);
  attributes['gen_ai.request.model'] = attempt.upstreamModel;
  attributes['gen_ai.response.model'] = (served && facts.responseModel) || attempt.upstreamModel;
  attributes['http.response.status_code'] = attempt.status;
  attributes['switchyard.provider'] = attempt.provider;
  attributes['switchyard.model'] = attempt.model;
  attributes['switchyard.attempt'] = attempt.attempt;
  attributes['switchyard.shadow'] = attempt.shadow;
  if (served) attributes['gen_ai.response.finish_reasons'] = facts.finishReasons;
  if (attempt.errorCode) attributes['error.type'] = attempt.errorCode;
  return attributes;
}
