import type { ChatRequest, Usage } from '../core/canonical.js';
import type { Deployment } from '../core/deployment.js';
import type { GatewayError } from '../core/errors.js';
import { computeCost } from '../ledger/cost.js';
import { noTokens, type AttemptRecord } from '../ledger/ledger-record.js';
import { countRequestTokens, countTokens } from '../ledger/token-estimator.js';

export function startAttempt(deployment: Deployment, attempt: number, shadow = false): AttemptRecord {
  return {
    attempt,
    startedAt: Date.now(),
    provider: deployment.provider,
    upstreamModel: deployment.upstreamModel,
    model: deployment.model,
    status: 0,
    errorCode: null,
    ...noTokens(),
    latencyMs: 0,
    ttftMs: null,
    estimated: false,
    shadow,
  };
}

/** Usage reported by the provider, or counted with the tokenizer (and marked estimated) when it reported none. */
export function usageOrEstimate(usage: Usage | undefined, request: ChatRequest | undefined, outputText: string): Usage {
  if (usage) return usage;
  return {
    inputTokens: request ? countRequestTokens(request) : 0,
    cacheReadTokens: 0,
    cacheWriteTokens: 0,
    outputTokens: countTokens(outputText),
    reasoningTokens: 0,
    estimated: true,
  };
}

export interface AttemptEnd {
  status: number;
  error?: GatewayError;
  usage?: Usage;
  ttftMs?: number | null;
}

/** Completes an attempt record in place: outcome, tokens and their cost at the deployment's price. */
export function finishAttempt(record: AttemptRecord, deployment: Deployment, end: AttemptEnd, startedAtMs: number): void {
  record.status = end.status;
  record.errorCode = end.error?.code ?? null;
  record.latencyMs = round(performance.now() - startedAtMs);
  if (end.ttftMs !== undefined) record.ttftMs = end.ttftMs === null ? null : round(end.ttftMs);
  const usage = end.usage;
  if (!usage) return;
  record.inputTokens = usage.inputTokens;
  record.cachedInputTokens = usage.cacheReadTokens;
  record.cacheWriteTokens = usage.cacheWriteTokens;
  record.outputTokens = usage.outputTokens;
  record.reasoningTokens = usage.reasoningTokens;
  record.estimated = usage.estimated === true;
  record.costUsd = deployment.price ? computeCost(usage, deployment.price) : deployment.hosting ? gpuTimeCost(deployment.hosting, usage, record.latencyMs) : 0;
}

/**
 * The GPU time a request used on a self-hosted deployment, in dollars: its tokens over the deployment's measured
 * throughput when `tokensPerSecond` is set, otherwise its wall time (which overstates cost when requests are batched).
 */
export function gpuTimeCost(hosting: NonNullable<Deployment['hosting']>, usage: Usage, latencyMs: number): number {
  const seconds = hosting.tokensPerSecond ? (usage.inputTokens + usage.cacheReadTokens + usage.cacheWriteTokens + usage.outputTokens) / hosting.tokensPerSecond : latencyMs / 1000;
  return (seconds * hosting.pricePerHour * hosting.gpus) / 3600;
}

function round(value: number): number {
  return Math.round(value * 1000) / 1000;
}
