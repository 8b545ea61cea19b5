import type { AttemptRecord, RequestRecord, TokenCounts } from '../ledger/ledger-record.js';
import { genAiProviderName } from './gen-ai-names.js';

/** An attribute's value; null leaves the attribute out. */
export type AttributeValue = string | number | boolean | string[] | null;

/**
 * One finished span as a flat array: what the request path hands to the export thread, which makes it an SDK span
 * with these very ids (the upstream `traceparent` already named them) and exports it. Arrays of plain values cross
 * threads several times faster than objects, whose keys are copied with every message; the attribute names are
 * the key lists below, in the order of `values`.
 */
export type SpanData = [
  kind: 'server' | 'client',
  name: string,
  traceId: string,
  spanId: string,
  /** The client's span for a request span (remote), the request span for an attempt span; null for a root. */
  parentSpanId: string | null,
  parentRemote: boolean,
  /** The client's `tracestate`, carried by every span of the trace. */
  traceState: string | null,
  /** Epoch milliseconds. */
  startMs: number,
  endMs: number,
  error: boolean,
  values: AttributeValue[],
];

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

const usageKeys = ['gen_ai.usage.input_tokens', 'gen_ai.usage.cache_read.input_tokens', 'gen_ai.usage.cache_creation.input_tokens', 'gen_ai.usage.output_tokens', 'gen_ai.usage.reasoning.output_tokens', 'switchyard.cost_usd'];

export const requestAttributeKeys = [
  'gen_ai.operation.name', 'gen_ai.request.model', 'switchyard.request_id', 'gen_ai.input.messages', ...usageKeys,
  'gen_ai.provider.name', 'gen_ai.response.model', 'gen_ai.response.finish_reasons', 'gen_ai.request.stream', 'http.response.status_code',
  'switchyard.provider', 'switchyard.route', 'switchyard.cache_hit', 'switchyard.estimated', 'error.type', 'gen_ai.output.messages',
];

export const attemptAttributeKeys = [
  ...usageKeys, 'gen_ai.operation.name', 'gen_ai.provider.name', 'gen_ai.request.model', 'gen_ai.response.model', 'http.response.status_code',
  'switchyard.provider', 'switchyard.model', 'switchyard.attempt', 'switchyard.shadow', 'gen_ai.response.finish_reasons', 'error.type',
];

function pushUsage(values: AttributeValue[], counts: TokenCounts): void {
  values.push(counts.inputTokens + counts.cachedInputTokens + counts.cacheWriteTokens, counts.cachedInputTokens, counts.cacheWriteTokens, counts.outputTokens, counts.reasoningTokens, counts.costUsd);
}

/** A request span's attribute values, in the order of requestAttributeKeys; without a record, only what the start knew. */
export function requestAttributeValues(record: RequestRecord | undefined, facts: AnswerFacts, providerType: string | undefined): AttributeValue[] {
  const values: AttributeValue[] = [facts.operation, facts.requestedModel, facts.requestId, facts.inputMessages ?? null];
  if (!record) return values;
  pushUsage(values, record);
  values.push(
    genAiProviderName(providerType), facts.responseModel ?? record.upstreamModel ?? '', facts.finishReasons, record.stream, record.status,
    record.provider || null, record.route || null, record.cacheHit, record.estimated, record.errorCode || null,
    facts.outputMessages !== undefined && record.status === 200 ? facts.outputMessages : null,
  );
  return values;
}

/** An attempt span's attribute values, in the order of attemptAttributeKeys; `served` marks the attempt whose answer the client got. */
export function attemptAttributeValues(attempt: AttemptRecord, facts: AnswerFacts, providerType: string | undefined, served: boolean): AttributeValue[] {
  const values: AttributeValue[] = [];
  pushUsage(values, attempt);
  values.push(
    facts.operation, genAiProviderName(providerType), attempt.upstreamModel, (served && facts.responseModel) || attempt.upstreamModel, attempt.status,
    attempt.provider, attempt.model, attempt.attempt, attempt.shadow, served ? facts.finishReasons : null, attempt.errorCode || null,
  );
  return values;
}
